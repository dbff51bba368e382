"""`stats [--days N]`: the staff statistics report in a terminal."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.commands.common import cli_text, help_text, open_store
from bot.config import Settings
from bot.core.formatting import Formatter
from bot.core.i18n import Translator
from bot.ops.statistics import RegionCount, StatisticsReport, build_report
from bot.store.ticket_stats import TicketCounts

MAX_DAYS = 3660


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "stats",
        help=help_text("cli.help.stats.1"),
    )
    parser.add_argument("--days", type=int, default=30, help=help_text("cli.help.stats.2"))
    parser.add_argument("--top", type=int, default=10, help=help_text("cli.help.stats.3"))
    parser.add_argument("--json", action="store_true", help=help_text("cli.help.stats.4"))
    parser.set_defaults(func=_stats)


async def _stats(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    if not 1 <= args.days <= MAX_DAYS or args.top < 1:
        print(say("cli.stats.bad_arguments", max=MAX_DAYS), file=sys.stderr)
        return 2
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    async with open_store(settings, read_only=True) as store:
        report = await build_report(store, days=args.days, today=today, top=args.top)
        tickets = await store.tickets.counts(datetime.now(UTC) - timedelta(days=args.days))
    if args.json:
        document = asdict(report)
        document["fallback_rate"] = round(report.fallback_rate, 4)
        document["tickets"] = asdict(tickets) | {
            "median_first_answer_seconds": _median(tickets.first_answer_seconds)
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    else:
        print(render(report, say))
        print()
        print(render_tickets(tickets, say))
    return 0


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def render_tickets(counts: TicketCounts, say: Translator) -> str:
    """The staff inbox: tickets by status, per topic and region, time to first answer."""
    median = _median(counts.first_answer_seconds)
    fmt = Formatter(say.locale)
    waited = fmt.number(Decimal(str(round(median / 3600, 1)))) + " h" if median else "-"
    status = "  ".join(f"{name}: {n}" for name, n in counts.per_status.items())
    unknown = say("cli.stats.region_unknown")
    return "\n".join(
        [
            say("cli.stats.tickets", status=status),
            say(
                "cli.stats.tickets_answered", count=len(counts.first_answer_seconds), median=waited
            ),
            say("cli.stats.tickets_per_topic"),
            *(f"  {n:>6}  {name or unknown}" for name, n in sorted(counts.per_topic.items())),
            say("cli.stats.tickets_per_region"),
            *(f"  {n:>6}  {name or unknown}" for name, n in sorted(counts.per_region.items())),
        ]
    )


def render(report: StatisticsReport, say: Translator) -> str:
    rate = Formatter(say.locale).percent(round(report.fallback_rate * 100, 1))
    unknown, everywhere = say("cli.stats.region_unknown"), say("cli.stats.all_regions")
    lines = [
        say("cli.stats.period", since=report.since.isoformat(), until=report.until.isoformat()),
        say("cli.stats.totals", total=report.total, unanswered=report.unanswered, rate=rate),
        "",
        say("cli.stats.per_intent"),
        *(f"  {count:>6}  {intent}" for intent, count in report.per_intent),
        "",
        say("cli.stats.per_regency"),
        *(f"  {row.count:>6}  {_region(row, unknown)}" for row in report.per_regency),
        "",
        say("cli.stats.top_unanswered"),
        *(f"  {group.count:>6}  {group.example}" for group in report.top_unanswered),
        "",
        say("cli.stats.subscribers"),
        *(f"  {row.count:>6}  {_region(row, everywhere)}" for row in report.subscribers),
    ]
    return "\n".join(lines)


def _region(row: RegionCount, none: str) -> str:
    if row.code is None:
        return none
    return f"{row.code} {row.name}" if row.name else row.code
