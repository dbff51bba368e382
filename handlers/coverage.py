"""Regional coverage: a region's figures, two regions or two years side by side, the ranking of
a province's regencies, and the regional budget for vulnerable workers.

Every figure comes from `store.coverage` with its source and year; a region without figures
gets "belum ada data" and who to ask, never a number.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answers.places import resolve_place
from bot.answers.village_fund import fund_reply
from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Incoming, Reply
from bot.domain.understanding import Slots
from bot.regions.model import Level
from bot.store import CoverageRecord, Region
from handlers.coverage_redirects import (
    about_a_village,
    about_the_award,
    award,
    names_a_village,
    village,
)

router = Router("coverage")

REGION_LEVELS: tuple[Level, ...] = ("province", "regency")
PROVINCE: tuple[Level, ...] = ("province",)
CHART = "chart"  # `option` slot of the button that asks for the PU/BPU trend chart
MAX_RANKED = 10


async def _records(ctx: HandlerContext, region: Region) -> list[CoverageRecord]:
    """Years with at least one reported figure, oldest first."""
    return [r for r in await ctx.store.coverage.for_region(region.code) if r.has_figures]


def _pick_year(records: list[CoverageRecord], year: int | None) -> CoverageRecord | None:
    if year is None:
        return records[-1] if records else None
    return next((r for r in records if r.year == year), None)


def _source(ctx: HandlerContext, *records: CoverageRecord) -> str:
    """ "Sumber: Harian Equator, September 2025 (data 2024)", each source once."""
    parts: dict[str, list[int]] = {}
    for record in records:
        parts.setdefault(record.source, []).append(record.year)
    return "\n".join(
        ctx.t("coverage.source", source=source, years=", ".join(str(y) for y in sorted(years)))
        for source, years in parts.items()
    )


def _no_data(ctx: HandlerContext, region: Region) -> Reply:
    """No figure at all: say so, say who to ask; a province offers its regencies' ranking."""
    buttons = ctx.buttons(Intent.VULNERABLE_WORKERS, Intent.CONTACT)
    if region.level == "province" and ctx.understanding.intent is not Intent.COVERAGE_RANKING:
        buttons = (ctx.button(Intent.COVERAGE_RANKING, Slots(region=region.code)), *buttons)
    return Reply(
        text=ctx.t("coverage.no_data", region=region.name, ask=ctx.call_centre_text()),
        buttons=buttons,
    )


def _no_year(
    ctx: HandlerContext, region: Region, year: int, records: list[CoverageRecord]
) -> Reply:
    """The year asked for is missing: say which years exist, as buttons."""
    slots = Slots(region=region.code)
    return Reply(
        text=ctx.t(
            "coverage.no_year",
            region=region.name,
            year=str(year),
            years=", ".join(str(r.year) for r in records),
        ),
        buttons=tuple(
            ctx.button(ctx.understanding.intent, replace(slots, year=r.year), label=str(r.year))
            for r in records[-3:]
        ),
    )


def _figure_lines(ctx: HandlerContext, record: CoverageRecord) -> list[str]:
    lines = []
    if record.pu is not None:
        lines.append(ctx.t("coverage.line.pu", value=ctx.fmt.number(record.pu)))
    if record.bpu is not None:
        lines.append(ctx.t("coverage.line.bpu", value=ctx.fmt.number(record.bpu)))
    if record.coverage_percent is not None:
        lines.append(
            ctx.t("coverage.line.percent", value=ctx.fmt.percent(record.coverage_percent))
        )
    return lines


def _budget_lines(ctx: HandlerContext, record: CoverageRecord) -> list[str]:
    lines = []
    if record.budget_rp is not None:
        lines.append(ctx.t("coverage.line.budget", value=ctx.fmt.money_short(record.budget_rp)))
    if record.vulnerable_funded is not None:
        lines.append(
            ctx.t("coverage.line.vulnerable", value=ctx.fmt.number(record.vulnerable_funded))
        )
    return lines


def _next_buttons(
    ctx: HandlerContext,
    region: Region,
    records: list[CoverageRecord],
    *,
    skip: Intent,
    chart: bool = True,
) -> tuple[Button, ...]:
    here = Slots(region=region.code)
    buttons: list[Button] = []
    if skip is not Intent.COVERAGE_REGION:
        buttons.append(ctx.button(Intent.COVERAGE_REGION, here))
    if len(records) >= 2 and skip is not Intent.COVERAGE_COMPARE:
        buttons.append(ctx.button(Intent.COVERAGE_COMPARE, here))
    if (
        any(r.budget_rp is not None or r.vulnerable_funded is not None for r in records)
        and skip is not Intent.REGION_BUDGET
    ):
        buttons.append(ctx.button(Intent.REGION_BUDGET, here))
    if region.parent_code and skip is not Intent.COVERAGE_RANKING:
        buttons.append(ctx.button(Intent.COVERAGE_RANKING, Slots(region=region.parent_code)))
    if chart and sum(1 for r in records if r.pu is not None or r.bpu is not None) >= 2:
        buttons.append(
            ctx.button(
                Intent.COVERAGE_REGION,
                replace(here, option=CHART),
                label=ctx.t("coverage.button.chart"),
            )
        )
    return tuple(buttons)


