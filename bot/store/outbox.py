"""The outbox, the sender's side: the exclusive sender lease, claiming due rows, the check
right before each send, storing outcomes, and taking over rows left in flight by a crash."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from bot.store.broadcast_models import (
    DeliveryResult,
    OutboxItem,
    SenderLease,
    SkipReason,
    iso,
)
from bot.store.database import Database

_LEASE_KEY = "outbox.sender_lease"


class OutboxRepository:
    def __init__(self, db: Database):
        self._db = db

    async def sender_lease(self) -> SenderLease | None:
        row = await self._db.fetch_one("SELECT value FROM meta WHERE key = ?", (_LEASE_KEY,))
        return _lease(str(row["value"])) if row else None

    async def take_sender_lease(
        self, holder: str, ttl: timedelta, now: datetime, *, replacing: str | None = None
    ) -> SenderLease:
        """Take or renew the exclusive sender lease; returns the lease in force afterwards
        (someone else's while theirs is live). `replacing`: a holder known to be dead."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one("SELECT value FROM meta WHERE key = ?", (_LEASE_KEY,))
            current = _lease(str(row["value"])) if row else None
            if (
                current is not None
                and current.holder not in (holder, replacing)
                and current.expires_at > now
            ):
                return current
            lease = SenderLease(holder=holder, expires_at=now + ttl)
            await tx.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_LEASE_KEY, f"{iso(lease.expires_at)} {holder}"),
            )
            return lease

    async def release_sender_lease(self, holder: str) -> None:
        async with self._db.transaction() as tx:
            row = await tx.fetch_one("SELECT value FROM meta WHERE key = ?", (_LEASE_KEY,))
            if row is not None and _lease(str(row["value"])).holder == holder:
                await tx.execute("DELETE FROM meta WHERE key = ?", (_LEASE_KEY,))

    async def recover_in_flight(self) -> int:
        """At sender start: rows left in flight by a crash go back to pending, marked as
        possible duplicates (the platform may have received them), and are sent once more."""
        return await self._db.execute(
            "UPDATE outbox SET state = 'pending', possible_duplicate = 1, updated_at = ?"
            " WHERE state = 'in_flight'",
            (iso(datetime.now(UTC)),),
        )

    async def claim(self, channel: str, limit: int, now: datetime) -> list[OutboxItem]:
        """Take up to `limit` due rows of one channel and mark them in flight."""
        if limit <= 0:
            return []
        async with self._db.transaction() as tx:
            rows = await tx.fetch_all(
                "SELECT o.id, o.broadcast_id, o.user_id, o.channel, o.chat_id, o.locale,"
                " o.attempts, o.possible_duplicate, u.last_seen_at, b.text_id, b.text_en"
                " FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id"
                " JOIN users u ON u.id = o.user_id"
                " WHERE o.channel = ? AND o.state = 'pending' AND o.not_before <= ?"
                " AND b.status = 'sending' ORDER BY o.not_before, o.id LIMIT ?",
                (channel, iso(now), limit),
            )
            await tx.executemany(
                "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = ?"
                " WHERE id = ?",
                [(iso(now), row["id"]) for row in rows],
            )
        return [
            OutboxItem(
                id=row["id"],
                broadcast_id=row["broadcast_id"],
                user_id=row["user_id"],
                channel=row["channel"],
                chat_id=row["chat_id"],
                locale=row["locale"],
                attempts=row["attempts"] + 1,
                possible_duplicate=bool(row["possible_duplicate"]),
                last_seen_at=datetime.fromisoformat(row["last_seen_at"]),
                text_id=row["text_id"],
                text_en=row["text_en"],
            )
            for row in rows
        ]

    async def skip_reason(self, item_id: int) -> SkipReason | None:
        """Checked right before each send: cancelled, opted out, unreachable, or deleted."""
        row = await self._db.fetch_one(
            "SELECT b.status, u.active,"
            " EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = o.user_id) AS subscribed"
            " FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id"
            " JOIN users u ON u.id = o.user_id WHERE o.id = ?",
            (item_id,),
        )
        if row is None:
            return "gone"
        if row["status"] == "cancelled":
            return "cancelled"
        if not row["subscribed"]:
            return "opted_out"
        if not row["active"]:
            return "inactive"
        return None

    async def record(self, results: Iterable[DeliveryResult]) -> None:
        """Write many outcomes in one transaction (the sender batches them)."""
        now = iso(datetime.now(UTC))
        rows = [
            (
                result.state,
                result.error,
                result.message_id,
                iso(result.not_before) if result.not_before else "",
                int(result.via_template),
                int(result.possible_duplicate),
                now,
                result.item_id,
            )
            for result in results
        ]
        if not rows:
            return
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE outbox SET state = ?, last_error = ?,"
                " platform_message_id = COALESCE(?, platform_message_id), not_before = ?,"
                " via_template = MAX(via_template, ?),"
                " possible_duplicate = MAX(possible_duplicate, ?), updated_at = ?"
                " WHERE id = ? AND state = 'in_flight'",
                rows,
            )

    async def has_work(self, channels: Sequence[str], *, due_by: datetime | None = None) -> bool:
        """Rows of these channels pending or in flight; with `due_by`, only retries due by
        then count (a row a platform told us to hold back for a day does not)."""
        if not channels:
            return False
        marks = ", ".join("?" for _ in channels)
        row = await self._db.fetch_one(
            "SELECT 1 FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id"
            f" WHERE o.state IN ('pending', 'in_flight') AND o.channel IN ({marks})"
            " AND b.status = 'sending' AND o.not_before <= ? LIMIT 1",
            (*channels, iso(due_by) if due_by else "~"),  # "~" sorts after every time
        )
        return row is not None


def _lease(value: str) -> SenderLease:
    expires, _, holder = value.partition(" ")
    return SenderLease(holder=holder, expires_at=datetime.fromisoformat(expires))
