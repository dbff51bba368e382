"""Finding the village a village head means, beyond an exact name: a code typed without dots
("6111012007"), a typo that runs into the next word ("desa telok melano" → Teluk Melano), and
a kecamatan named instead of a village (its villages as buttons, those with targets first).
"""

from __future__ import annotations

import re

from bot.answers.places import own_areas, rank_candidates
from bot.core.context import HandlerContext
from bot.regions.model import Region, ancestor_codes
from bot.regions.names import fold, query_names

_DIGITS = re.compile(r"(?<![\d.])(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})(?![\d.])")
# Words after a village name that are not part of it ("desa telok melano kab kayong utara").
_STOP = frozenset(
    {"kab", "kabupaten", "kec", "kecamatan", "kota", "prov", "provinsi", "di", "yg", "yang"}
    | {"berapa", "brp", "apa", "ya", "kak", "pak", "bu", "nya", "target", "capaian", "peringkat"}
)
MAX_VILLAGE_BUTTONS = 8


def village_code_in(text: str) -> str | None:
    """A Kemendagri village code in `text`, with or without its dots: "61.11.01.2007"."""
    match = _DIGITS.search(text)
    return ".".join(match.groups()) if match else None


async def typo_villages(ctx: HandlerContext, text: str, place: str) -> tuple[str, dict[str, int]]:
    """Villages one or two typos from the name found plus the word typed after it.

    The message "desa telok melano" was read as "desa telok" (a village in Katingan) with
    "melano" left over; Teluk Melano (Kayong Utara) is one edit from "telok melano". Returns
    the name as typed and each code with its edit distance (none when not cut short).
    """
    words = fold(text).split()
    name = query_names(place)[-1].split()
    if not name:
        return place, {}
    for at in range(len(words) - len(name) + 1):
        if words[at : at + len(name)] == name:
            after = words[at + len(name) : at + len(name) + 1]
            break
    else:
        return place, {}
    if not after or after[0] in _STOP or after[0].isdigit():
        return place, {}
    typed = " ".join([*name, after[0]])
    near = await ctx.store.regions.near(typed, level="village")
    return typed, {region.code: distance for region, distance in near}


async def similar_villages(ctx: HandlerContext, name: str, limit: int) -> list[str]:
    """Villages one or two typos from `name`, the user's own regency and places with
    targets first, then the nearest spelling."""
    near = await ctx.store.regions.near(name, level="village")
    distances = {region.code: distance for region, distance in near}
    return (await rank_candidates(ctx, list(distances), distances))[:limit]


async def districts_named(ctx: HandlerContext, name: str) -> list[Region]:
    """Kecamatan called `name`, those in the user's regency or with village targets first;
    only those two kinds (a bare kecamatan name elsewhere in Indonesia is no village)."""
    found = await ctx.store.regions.search(name, level="district")
    if not found:
        return []
    own = {ancestor_codes(code)[1] for code in await own_areas(ctx) if code.count(".") >= 1}
    useful = own | await ctx.store.targets.regencies()
    ordered = await rank_candidates(ctx, [d.code for d in found])
    by_code = {d.code: d for d in found}
    return [by_code[c] for c in ordered if ancestor_codes(c)[1] in useful]


async def villages_of(ctx: HandlerContext, district: str) -> tuple[list[Region], int]:
    """Up to MAX_VILLAGE_BUTTONS villages of a kecamatan (those with targets first), and how
    many it has."""
    villages = await ctx.store.regions.children(district)
    with_targets = {
        t.village_code for t in await ctx.store.targets.latest_in(district, ctx.today.year)
    }
    villages.sort(key=lambda v: (v.code not in with_targets, v.code))
    return villages[:MAX_VILLAGE_BUTTONS], len(villages)
