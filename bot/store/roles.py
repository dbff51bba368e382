"""Granted roles (staff, verified village heads). Admins come from configuration instead."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.roles import Role
from bot.store.database import Database

_GRANTABLE = frozenset({Role.STAFF, Role.VILLAGE_HEAD})


class RoleRepository:
    def __init__(self, db: Database):
        self._db = db

    async def role_of(self, user_id: int) -> Role:
        row = await self._db.fetch_one("SELECT role FROM roles WHERE user_id = ?", (user_id,))
        return Role(row["role"]) if row else Role.WORKER

    async def grant(self, user_id: int, role: Role, granted_by: str) -> None:
        if role not in _GRANTABLE:
            raise ValueError(f"role {role} cannot be granted (admins come from configuration)")
        await self._db.execute(
            "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET role = excluded.role,"
            " granted_by = excluded.granted_by, granted_at = excluded.granted_at",
            (user_id, role.value, granted_by, datetime.now(UTC).isoformat()),
        )

    async def revoke(self, user_id: int) -> bool:
        return await self._db.execute("DELETE FROM roles WHERE user_id = ?", (user_id,)) > 0
