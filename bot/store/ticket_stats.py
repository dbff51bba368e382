"""Statistics of the staff inbox, for `/metrics` and `jamsosbot stats`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.database import Database

STATES = ("open", "claimed", "answered", "closed")


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketCounts:
    """What `/metrics` and `stats` show about the inbox."""

    per_status: dict[str, int]
    per_topic: dict[str, int]
    per_region: dict[str, int]  # "" when the region is unknown
    first_answer_seconds: list[float]  # one per ticket answered in the period


async def count_tickets(db: Database, cutoff: str) -> TicketCounts:
    """Tickets by status (all), by topic and region (created since `cutoff`, an ISO time),
    and the time to first answer of those answered since."""
    status_rows = await db.fetch_all("SELECT status, count(*) AS n FROM tickets GROUP BY status")
    topic_rows = await db.fetch_all(
        "SELECT topic, count(*) AS n FROM tickets WHERE created_at >= ? GROUP BY topic",
        (cutoff,),
    )
    region_rows = await db.fetch_all(
        "SELECT COALESCE(region_code, '') AS region, count(*) AS n FROM tickets"
        " WHERE created_at >= ? GROUP BY region",
        (cutoff,),
    )
    answer_rows = await db.fetch_all(
        "SELECT created_at, first_answer_at FROM tickets"
        " WHERE first_answer_at IS NOT NULL AND first_answer_at >= ?",
        (cutoff,),
    )
    return TicketCounts(
        per_status={state: 0 for state in STATES}
        | {str(r["status"]): int(r["n"]) for r in status_rows},
        per_topic={str(r["topic"]): int(r["n"]) for r in topic_rows},
        per_region={str(r["region"]): int(r["n"]) for r in region_rows},
        first_answer_seconds=[
            (
                datetime.fromisoformat(r["first_answer_at"])
                - datetime.fromisoformat(r["created_at"])
            ).total_seconds()
            for r in answer_rows
        ],
    )
