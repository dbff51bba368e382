"""Turn the place a user named (a code, or a name from the message) into one gazetteer Region.

Handlers call `resolve_place`; it answers with a Region, or with a ready Reply: "Sukadana yang
mana?" with one button per candidate (each re-asks the same intent with that code), "which
region?" when none was named, or "wilayah tidak ditemukan" with a hint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Literal

from bot.core.context import HandlerContext
from bot.domain.messages import Reply
from bot.domain.understanding import Slots
from bot.regions.model import LEVELS, Level, ancestor_codes, level_of_code
from bot.regions.names import cue_level, fold
from bot.regions.vocabulary import load_province_labels
from bot.store import Region

PlaceSlot = Literal["region", "other_region", "village"]
MAX_CHOICES = 8  # buttons in "X yang mana?"; more candidates → the user is asked to add a region
LABEL_CHARS = 20
PROVINCE_LABELS = load_province_labels()  # read once at import: "32" → "Jabar"


async def resolve_place(
    ctx: HandlerContext, *, levels: Collection[Level], slot: PlaceSlot = "region"
) -> Region | Reply:
    """The one region at one of `levels` the message (or button) means, or a Reply to send.

    A place below the wanted levels is lifted to the region containing it ("desa Sutera" for
    a regency question → Kayong Utara). A village wanted while a regency/district is already
    known is looked for inside it. Among several candidates, the one inside the user's own
    region wins; otherwise the user chooses.
    """
    wanted = [level for level in LEVELS if level in levels]
    value = getattr(ctx.slots, slot)
    name = value
    if value is None and slot != "other_region":
        name = ctx.slots.place
    within = ctx.slots.region if slot == "village" and value is None else None
    if within is not None and level_of_code(within) not in (None, "village"):
        return await _village_within(ctx, within, name, slot, wanted)
    if name is None:
        own = ctx.user.region_code
        candidates = _lift([own], wanted) if own and slot != "other_region" else []
        if len(candidates) == 1 and (region := await ctx.store.regions.get(candidates[0])):
            return region
        return _ask(ctx, wanted)
    if level_of_code(name) is not None:
        found = await ctx.store.regions.get(name)
        codes = [found.code] if found else []
    else:
        codes = await _search(ctx, name)
    candidates = _lift(codes, wanted)
    if not candidates:
        # a real region above the wanted level (a regency for a village question): ask
        return _ask(ctx, wanted) if codes else _not_found(ctx, name, wanted)
    candidates = _prefer_own(candidates, ctx.user.region_code)
    if len(candidates) == 1:
        region = await ctx.store.regions.get(candidates[0])
        if region is not None:
            return region
        return _not_found(ctx, name, wanted)
    named = await ctx.store.regions.get(codes[0])
    return await _which(ctx, candidates, slot, named.short_name if named else name)


async def _search(ctx: HandlerContext, name: str) -> list[str]:
    """Codes named `name`; "desa sukadana ciamis" is the name narrowed to the region after it."""
    level = cue_level(name)
    codes = [r.code for r in await ctx.store.regions.search(name) if level in (None, r.level)]
    words = name.split()
    for cut in range(len(words) - 1, 0, -1):
        if codes:
            break
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if cut == 1 and level is not None:
            continue  # the cue alone ("desa") is no name
        areas = {r.code for r in await ctx.store.regions.search(tail) if r.level != "village"}
        if areas:
            codes = [
                r.code
                for r in await ctx.store.regions.search(head)
                if level in (None, r.level) and areas & set(ancestor_codes(r.code)[:-1])
            ]
    return codes


async def _village_within(
    ctx: HandlerContext, area: str, name: str | None, slot: PlaceSlot, wanted: Sequence[Level]
) -> Region | Reply:
    """The village `name` inside `area` (a regency or district already named), else ask."""
    region = await ctx.store.regions.get(area)
    if region is None:
        return _not_found(ctx, area, wanted)
    codes = [
        c
        for c in (await _search(ctx, name) if name else [])
        if level_of_code(c) == "village" and area in ancestor_codes(c)
    ]
    village = await ctx.store.regions.get(codes[0]) if codes else None
    if village is not None:
        return village if len(codes) == 1 else await _which(ctx, codes, slot, village.name)
    if region.level == "district":
        return Reply(text=ctx.t("places.ask_village_in_district", region=region.name))
    return Reply(text=ctx.t("places.ask_village_in", region=region.name))


def _lift(codes: Sequence[str], wanted: Sequence[Level]) -> list[str]:
    """The highest-level codes at a wanted level; if none, the regions containing them.

    "Bogor" for a regency question is the Kabupaten and the Kota, not the districts named
    Bogor; "Sutera" (a village) becomes Kayong Utara. Codes above every wanted level drop out.
    """
    direct = [c for c in codes if level_of_code(c) in wanted]
    if direct:  # the highest level named: "Ketapang" is the regency before any village
        top_rank = min(_rank(c) for c in direct)
        return list(dict.fromkeys(c for c in direct if _rank(c) == top_rank))
    below = [c for c in codes if _rank(c) > max(LEVELS.index(level) for level in wanted)]
    if not below:
        return []
    top = min(_rank(c) for c in below)
    lifted: list[str] = []
    for code in (c for c in below if _rank(c) == top):
        chain = ancestor_codes(code)
        matches = [c for c in chain if level_of_code(c) in wanted]
        if matches and matches[-1] not in lifted:
            lifted.append(matches[-1])
    return lifted


def _rank(code: str) -> int:
    level = level_of_code(code)
    return LEVELS.index(level) if level else len(LEVELS)


def _prefer_own(candidates: list[str], own: str | None) -> list[str]:
    """Candidates inside (or containing) the user's own region first; only those, if any."""
    if not own:
        return candidates
    own_chain = set(ancestor_codes(own))
    near = [c for c in candidates if c in own_chain or own in ancestor_codes(c)]
    return near or candidates


