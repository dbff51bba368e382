"""Reading a staff announcement: options, Indonesian text, optional English text, send time.

Chat form (the CLI builds the same `Draft` from its options):

    /umumkan [wilayah:61.04] [untuk:kades] [bahasa:id|en] [kirim:2026-11-24T08:00] [zona:WITA] Teks
    EN: optional English text

`kirim:` is local time in the region's zone (WIB/WITA/WIT from the province code) unless
`zona:` says otherwise; `kirim:08:00` means the next 08:00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from bot.announcements.timezones import ZONES, Zone, zone_of
from bot.core.i18n import SUPPORTED
from bot.store.broadcasts import Audience

_REGION = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_ENGLISH = re.compile(r"(?im)^\s*EN\s*:\s*")
_OPTION = re.compile(r"^(?P<name>[a-z_]+)(?::(?P<value>\S*))?$")
_AUDIENCE_NAMES = frozenset({"untuk", "for"})
_VILLAGE_HEADS = frozenset({"kades", "kepala_desa", "village_heads"})
_VALUE_NAMES = {
    "wilayah": "region",
    "region": "region",
    "bahasa": "language",
    "language": "language",
    "kirim": "at",
    "at": "at",
    "zona": "zone",
    "zone": "zone",
}


class ComposeError(ValueError):
    """A problem the staff member must fix; `key` is the message to show them."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    text_id: str
    text_en: str | None = None
    audience: Audience = field(default_factory=Audience)
    send_at: datetime | None = None  # UTC
    zone: Zone = field(default_factory=lambda: zone_of(None))

    @property
    def local_send_at(self) -> datetime | None:
        return self.send_at.astimezone(self.zone.tz) if self.send_at else None


def parse_time(value: str, zone: Zone, now: datetime) -> datetime:
    """`2026-11-24T08:00` / `2026-11-24_08:00` / `08:00` (next one) in `zone`, returned in UTC."""
    value = value.replace("_", "T")
    try:
        if "T" in value or "-" in value:
            local = datetime.fromisoformat(value)
            if local.tzinfo is None:
                local = local.replace(tzinfo=zone.tz)
        else:
            clock = time.fromisoformat(value)
            today = now.astimezone(zone.tz)
            local = today.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
            if local <= today:
                local += timedelta(days=1)
    except ValueError as exc:
        raise ComposeError("staff.compose.bad_time", value=value) from exc
    moment = local.astimezone(UTC)
    if moment < now - timedelta(minutes=1):
        raise ComposeError("staff.compose.past_time", value=value)
    return moment


def check_region(code: str) -> str:
    if not _REGION.match(code):
        raise ComposeError("staff.compose.bad_region", value=code)
    return code


def check_language(code: str) -> str:
    code = code.lower()
    if code not in SUPPORTED:
        raise ComposeError("staff.compose.bad_language", value=code)
    return code


def check_zone(name: str) -> Zone:
    zone = ZONES.get(name.upper())
    if zone is None:
        raise ComposeError("staff.compose.bad_zone", value=name)
    return zone


def build_draft(
    *,
    text_id: str,
    text_en: str | None = None,
    region: str | None = None,
    village_heads: bool = False,
    language: str | None = None,
    at: str | None = None,
    zone: str | None = None,
    now: datetime,
) -> Draft:
    text_id = text_id.strip()
    text_en = text_en.strip() if text_en else None
    if not text_id:
        raise ComposeError("staff.compose.empty")
    region = check_region(region) if region else None
    chosen_zone = check_zone(zone) if zone else zone_of(region)
    return Draft(
        text_id=text_id,
        text_en=text_en or None,
        audience=Audience(
            region_code=region,
            village_heads=village_heads,
            language=check_language(language) if language else None,
        ),
        send_at=parse_time(at, chosen_zone, now) if at else None,
        zone=chosen_zone,
    )


def parse_announcement(args: str, now: datetime) -> Draft:
    """Options (`name:value` words) first, until the first word that is not one; then text."""
    values: dict[str, str] = {}
    village_heads = False
    words = args.strip().split(" ")
    index = 0
    for index, word in enumerate(words):  # noqa: B007 - index is used after the loop
        match = _OPTION.match(word.strip().lower())
        if match is None:
            break
        name, value = match.group("name"), match.group("value")
        if name in _AUDIENCE_NAMES and value in _VILLAGE_HEADS:
            village_heads = True
        elif name in _VALUE_NAMES and value:
            values[_VALUE_NAMES[name]] = word.strip().split(":", 1)[1]
        else:
            break
    else:
        index = len(words)
    text = " ".join(words[index:])
    parts = _ENGLISH.split(text, maxsplit=1)
    return build_draft(
        text_id=parts[0],
        text_en=parts[1] if len(parts) > 1 else None,
        region=values.get("region"),
        village_heads=village_heads,
        language=values.get("language"),
        at=values.get("at"),
        zone=values.get("zone"),
        now=now,
    )
