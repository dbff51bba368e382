"""Granted roles (staff, verified village heads). Admins come from configuration instead.

Every grant and revoke is written to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.addresses import address_of
from bot.domain.roles import Role
from bot.store.audit import write_audit
from bot.store.database import Database, SyncWriter, Writer

_GRANTABLE = frozenset({Role.STAFF, Role.VILLAGE_HEAD})


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleGrant:
    user_id: int
    channel: str
    external_id: str
    role: Role
    granted_by: str
    granted_at: datetime

    @property
    def address(self) -> str:
        return address_of(self.channel, self.external_id)


async def _address(tx: Writer, user_id: int) -> str:
    row = await tx.fetch_one("SELECT channel, external_id FROM users WHERE id = ?", (user_id,))
    return address_of(row["channel"], row["external_id"]) if row else f"user:{user_id}"


_ROLE_OF = "SELECT role FROM roles WHERE user_id = ?"


def read_role(tx: SyncWriter, user_id: int) -> Role:
    """The granted role (a worker without a grant), inside a write job (`Store.arrive`)."""
    row = tx.fetch_one(_ROLE_OF, (user_id,))
    return Role(row["role"]) if row else Role.WORKER


class RoleRepository:
    def __init__(self, db: Database):
        self._db = db

    async def role_of(self, user_id: int) -> Role:
        row = await self._db.fetch_one(_ROLE_OF, (user_id,))
        return Role(row["role"]) if row else Role.WORKER

    async def grant(self, user_id: int, role: Role, granted_by: str) -> None:
        if role not in _GRANTABLE:
            raise ValueError(f"role {role} cannot be granted (admins come from configuration)")
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET role = excluded.role,"
                " granted_by = excluded.granted_by, granted_at = excluded.granted_at",
                (user_id, role.value, granted_by, datetime.now(UTC).isoformat()),
            )
            await write_audit(
                tx,
                actor=granted_by,
                action="role.grant",
                subject=await _address(tx, user_id),
                detail=role.value,
            )

    async def revoke(self, user_id: int, revoked_by: str = "system") -> bool:
        async with self._db.transaction() as tx:
            row = await tx.fetch_one("SELECT role FROM roles WHERE user_id = ?", (user_id,))
            if row is None:
                return False
            await tx.execute("DELETE FROM roles WHERE user_id = ?", (user_id,))
            await write_audit(
                tx,
                actor=revoked_by,
                action="role.revoke",
                subject=await _address(tx, user_id),
                detail=str(row["role"]),
            )
        return True

    async def granted(self, role: Role | None = None) -> list[RoleGrant]:
        """Everyone holding a granted role (optionally one role), oldest grant first."""
        rows = await self._db.fetch_all(
            "SELECT r.user_id, u.channel, u.external_id, r.role, r.granted_by, r.granted_at"
            " FROM roles r JOIN users u ON u.id = r.user_id"
            " WHERE (? IS NULL OR r.role = ?) ORDER BY r.granted_at, r.user_id",
            (role and role.value, role and role.value),
        )
        return [
            RoleGrant(
                user_id=row["user_id"],
                channel=row["channel"],
                external_id=row["external_id"],
                role=Role(row["role"]),
                granted_by=row["granted_by"],
                granted_at=datetime.fromisoformat(row["granted_at"]),
            )
            for row in rows
        ]
