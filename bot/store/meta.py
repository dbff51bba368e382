"""Small key-value bookkeeping (e.g. which version of the shipped seed data is loaded)."""

from __future__ import annotations

from bot.store.database import Database


class MetaRepository:
    def __init__(self, db: Database):
        self._db = db

    async def get(self, key: str) -> str | None:
        row = await self._db.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def set(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
