"""The question log: what users asked, how it was understood, and what went unanswered."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.database import Database
from bot.store.models import Question


class QuestionRepository:
    def __init__(self, db: Database):
        self._db = db

    async def log(
        self,
        *,
        user_id: int | None,
        channel: str,
        text: str,
        intent: str,
        score: float,
        answered: bool,
        region_code: str | None = None,
    ) -> None:
        """One question; `region_code` is the place it named, if any (for statistics)."""
        await self._db.execute(
            "INSERT INTO questions"
            " (user_id, channel, text, intent, score, answered, created_at, region_code)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                channel,
                text,
                intent,
                score,
                int(answered),
                datetime.now(UTC).isoformat(),
                region_code,
            ),
        )

    async def recent_regions(self, user_id: int, limit: int = 3) -> list[str]:
        """The places the user's latest questions named, newest first, each once."""
        rows = await self._db.fetch_all(
            "SELECT region_code, max(id) AS latest FROM questions"
            " WHERE user_id = ? AND region_code IS NOT NULL"
            " GROUP BY region_code ORDER BY latest DESC LIMIT ?",
            (user_id, limit),
        )
        return [str(row["region_code"]) for row in rows]

    async def unanswered(self, limit: int = 50) -> list[Question]:
        rows = await self._db.fetch_all(
            "SELECT id, channel, text, intent, score, created_at FROM questions"
            " WHERE answered = 0 ORDER BY created_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [
            Question(
                id=row["id"],
                channel=row["channel"],
                text=row["text"],
                intent=row["intent"],
                score=row["score"],
                created_at=datetime.fromisoformat(row["created_at"]),
            )
            for row in rows
        ]