async def own_areas(ctx: HandlerContext) -> list[str]:
    """The regions the user is tied to, closest first: the village they speak for, their
    region, the regions they subscribed to, and the region of their previous question."""
    codes: list[str] = []
    link = await ctx.store.village_heads.get(ctx.user.id)
    if link is not None:
        codes.append(link.village_code)
    if ctx.user.region_code:
        codes.append(ctx.user.region_code)
    codes.extend(c for c in await ctx.store.people.subscriptions(ctx.user.id) if c)
    previous = ctx.previous.slots if ctx.previous else None
    if previous is not None:
        codes.extend(c for c in (previous.village, previous.region) if c and level_of_code(c))
    codes.extend(await ctx.store.questions.recent_regions(ctx.user.id))
    return list(dict.fromkeys(codes))


async def rank_candidates(
    ctx: HandlerContext, candidates: Sequence[str], distances: dict[str, int] | None = None
) -> list[str]:
    """The user's own regency (then province) first; then places whose regency has village
    targets or coverage figures; then the nearest spelling; then by code."""
    own = [set(ancestor_codes(code)[:2]) for code in await own_areas(ctx)]
    target_regencies = await ctx.store.targets.regencies()
    areas = {a for code in candidates for a in ancestor_codes(code)[:2]}
    with_data = {a for a in sorted(areas) if await ctx.store.coverage.for_region(a)}
    with_data |= target_regencies

    def closeness(code: str) -> int:
        chain = ancestor_codes(code)[:2]
        return max((len(area & set(chain)) for area in own), default=0)

    def key(code: str) -> tuple[int, int, int, str]:
        chain = set(ancestor_codes(code))
        data = 0 if with_data & chain else 1
        return (-closeness(code), data, (distances or {}).get(code, 0), code)

    return sorted(dict.fromkeys(candidates), key=key)


async def choose(
    ctx: HandlerContext,
    candidates: list[str],
    name: str,
    *,
    slot: PlaceSlot = "village",
    distances: dict[str, int] | None = None,
    heading: str | None = None,
) -> Reply:
    """ "X yang mana?" (or `heading`) with one button per candidate and where each lies."""
    return await _which(ctx, candidates, slot, name, distances, heading)


async def _which(
    ctx: HandlerContext,
    candidates: list[str],
    slot: PlaceSlot,
    name: str,
    distances: dict[str, int] | None = None,
    heading: str | None = None,
) -> Reply:
    shown = (await rank_candidates(ctx, candidates, distances))[:MAX_CHOICES]
    regions = await ctx.store.regions.get_many({a for code in shown for a in ancestor_codes(code)})
    labels = _labels([regions[c] for c in shown if c in regions], regions)
    buttons = tuple(
        ctx.button(ctx.understanding.intent, _with_code(ctx.slots, slot, code), label=label)
        for code, label in labels
    )
    if heading is not None:
        text = heading
    elif len(candidates) > MAX_CHOICES:
        text = ctx.t(
            "places.which_many",
            name=name,
            count=ctx.fmt.number(len(candidates)),
            regency=_hint_area(shown, candidates, regions),
        )
    else:
        text = ctx.t("places.which", name=name)
    lines = [_where_line(ctx, label, code, regions) for code, label in labels]
    where = "\n".join(line for line in lines if line)
    return Reply(text=f"{text}\n{where}" if where else text, buttons=buttons)


