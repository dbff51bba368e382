"""Counts for staff: questions by intent and regency, unanswered texts, subscribers, broadcasts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.database import Database

# Kemendagri codes: "61" province, "61.04" regency, "61.04.01" district, "61.04.01.2001" village.
_REGENCY_CODE_LENGTH = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionCounts:
    total: int
    unanswered: int
    per_intent: tuple[tuple[str, int], ...]
    per_regency: tuple[tuple[str | None, int], ...]  # None: the asker's region is not known


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastProgress:
    broadcast_id: int
    status: str  # scheduled, sending, done, cancelled
    state: str  # outbox state of `count` recipients: pending, sent, failed, blocked...
    count: int


class StatisticsRepository:
    def __init__(self, db: Database):
        self._db = db

    async def question_counts(self, since: datetime) -> QuestionCounts:
        bound = (since.isoformat(),)
        totals = await self._db.fetch_one(
            "SELECT count(*) AS total, coalesce(sum(answered = 0), 0) AS unanswered"
            " FROM questions WHERE created_at >= ?",
            bound,
        )
        intents = await self._db.fetch_all(
            "SELECT intent, count(*) AS n FROM questions WHERE created_at >= ?"
            " GROUP BY intent ORDER BY n DESC, intent",
            bound,
        )
        # Where the asker is: their region, else the village they speak for, else a region
        # they subscribed to, else the place this question named, else the latest place any
        # of their questions named. A regency (or a province when only that is known).
        regencies = await self._db.fetch_all(
            "SELECT CASE WHEN length(place) >= ? THEN substr(place, 1, ?) ELSE place END"
            " AS regency, count(*) AS n FROM ("
            "  SELECT coalesce(u.region_code, h.village_code,"
            "   (SELECT min(s.region_code) FROM subscriptions AS s"
            "    WHERE s.user_id = q.user_id AND s.region_code != ''),"
            "   q.region_code,"
            "   (SELECT p.region_code FROM questions AS p WHERE p.user_id = q.user_id"
            "    AND p.region_code IS NOT NULL ORDER BY p.id DESC LIMIT 1)) AS place"
            "  FROM questions AS q LEFT JOIN users AS u ON u.id = q.user_id"
            "  LEFT JOIN village_heads AS h ON h.user_id = q.user_id"
            "  WHERE q.created_at >= ?)"
            " GROUP BY regency ORDER BY n DESC, regency",
            (_REGENCY_CODE_LENGTH, _REGENCY_CODE_LENGTH, *bound),
        )
        return QuestionCounts(
            total=int(totals["total"]) if totals else 0,
            unanswered=int(totals["unanswered"]) if totals else 0,
            per_intent=tuple((str(r["intent"]), int(r["n"])) for r in intents),
            per_regency=tuple((r["regency"], int(r["n"])) for r in regencies),
        )

    async def unanswered_texts(self, since: datetime, limit: int = 2000) -> list[str]:
        """The latest unanswered questions (for grouping near-duplicates)."""
        rows = await self._db.fetch_all(
            "SELECT text FROM questions WHERE answered = 0 AND created_at >= ?"
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            (since.isoformat(), limit),
        )
        return [str(row["text"]) for row in rows]

    async def subscribers_per_region(self) -> list[tuple[str | None, int]]:
        """Active subscribers per followed region; None is "all announcements"."""
        rows = await self._db.fetch_all(
            "SELECT nullif(s.region_code, '') AS region, count(DISTINCT s.user_id) AS n"
            " FROM subscriptions AS s JOIN users AS u ON u.id = s.user_id"
            " WHERE u.active = 1 GROUP BY region ORDER BY n DESC, region"
        )
        return [(row["region"], int(row["n"])) for row in rows]

    async def broadcast_progress(self, recent: int = 5) -> list[BroadcastProgress]:
        """Outbox rows by state for the latest `recent` confirmed broadcasts (none without an
        outbox table)."""
        if "outbox" not in await self._db.tables():
            return []
        rows = await self._db.fetch_all(
            "SELECT b.id, b.status, o.state, count(*) AS n FROM outbox AS o"
            " JOIN (SELECT id, status FROM broadcasts WHERE status != 'draft'"
            "       ORDER BY id DESC LIMIT ?) AS b ON b.id = o.broadcast_id"
            " GROUP BY b.id, b.status, o.state ORDER BY b.id, o.state",
            (recent,),
        )
        return [
            BroadcastProgress(
                broadcast_id=int(row["id"]),
                status=str(row["status"]),
                state=str(row["state"]),
                count=int(row["n"]),
            )
            for row in rows
        ]
