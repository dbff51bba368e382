"""`stats [--days N]`: the staff statistics report in a terminal."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands.common import open_store
from bot.config import Settings
from bot.ops.statistics import RegionCount, StatisticsReport, build_report
from bot.store.ticket_stats import TicketCounts

MAX_DAYS = 3660


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "stats",
        help="questions per intent and regency, fallback rate, top unanswered, subscribers",
    )
    parser.add_argument("--days", type=int, default=30, help="period up to today (default 30)")
    parser.add_argument("--top", type=int, default=10, help="unanswered question groups shown")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=_stats)


async def _stats(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.days <= MAX_DAYS or args.top < 1:
        print(f"--days must be 1..{MAX_DAYS} and --top at least 1", file=sys.stderr)
        return 2
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    async with open_store(settings, seed=False) as store:
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
        print(render(report))
        print()
        print(render_tickets(tickets))
    return 0


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def render_tickets(counts: TicketCounts) -> str:
    """The staff inbox: tickets by status, per topic and region, time to first answer."""
    median = _median(counts.first_answer_seconds)
    waited = f"{median / 3600:.1f} h" if median is not None else "-"
    status = "  ".join(f"{name}: {n}" for name, n in counts.per_status.items())
    return "\n".join(
        [
            f"Tickets (all stored): {status}",
            f"Answered in the period: {len(counts.first_answer_seconds)}"
            f"  median time to first answer: {waited}",
            "Tickets per topic (period):",
            *(f"  {n:>6}  {name or 'unknown'}" for name, n in sorted(counts.per_topic.items())),
            "Tickets per region (period):",
            *(f"  {n:>6}  {name or 'unknown'}" for name, n in sorted(counts.per_region.items())),
        ]
    )


def render(report: StatisticsReport) -> str:
    lines = [
        f"Period: {report.since.isoformat()} .. {report.until.isoformat()}",
        f"Questions: {report.total}  unanswered: {report.unanswered}"
        f"  fallback rate: {report.fallback_rate:.1%}",
        "",
        "Per intent:",
        *(f"  {count:>6}  {intent}" for intent, count in report.per_intent),
        "",
        "Per regency (of the asker):",
        *(f"  {row.count:>6}  {_region(row, 'unknown')}" for row in report.per_regency),
        "",
        "Most frequent unanswered questions (grouped):",
        *(f"  {group.count:>6}  {group.example}" for group in report.top_unanswered),
        "",
        "Subscribers per region:",
        *(f"  {row.count:>6}  {_region(row, 'all regions')}" for row in report.subscribers),
    ]
    return "\n".join(lines)


def _region(row: RegionCount, none: str) -> str:
    if row.code is None:
        return none
    return f"{row.code} {row.name}" if row.name else row.code
