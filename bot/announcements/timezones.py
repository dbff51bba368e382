"""Which of Indonesia's three time zones (WIB, WITA, WIT) a region keeps, from its province code.

Source: Keputusan Presiden No. 41 Tahun 1987 (three time zones from 1 January 1988): WIB (UTC+7)
for Sumatra, Java, West and Central Kalimantan; WITA (UTC+8) for Bali, Nusa Tenggara, South and
East Kalimantan and Sulawesi; WIT (UTC+9) for Maluku and Papua. Provinces formed later keep the
zone of the territory they were split from (Kalimantan Utara from Kalimantan Timur: WITA; the
Papua provinces 92-96: WIT; Kepulauan Riau and Bangka Belitung from Riau and Sumatera Selatan:
WIB). Province codes are Kemendagri's (Permendagri 58/2021 and later updates).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Zone:
    abbreviation: str  # WIB, WITA, WIT: what staff type and read
    tz: ZoneInfo


WIB = Zone("WIB", ZoneInfo("Asia/Jakarta"))
WITA = Zone("WITA", ZoneInfo("Asia/Makassar"))
WIT = Zone("WIT", ZoneInfo("Asia/Jayapura"))
ZONES = {zone.abbreviation: zone for zone in (WIB, WITA, WIT)}

_WITA_PROVINCES = frozenset(
    {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
)
_WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})


def zone_of(region_code: str | None) -> Zone:
    """The zone of the province a code belongs to; WIB (Jakarta) when there is no region."""
    if not region_code:
        return WIB
    province = region_code.split(".")[0]
    if province in _WITA_PROVINCES:
        return WITA
    if province in _WIT_PROVINCES:
        return WIT
    return WIB