@router.intent(Intent.COVERAGE_REGION)
async def coverage_region(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if about_the_award(msg):
        return await award(msg, ctx)
    if names_a_village(msg, ctx) or await about_a_village(msg, ctx):  # "capaian kec sukadana"
        return await village(msg, ctx)
    region = await resolve_place(ctx, levels=REGION_LEVELS)
    if isinstance(region, Reply):
        return [region]
    records = await _records(ctx, region)
    if not records:
        return [_no_data(ctx, region)]
    if ctx.slots.option == CHART:
        # matplotlib (~40 MB resident) is loaded only once someone asks for a chart
        from bot.answers.coverage_chart import coverage_trend_image

        image = await coverage_trend_image(ctx, region)
        if image is not None:
            buttons = _next_buttons(ctx, region, records, skip=Intent.COVERAGE_REGION, chart=False)
            return [Reply(text=image.caption, image=image, buttons=buttons)]
    record = _pick_year(records, ctx.slots.year)
    if record is None:
        return [_no_year(ctx, region, ctx.slots.year or 0, records)]
    lines = [ctx.t("coverage.region.title", region=region.name, year=str(record.year))]
    lines += _figure_lines(ctx, record)
    earlier = [r for r in records if r.year < record.year and r.coverage_percent is not None]
    if earlier and record.coverage_percent is not None:
        lines.append(
            ctx.t(
                "coverage.line.percent_before",
                value=ctx.fmt.percent(earlier[-1].coverage_percent or 0),
                year=str(earlier[-1].year),
            )
        )
    lines += _budget_lines(ctx, record)
    lines.append(_source(ctx, record))
    buttons = _next_buttons(ctx, region, records, skip=Intent.COVERAGE_REGION)
    return [Reply(text="\n".join(lines), buttons=buttons)]


@router.intent(Intent.COVERAGE_COMPARE)
async def coverage_compare(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """Two regions (same year), or the two latest years of one region."""
    if about_the_award(msg):
        return await award(msg, ctx)
    if names_a_village(msg, ctx) and ctx.slots.other_region is None:
        return await village(msg, ctx)
    region = await resolve_place(ctx, levels=REGION_LEVELS)
    if isinstance(region, Reply):
        return [region]
    if ctx.slots.other_region is None:
        return [await _compare_years(ctx, region)]
    other = await resolve_place(ctx, levels=REGION_LEVELS, slot="other_region")
    if isinstance(other, Reply):
        return [other]
    return [await _compare_regions(ctx, region, other)]


async def _compare_years(ctx: HandlerContext, region: Region) -> Reply:
    records = await _records(ctx, region)
    if not records:
        return _no_data(ctx, region)
    if len(records) < 2:
        return Reply(
            text=ctx.t("coverage.compare.one_year", region=region.name, year=str(records[0].year))
            + "\n"
            + _source(ctx, records[0]),
            buttons=_next_buttons(ctx, region, records, skip=Intent.COVERAGE_COMPARE),
        )
    newer = _pick_year(records, ctx.slots.year) or records[-1]
    older_ones = [r for r in records if r.year < newer.year]
    older = older_ones[-1] if older_ones else records[0]
    if older.year > newer.year or older is newer:
        older, newer = records[-2], records[-1]
    lines = [
        ctx.t(
            "coverage.compare.years_title",
            region=region.name,
            first=str(older.year),
            second=str(newer.year),
        )
    ]
    lines += _change_lines(ctx, older, newer)
    lines.append(_source(ctx, older, newer))
    buttons = _next_buttons(ctx, region, records, skip=Intent.COVERAGE_COMPARE)
    return Reply(text="\n".join(lines), buttons=buttons)


def _change_lines(ctx: HandlerContext, older: CoverageRecord, newer: CoverageRecord) -> list[str]:
    """One line per figure both years report: "PU: 71.405 → 80.101"."""
    lines = []
    pairs = (
        ("coverage.change.pu", older.pu, newer.pu, ctx.fmt.number),
        ("coverage.change.bpu", older.bpu, newer.bpu, ctx.fmt.number),
        ("coverage.change.budget", older.budget_rp, newer.budget_rp, ctx.fmt.money_short),
        (
            "coverage.change.vulnerable",
            older.vulnerable_funded,
            newer.vulnerable_funded,
            ctx.fmt.number,
        ),
    )
    for key, before, after, show in pairs:
        if before is not None and after is not None:
            lines.append(ctx.t(key, before=show(before), after=show(after)))
    if older.coverage_percent is not None and newer.coverage_percent is not None:
        lines.append(
            ctx.t(
                "coverage.change.percent",
                before=ctx.fmt.percent(older.coverage_percent),
                after=ctx.fmt.percent(newer.coverage_percent),
            )
        )
    return lines or [ctx.t("coverage.compare.nothing_common")]


async def _compare_regions(ctx: HandlerContext, first: Region, second: Region) -> Reply:
    by_region = {r.code: await _records(ctx, r) for r in (first, second)}
    common = sorted(
        {r.year for r in by_region[first.code]} & {r.year for r in by_region[second.code]}
    )
    year = ctx.slots.year if ctx.slots.year in common else (common[-1] if common else None)
    lines = [ctx.t("coverage.compare.regions_title")]
    shown: list[CoverageRecord] = []
    for region in (first, second):
        records = by_region[region.code]
        record = _pick_year(records, year) if year is not None else _pick_year(records, None)
        if record is None:
            lines.append(
                ctx.t(
                    "coverage.compare.region_no_data",
                    region=region.name,
                    ask=ctx.call_centre_text(),
                )
            )
            continue
        shown.append(record)
        lines.append(
            ctx.t("coverage.compare.region_line", region=region.name, year=str(record.year))
        )
        lines += _figure_lines(ctx, record) or _budget_lines(ctx, record)
    if not shown:
        return _both_without_data(ctx, first, second)
    lines.append(_source(ctx, *shown))
    buttons = (
        ctx.button(Intent.COVERAGE_REGION, Slots(region=first.code), label=_short(first)),
        ctx.button(Intent.COVERAGE_REGION, Slots(region=second.code), label=_short(second)),
    )
    return Reply(text="\n".join(lines), buttons=buttons)


def _both_without_data(ctx: HandlerContext, first: Region, second: Region) -> Reply:
    return Reply(
        text=ctx.t(
            "coverage.compare.both_no_data",
            first=first.name,
            second=second.name,
            ask=ctx.call_centre_text(),
        ),
        buttons=ctx.buttons(Intent.VULNERABLE_WORKERS, Intent.CONTACT),
    )


def _short(region: Region) -> str:
    name = region.short_name
    return name if len(name) <= 20 else name[:19] + "…"


@router.intent(Intent.COVERAGE_RANKING)
async def coverage_ranking(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """The regencies/cities of a province by reported coverage %, highest first."""
    if about_the_award(msg):
        return await award(msg, ctx)
    if await about_a_village(msg, ctx):
        # "desa Kali Nilam kab Ketapang", "peringkat desa saya": the village's own rank
        return await village(msg, ctx)
    province = await resolve_place(ctx, levels=PROVINCE)
    if isinstance(province, Reply):
        return [province]
    years = await ctx.store.coverage.years(province.code)
    year = ctx.slots.year if ctx.slots.year in years else (years[0] if years else None)
    rows = await ctx.store.coverage.for_year(year, province.code) if year is not None else []
    ranked = sorted(
        (r for r in rows if r.coverage_percent is not None),
        key=lambda r: r.coverage_percent or 0,
        reverse=True,
    )
    if year is None or not ranked:
        return [_no_data(ctx, province)]
    names = await ctx.store.regions.get_many(r.region_code for r in ranked)
    total = len(await ctx.store.regions.children(province.code))
    lines = [ctx.t("coverage.ranking.title", region=province.name, year=str(year))]
    for place, record in enumerate(ranked[:MAX_RANKED], start=1):
        region = names.get(record.region_code)
        lines.append(
            ctx.t(
                "coverage.ranking.line",
                rank=str(place),
                region=region.short_name if region else record.region_code,
                value=ctx.fmt.percent(record.coverage_percent or 0),
            )
        )
    if total > len(ranked):
        lines.append(ctx.t("coverage.ranking.missing", count=ctx.fmt.number(total - len(ranked))))
    lines.append(_source(ctx, *ranked[:MAX_RANKED]))
    buttons = tuple(
        ctx.button(Intent.COVERAGE_REGION, Slots(region=r.region_code, year=year), label=_short(n))
        for r in ranked[:3]
        if (n := names.get(r.region_code)) is not None
    )
    return [Reply(text="\n".join(lines), buttons=buttons)]


@router.intent(Intent.REGION_BUDGET)
async def region_budget(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """What the regional government budgets for vulnerable workers, and how many it protects.

    With a sum of money ("dana desa Rp 50 juta cukup untuk berapa pekerja?") it is the
    village-fund calculator instead: workers × months from the BPU contribution facts.
    """
    if ctx.slots.money is not None:
        return [fund_reply(ctx, ctx.slots.money)]
    region = await resolve_place(ctx, levels=REGION_LEVELS)
    if isinstance(region, Reply):
        return [region]
    records = await _records(ctx, region)
    with_budget = [
        r for r in records if r.budget_rp is not None or r.vulnerable_funded is not None
    ]
    record = _pick_year(with_budget, ctx.slots.year)
    if record is None:
        return [
            Reply(
                text=ctx.t(
                    "coverage.budget.no_data", region=region.name, ask=ctx.call_centre_text()
                ),
                buttons=_next_buttons(ctx, region, records, skip=Intent.REGION_BUDGET)
                or ctx.buttons(Intent.VULNERABLE_WORKERS, Intent.CONTACT),
            )
        ]
    lines = [ctx.t("coverage.budget.title", region=region.name, year=str(record.year))]
    lines += _budget_lines(ctx, record)
    lines.append(_source(ctx, record))
    buttons = _next_buttons(ctx, region, records, skip=Intent.REGION_BUDGET)
    return [Reply(text="\n".join(lines), buttons=buttons)]
