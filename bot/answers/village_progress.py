"""The village progress message: one short text that reads well forwarded to a village group."""

from __future__ import annotations

from bot.answers.village_names import VillagePlace, full_name
from bot.core.context import HandlerContext
from bot.store.targets import Rank, VillageStanding


def _rank_line(ctx: HandlerContext, standing: VillageStanding, place: VillagePlace) -> str:
    district, regency = standing.district, standing.regency
    if district is None or regency is None or place.district is None or place.regency is None:
        return ""
    return ctx.t(
        "villages.rank",
        district_position=_position(ctx, district),
        district_count=ctx.fmt.number(district.of),
        district=place.district.name,
        regency_position=_position(ctx, regency),
        regency_count=ctx.fmt.number(regency.of),
        regency=place.regency.name,
    )


def _position(ctx: HandlerContext, rank: Rank) -> str:
    return ctx.fmt.number(rank.position)


def _change_line(ctx: HandlerContext, standing: VillageStanding) -> str:
    previous = standing.previous
    if previous is None:
        return ""
    delta = standing.current.registered - previous.registered
    since = ctx.fmt.date(previous.as_of)
    if delta > 0:
        return ctx.t.plural("villages.change.up", delta, count=ctx.fmt.number(delta), since=since)
    if delta < 0:
        return ctx.t.plural(
            "villages.change.down", -delta, count=ctx.fmt.number(-delta), since=since
        )
    return ctx.t("villages.change.same", since=since)


def progress_text(ctx: HandlerContext, standing: VillageStanding, place: VillagePlace) -> str:
    current = standing.current
    percent = current.percent
    lines = [
        ctx.t("villages.progress.title", place=full_name(place, ctx.t), year=current.year),
        ctx.t.plural(
            "villages.progress.target", current.target, target=ctx.fmt.number(current.target)
        ),
        ctx.t(
            "villages.progress.registered",
            registered=ctx.fmt.number(current.registered),
            percent=ctx.fmt.percent(percent) if percent is not None else "-",
        ),
    ]
    if current.remaining > 0:
        lines.append(
            ctx.t.plural(
                "villages.progress.remaining",
                current.remaining,
                remaining=ctx.fmt.number(current.remaining),
            )
        )
    else:
        lines.append(ctx.t("villages.progress.reached"))
    for line in (_rank_line(ctx, standing, place), _change_line(ctx, standing)):
        if line:
            lines.append(line)
    lines.append(
        ctx.t("villages.progress.as_of", date=ctx.fmt.date(current.as_of), source=current.source)
    )
    upcoming = standing.upcoming
    if upcoming is not None:
        lines.append(
            ctx.t(
                "villages.progress.upcoming",
                year=upcoming.year,
                target=ctx.fmt.number(upcoming.target),
            )
        )
    return "\n".join(lines)