def _where_line(ctx: HandlerContext, label: str, code: str, regions: dict[str, Region]) -> str:
    """ "• Sukadana (Jabar): Kec. Sukaraja, Kab. Tasikmalaya": where a short label lies."""
    chain = ancestor_codes(code)
    if len(chain) < 3 or chain[1] not in regions:
        return ""
    regency = regions[chain[1]]
    kind = "Kota" if regency.name.startswith("Kota") else "Kab."
    if len(chain) == 3:
        return ctx.t("places.where.district", label=label, regency=f"{kind} {regency.short_name}")
    district = regions.get(chain[2])
    return ctx.t(
        "places.where.village",
        label=label,
        district=district.name if district else chain[2],
        regency=f"{kind} {regency.short_name}",
    )


def _hint_area(shown: Sequence[str], candidates: Sequence[str], regions: dict[str, Region]) -> str:
    """The regency of a shown candidate that is the only one of its name there (typed form)."""

    def regency(code: str) -> str:
        chain = ancestor_codes(code)
        return chain[1] if len(chain) > 2 else chain[0]

    counts = Counter(regency(c) for c in candidates)
    unique = [regency(c) for c in shown if counts[regency(c)] == 1] or [regency(shown[0])]
    area = regions.get(unique[0])
    return fold(area.short_name) if area else unique[0]


def _with_code(slots: Slots, slot: PlaceSlot, code: str) -> Slots:
    """The same question with the chosen code (and without the ambiguous name)."""
    if slot == "village":
        return replace(slots, village=code, place=None)
    if slot == "other_region":
        return replace(slots, other_region=code)
    return replace(slots, region=code, place=None)


def _labels(shown: Sequence[Region], regions: dict[str, Region]) -> list[tuple[str, str]]:
    """ "Sukadana (Kayong Utara)" style labels, ≤ 20 characters, distinct where possible.

    Each place is told apart by its regency when it fits, else its province ("Jabar"), else
    the shortened regency, else its district; a label that clashes moves to the next choice.
    """

    def choices(region: Region) -> list[str]:
        chain = ancestor_codes(region.code)[:-1]
        names = [regions[c].short_name if c in regions else "" for c in chain]
        if len(chain) < 2:  # a regency: its province; a province: nothing
            return [_label(region, PROVINCE_LABELS.get(chain[0], names[0]) if chain else "")]
        regency, province = names[1], PROVINCE_LABELS.get(chain[0], names[0])
        found = [_label(region, regency), _label(region, province), _label(region, regency)]
        fitting = [label for label in found if not label.endswith("…)")][:2]
        # a bare name beats a context cut to a stub ("Teluk Melano (Kayo…)") when it is unique
        options = [*fitting, _fit(region.short_name, ""), found[0]]
        if len(chain) > 2:
            options.append(_label(region, names[2]))
        return list(dict.fromkeys(options))

    options = [choices(r) for r in shown]
    picks = [0] * len(shown)
    for _ in range(4):
        labels = [opts[min(p, len(opts) - 1)] for opts, p in zip(options, picks, strict=True)]
        clashes = [i for i, label in enumerate(labels) if labels.count(label) > 1]
        if not clashes:
            break
        for i in clashes:
            picks[i] += 1
    labels = [opts[min(p, len(opts) - 1)] for opts, p in zip(options, picks, strict=True)]
    return [(r.code, label) for r, label in zip(shown, labels, strict=True)]


def _label(region: Region, context: str) -> str:
    if region.level == "regency":
        kind = "Kota" if region.name.startswith("Kota") else "Kab."
        return _fit(f"{kind} {region.short_name}", "")
    if region.level == "province":
        return _fit(region.short_name, "")
    return _fit(region.short_name, context)


def _fit(name: str, context: str) -> str:
    """ "Name (Context)" within LABEL_CHARS: the context is shortened first, then the name."""
    if len(name) >= LABEL_CHARS - 4 or not context:
        return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
    room = LABEL_CHARS - len(name) - 3
    if len(context) > room:
        cut = context[: room - 1]
        if " " in cut.strip():  # whole words: "Kayong Utara" → "Kayong…"
            cut = cut[: cut.strip().rindex(" ")]
        context = cut.rstrip() + "…"
    return f"{name} ({context})"


def _ask(ctx: HandlerContext, wanted: Sequence[Level]) -> Reply:
    if wanted == ["village"]:
        return Reply(text=ctx.t("places.ask_village"))
    return Reply(text=ctx.t("places.ask_region"))


def _not_found(ctx: HandlerContext, name: str, wanted: Sequence[Level]) -> Reply:
    if wanted == ["village"]:
        return Reply(text=ctx.t("places.village_not_found", name=name))
    return Reply(text=ctx.t("places.not_found", name=name))
