"""What is stored about one person, forgetting them, and the question-log retention purge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.addresses import address_of
from bot.logs import user_ref
from bot.store.database import Database

# Columns that name a person by address ("whatsapp:628...", the phone number for WhatsApp)
# rather than by a key to `users`: forgetting the person replaces the address by a pseudonym.
_ADDRESS_COLUMNS = (
    ("audit_log", "actor"),
    ("audit_log", "subject"),
    ("broadcasts", "created_by"),
    ("roles", "granted_by"),
)
Forgotten = Callable[[str, str], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class UserReference:
    """A column that points at `users(id)`, and what deleting the user does to its rows."""

    table: str
    column: str
    on_delete: str


class PrivacyRepository:
    def __init__(self, db: Database):
        self._db = db
        self._listeners: list[Forgotten] = []

    def on_forget(self, listener: Forgotten) -> None:
        """Call `listener(channel, external_id)` after a person is forgotten (channel caches)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Forgotten) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    async def user_references(self) -> list[UserReference]:
        """Every foreign key to `users`, read from the schema itself (all migrations)."""
        found: list[UserReference] = []
        for name in await self._db.tables():
            for column, table, on_delete in await self._db.foreign_keys(name):
                if table == "users":
                    found.append(UserReference(table=name, column=column, on_delete=on_delete))
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
        """Delete the user; every row that references them goes with it (ON DELETE CASCADE),
        and where the audit log, broadcasts or grants name them by address, a pseudonym
        (`deleted:<user_ref>`) takes its place: the log keeps who did what, not the number."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT channel, external_id FROM users WHERE id = ?", (user_id,)
            )
            if row is None:
                return False
            channel, external_id = str(row["channel"]), str(row["external_id"])
            await tx.execute("DELETE FROM users WHERE id = ?", (user_id,))
            address = address_of(channel, external_id)
            alias = f"deleted:{user_ref(channel, external_id)}"
            for table, column in _ADDRESS_COLUMNS:
                # Names are constants above, never input.
                await tx.execute(
                    f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', (alias, address)
                )
        for listener in list(self._listeners):
            listener(channel, external_id)
        return True

    async def purge_message_records(self, before: datetime) -> dict[str, int]:
        """Delete per-message records older than `before`: WhatsApp message statuses, and
        the outbox rows of announcements finished (done or cancelled) by then."""
        cutoff = before.astimezone(UTC).isoformat(timespec="microseconds")
        async with self._db.transaction() as tx:
            statuses = await tx.execute(
                "DELETE FROM whatsapp_outgoing WHERE created_at < ?", (cutoff,)
            )
            outbox = await tx.execute(
                "DELETE FROM outbox WHERE broadcast_id IN (SELECT id FROM broadcasts"
                " WHERE status IN ('done', 'cancelled') AND finished_at < ?)",
                (cutoff,),
            )
        return {"whatsapp_outgoing": statuses, "outbox": outbox}

    async def purge_audit(self, before: datetime) -> int:
        """Delete audit-log entries older than `before`."""
        return await self._db.execute(
            "DELETE FROM audit_log WHERE created_at < ?",
            (before.astimezone(UTC).isoformat(timespec="microseconds"),),
        )

    async def purge_questions(self, before: datetime) -> int:
        """Delete logged questions older than `before`; returns how many went."""
        return await self._db.execute(
            "DELETE FROM questions WHERE created_at < ?", (before.isoformat(),)
        )
