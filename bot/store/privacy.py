"""What is stored about one person, forgetting them, and the question-log retention purge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.database import Database


@dataclass(frozen=True, slots=True, kw_only=True)
class UserReference:
    """A column that points at `users(id)`, and what deleting the user does to its rows."""

    table: str
    column: str
    on_delete: str


class PrivacyRepository:
    def __init__(self, db: Database):
        self._db = db

    async def user_references(self) -> list[UserReference]:
        """Every foreign key to `users`, read from the schema itself (all migrations)."""
        tables = await self._db.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        found: list[UserReference] = []
        for table in tables:
            name = str(table["name"])
            keys = await self._db.fetch_all("SELECT * FROM pragma_foreign_key_list(?)", (name,))
            for key in keys:
                if str(key["table"]) == "users":
                    found.append(
                        UserReference(
                            table=name, column=str(key["from"]), on_delete=str(key["on_delete"])
                        )
                    )
        return found

    async def stored_rows(self, user_id: int) -> dict[str, int]:
        """Rows per table that belong to this user (tables with none are left out)."""
        counts: dict[str, int] = {}
        for ref in await self.user_references():
            # Table and column names come from the schema, never from input.
            row = await self._db.fetch_one(
                f'SELECT count(*) AS n FROM "{ref.table}" WHERE "{ref.column}" = ?', (user_id,)
            )
            n = int(row["n"]) if row else 0
            if n:
                counts[ref.table] = counts.get(ref.table, 0) + n
        return counts

    async def forget(self, user_id: int) -> bool:
        """Delete the user; every row that references them goes with it (ON DELETE CASCADE)."""
        return await self._db.execute("DELETE FROM users WHERE id = ?", (user_id,)) > 0

    async def purge_questions(self, before: datetime) -> int:
        """Delete logged questions older than `before`; returns how many went."""
        return await self._db.execute(
            "DELETE FROM questions WHERE created_at < ?", (before.isoformat(),)
        )
