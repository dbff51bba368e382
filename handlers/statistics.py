"""`/statistik [hari]` for staff: questions by intent and regency, fallback rate, the most
frequent unanswered questions (grouped) and subscribers per region."""

from __future__ import annotations

from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.messages import Incoming, Reply
from bot.domain.roles import STAFF_ROLES
from bot.ops.statistics import RegionCount, StatisticsReport, build_report

router = Router("statistics")

DEFAULT_DAYS = 30
MAX_DAYS = 3660
_TOP = 5  # rows per list: the report must stay readable on a phone


@router.command("statistik", "stats", roles=STAFF_ROLES)
async def statistics(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    days = DEFAULT_DAYS
    if args:
        if not args.isdigit() or not 1 <= int(args) <= MAX_DAYS:
            return [Reply(text=ctx.t("statistics.usage", max=MAX_DAYS))]
        days = int(args)
    report = await build_report(ctx.store, days=days, today=ctx.today, top=_TOP)
    return [
        Reply(text=_questions(ctx, report)),
        Reply(text=_unanswered_and_subscribers(ctx, report)),
    ]


def _questions(ctx: HandlerContext, report: StatisticsReport) -> str:
    lines = [
        ctx.t(
            "statistics.header",
            since=ctx.fmt.date(report.since),
            until=ctx.fmt.date(report.until),
            total=ctx.fmt.number(report.total),
            unanswered=ctx.fmt.number(report.unanswered),
            rate=ctx.fmt.percent(round(report.fallback_rate * 100, 1)),
        )
    ]
    if report.total == 0:
        return "\n".join(lines)
    lines.append(ctx.t("statistics.per_intent"))
    for intent, count in report.per_intent[:_TOP]:
        lines.append(ctx.t("statistics.item", label=intent, count=ctx.fmt.number(count)))
    lines.append(ctx.t("statistics.per_regency"))
    for row in report.per_regency[:_TOP]:
        label = _region(ctx, row, unknown="statistics.region_unknown")
        lines.append(ctx.t("statistics.item", label=label, count=ctx.fmt.number(row.count)))
    return "\n".join(lines)


def _unanswered_and_subscribers(ctx: HandlerContext, report: StatisticsReport) -> str:
    lines = [ctx.t("statistics.unanswered")]
    if not report.top_unanswered:
        lines.append(ctx.t("statistics.nothing"))
    for group in report.top_unanswered:
        lines.append(ctx.t("statistics.question", text=group.example, count=group.count))
    lines.append(ctx.t("statistics.subscribers"))
    if not report.subscribers:
        lines.append(ctx.t("statistics.nothing"))
    for row in report.subscribers[:_TOP]:
        label = _region(ctx, row, unknown="statistics.all_regions")
        lines.append(ctx.t("statistics.item", label=label, count=ctx.fmt.number(row.count)))
    lines.append(ctx.t("statistics.faq_hint"))
    return "\n".join(lines)


def _region(ctx: HandlerContext, row: RegionCount, *, unknown: str) -> str:
    if row.code is None:
        return ctx.t(unknown)
    return f"{row.name} ({row.code})" if row.name else row.code
