"""Regions as data: the levels, what a Kemendagri code says, and the region records.

A code's shape gives its level ("61" province, "61.04" regency, "61.04.16" district,
"61.04.16.2009" village) and its ancestors, with no lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.regions.names import short_name

Level = Literal["province", "regency", "district", "village"]
LEVELS: tuple[Level, ...] = ("province", "regency", "district", "village")


def level_of_code(code: str) -> Level | None:
    """The level a well-formed code would have ("61" province ... "61.04.16.2009" village)."""
    parts = code.split(".")
    if not all(part.isdigit() for part in parts):
        return None
    return LEVELS[len(parts) - 1] if len(parts) <= len(LEVELS) else None


def ancestor_codes(code: str) -> list[str]:
    """The codes above and including `code`, province first: "61.04.16" → 61, 61.04, 61.04.16."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


@dataclass(frozen=True, slots=True, kw_only=True)
class Region:
    code: str
    name: str
    level: Level
    parent_code: str | None

    @property
    def short_name(self) -> str:
        """ "Kabupaten Ketapang" → "Ketapang"; other names unchanged."""
        return short_name(self.name)


@dataclass(frozen=True, slots=True)
class RegionName:
    """What a name index needs of a region: its code, level and folded `search_name`."""

    code: str
    level: Level
    search_name: str
    city: bool  # a "Kota" (city) rather than a "Kabupaten" (regency)
