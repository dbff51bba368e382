"""The staff audit log: who did what, when, and how many people it reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store.database import Database, Writer


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    id: int
    actor: str
    action: str
    subject: str
    recipients: int | None
    detail: str
    created_at: datetime


_INSERT = (
    "INSERT INTO audit_log (actor, action, subject, recipients, detail, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


async def write_audit(
    tx: Writer,
    *,
    actor: str,
    action: str,
    subject: str = "",
    recipients: int | None = None,
    detail: str = "",
) -> None:
    """Record an action inside the caller's transaction: action and entry commit together."""
    await tx.execute(
        _INSERT, (actor, action, subject, recipients, detail, datetime.now(UTC).isoformat())
    )


class AuditRepository:
    def __init__(self, db: Database):
        self._db = db

    async def record(
        self,
        *,
        actor: str,
        action: str,
        subject: str = "",
        recipients: int | None = None,
        detail: str = "",
    ) -> None:
        async with self._db.transaction() as tx:
            await write_audit(
                tx,
                actor=actor,
                action=action,
                subject=subject,
                recipients=recipients,
                detail=detail,
            )

    async def recent(self, limit: int = 20, *, action_prefix: str = "") -> list[AuditEntry]:
        rows = await self._db.fetch_all(
            "SELECT id, actor, action, subject, recipients, detail, created_at FROM audit_log"
            " WHERE action LIKE ? ORDER BY id DESC LIMIT ?",
            (f"{action_prefix}%", limit),
        )
        return [
            AuditEntry(
                id=row["id"],
                actor=row["actor"],
                action=row["action"],
                subject=row["subject"],
                recipients=row["recipients"],
                detail=row["detail"],
                created_at=datetime.fromisoformat(row["created_at"]),
            )
            for row in rows
        ]
