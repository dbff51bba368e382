"""People: who wrote from which channel, their language, region and subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.database import Database, Row, SyncWriter
from bot.store.models import User

_USER_COLUMNS = "id, channel, external_id, locale, region_code, created_at, last_seen_at, active"


def _user(row: Row) -> User:
    return User(
        id=row["id"],
        channel=row["channel"],
        external_id=row["external_id"],
        locale=row["locale"],
        region_code=row["region_code"],
        created_at=datetime.fromisoformat(row["created_at"]),
        last_seen_at=datetime.fromisoformat(row["last_seen_at"]),
        active=bool(row["active"]),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat()


def touch_user(tx: SyncWriter, channel: str, external_id: str) -> User:
    """Find or create the user and record that they were seen now, inside a write job."""
    now = _now()
    row = tx.fetch_one(
        "INSERT INTO users (channel, external_id, created_at, last_seen_at)"
        " VALUES (?, ?, ?, ?)"
        " ON CONFLICT (channel, external_id)"
        " DO UPDATE SET last_seen_at = excluded.last_seen_at, active = 1"
        f" RETURNING {_USER_COLUMNS}",
        (channel, external_id, now, now),
    )
    if row is None:
        raise RuntimeError("upsert of a user returned no row")
    return _user(row)


class PeopleRepository:
    def __init__(self, db: Database):
        self._db = db

    async def touch(self, channel: str, external_id: str) -> User:
        """Find or create the user and record that they were seen now (one statement)."""
        return await self._db.write(lambda tx: touch_user(tx, channel, external_id))

    async def get(self, user_id: int) -> User | None:
        row = await self._db.fetch_one(
            f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,)
        )
        return _user(row) if row else None

    async def find(self, channel: str, external_id: str) -> User | None:
        row = await self._db.fetch_one(
            f"SELECT {_USER_COLUMNS} FROM users WHERE channel = ? AND external_id = ?",
            (channel, external_id),
        )
        return _user(row) if row else None

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self._db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))

    async def set_region(self, user_id: int, region_code: str | None) -> None:
        await self._db.execute(
            "UPDATE users SET region_code = ? WHERE id = ?", (region_code, user_id)
        )

    async def set_active(self, user_id: int, active: bool) -> None:
        """Mark a user unreachable (False) or reachable again; writing to the bot reactivates."""
        await self._db.execute(
            "UPDATE users SET active = ? WHERE id = ?", (1 if active else 0, user_id)
        )

    async def subscribe(self, user_id: int, region_code: str | None = None) -> bool:
        """Opt in to announcements (for one region, or all when None); False if already."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO subscriptions (user_id, region_code, created_at)"
            " VALUES (?, ?, ?)",
            (user_id, region_code or "", _now()),
        )
        return changed > 0

    async def unsubscribe(self, user_id: int) -> int:
        """Opt out of every announcement at once; returns how many subscriptions ended."""
        return await self._db.execute("DELETE FROM subscriptions WHERE user_id = ?", (user_id,))

    async def subscriptions(self, user_id: int) -> list[str | None]:
        """The regions a user follows; None stands for "all announcements"."""
        rows = await self._db.fetch_all(
            "SELECT region_code FROM subscriptions WHERE user_id = ? ORDER BY region_code",
            (user_id,),
        )
        return [row["region_code"] or None for row in rows]
