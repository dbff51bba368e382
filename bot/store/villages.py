"""Village-head links: a user who speaks for a village, unverified until staff confirm it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store.database import Database, Row

_COLUMNS = (
    "h.user_id, h.village_code, h.verified, h.verified_by, h.created_at, h.verified_at,"
    " u.channel, u.external_id"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class VillageLink:
    user_id: int
    village_code: str
    verified: bool
    verified_by: str | None
    created_at: datetime
    verified_at: datetime | None
    channel: str
    external_id: str


def _link(row: Row) -> VillageLink:
    return VillageLink(
        user_id=int(row["user_id"]),
        village_code=row["village_code"],
        verified=bool(row["verified"]),
        verified_by=row["verified_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        verified_at=datetime.fromisoformat(row["verified_at"]) if row["verified_at"] else None,
        channel=row["channel"],
        external_id=row["external_id"],
    )


def _now() -> str:
    return datetime.now(UTC).isoformat()


class VillageHeadRepository:
    def __init__(self, db: Database):
        self._db = db

    async def link(self, user_id: int, village_code: str) -> VillageLink:
        """Record (or move) the user's village; moving to another village needs a new check."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO village_heads (user_id, village_code, verified, created_at)"
                " VALUES (?, ?, 0, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET village_code = excluded.village_code,"
                " verified = 0, verified_by = NULL, verified_at = NULL,"
                " created_at = excluded.created_at"
                " WHERE village_heads.village_code != excluded.village_code",
                (user_id, village_code, _now()),
            )
            row = await tx.fetch_one(
                f"SELECT {_COLUMNS} FROM village_heads h JOIN users u ON u.id = h.user_id"
                " WHERE h.user_id = ?",
                (user_id,),
            )
        if row is None:
            raise RuntimeError("village link vanished inside its own transaction")
        return _link(row)

    async def get(self, user_id: int) -> VillageLink | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM village_heads h JOIN users u ON u.id = h.user_id"
            " WHERE h.user_id = ?",
            (user_id,),
        )
        return _link(row) if row else None

    async def pending(self, limit: int = 50) -> list[VillageLink]:
        """Links waiting for staff, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM village_heads h JOIN users u ON u.id = h.user_id"
            " WHERE h.verified = 0 ORDER BY h.created_at, h.user_id LIMIT ?",
            (limit,),
        )
        return [_link(row) for row in rows]

    async def pending_count(self) -> int:
        row = await self._db.fetch_one("SELECT count(*) FROM village_heads WHERE verified = 0")
        return int(row[0]) if row else 0

    async def verify(self, user_id: int, village_code: str, verified_by: str) -> bool:
        """Confirm a pending link to exactly this village; False if there is no such link.

        A confirmed worker also gets the village-head role (staff and admins keep theirs).
        """
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE village_heads SET verified = 1, verified_by = ?, verified_at = ?"
                " WHERE user_id = ? AND village_code = ?",
                (verified_by, _now(), user_id, village_code),
            )
            if changed:
                await tx.execute(
                    "INSERT INTO roles (user_id, role, granted_by, granted_at)"
                    " VALUES (?, 'village_head', ?, ?) ON CONFLICT (user_id) DO NOTHING",
                    (user_id, verified_by, _now()),
                )
        return changed > 0

    async def unlink(self, user_id: int) -> bool:
        """Remove the link (and the village-head role it gave)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute("DELETE FROM village_heads WHERE user_id = ?", (user_id,))
            await tx.execute(
                "DELETE FROM roles WHERE user_id = ? AND role = 'village_head'", (user_id,)
            )
        return changed > 0
