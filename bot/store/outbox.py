"""The outbox, the sender's side: the exclusive sender lease, claiming due rows, the check
right before each send (which also marks the row as handed to the platform), storing
outcomes, and taking over rows left in flight by a crash.

Outcomes and hand-overs are small write jobs (`Database.write`): the ones queued while the
writer is busy are committed together, so the sender needs no batching of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.store.broadcast_models import (
    LEASE_KEY,
    DeliveryResult,
    OutboxItem,
    SenderLease,
    SkipReason,
    iso,
    parse_lease,
    parse_time,
)
from bot.store.database import Database, SyncWriter

# The platform may have the message: the row was handed over when the sender stopped.
CANCELLED_IN_FLIGHT = "cancelled: in flight when sending stopped, possibly delivered"


class OutboxRepository:
    def __init__(self, db: Database):
        self._db = db

    async def sender_lease(self) -> SenderLease | None:
        row = await self._db.fetch_one("SELECT value FROM meta WHERE key = ?", (LEASE_KEY,))
        return parse_lease(str(row["value"])) if row else None

    async def take_sender_lease(
        self, holder: str, ttl: timedelta, now: datetime, *, replacing: str | None = None
    ) -> SenderLease:
        """Take or renew the exclusive sender lease; returns the lease in force afterwards
        (someone else's while theirs is live). `replacing`: a holder known to be dead.
        Write jobs, like every write of the sender: a sender cancelled while it waits (a stop,
        a crash simulated in-process) never leaves the writer inside a transaction."""

        def take(tx: SyncWriter) -> SenderLease:
            tx.exclusive(LEASE_KEY)  # several workers: one reads and writes at a time
            row = tx.fetch_one("SELECT value FROM meta WHERE key = ?", (LEASE_KEY,))
            current = parse_lease(str(row["value"])) if row else None
            if (
                current is not None
                and current.holder not in (holder, replacing)
                and current.expires_at > now
            ):
                return current
            lease = SenderLease(holder=holder, expires_at=now + ttl)
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (LEASE_KEY, f"{iso(lease.expires_at)} {holder}"),
            )
            return lease

        return await self._db.write(take)

    async def release_sender_lease(self, holder: str) -> None:
        def release(tx: SyncWriter) -> None:
            tx.exclusive(LEASE_KEY)
            row = tx.fetch_one("SELECT value FROM meta WHERE key = ?", (LEASE_KEY,))
            if row is not None and parse_lease(str(row["value"])).holder == holder:
                tx.execute("DELETE FROM meta WHERE key = ?", (LEASE_KEY,))

        await self._db.write(release)

    async def recover_in_flight(self) -> int:
        """At sender start: rows left in flight by a crash go back to pending and are sent
        once more. Only rows handed to the platform (it may have them) are marked as possible
        duplicates; rows of a broadcast cancelled meanwhile are cancelled, not resent."""
        now = iso(datetime.now(UTC))

        def recover(tx: SyncWriter) -> int:
            tx.execute(
                "UPDATE outbox SET state = 'cancelled', handed = 0, updated_at = :now,"
                " last_error = CASE WHEN handed = 1 THEN :note ELSE 'cancelled' END"
                " WHERE state = 'in_flight' AND broadcast_id IN"
                " (SELECT id FROM broadcasts WHERE status = 'cancelled')",
                {"now": now, "note": CANCELLED_IN_FLIGHT},
            )
            return tx.execute(
                "UPDATE outbox SET state = 'pending', handed = 0, updated_at = ?,"
                " possible_duplicate = MAX(possible_duplicate, handed)"
                " WHERE state = 'in_flight'",
                (now,),
            )

        return await self._db.write(recover)

    async def claim(self, channel: str, limit: int, now: datetime) -> list[OutboxItem]:
        """Take up to `limit` due rows of one channel and mark them in flight."""
        if limit <= 0:
            return []

        def take(tx: SyncWriter) -> list[Any]:
            # Rows another transaction is claiming are passed over (PostgreSQL), never shared.
            rows = tx.fetch_all(
                "SELECT o.id, o.broadcast_id, o.user_id, o.channel, o.chat_id, o.locale,"
                " o.attempts, o.possible_duplicate, o.first_failed_at, u.last_seen_at,"
                " b.text_id, b.text_en"
                " FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id"
                " JOIN users u ON u.id = o.user_id"
                " WHERE o.channel = ? AND o.state = 'pending' AND o.not_before <= ?"
                " AND b.status = 'sending' ORDER BY o.not_before, o.id LIMIT ?"
                + self._db.skip_locked("o"),
                (channel, iso(now), limit),
            )
            tx.executemany(
                "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, handed = 0,"
                " updated_at = ? WHERE id = ?",
                [(iso(now), row["id"]) for row in rows],
            )
            return rows

        # A write job, not a transaction: a sender cancelled while it waits (a stop, a lost
        # lease) never leaves the shared writer connection inside a transaction.
        rows = await self._db.write(take)
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
                first_failed_at=parse_time(row["first_failed_at"]),
            )
            for row in rows
        ]

    async def hand_over(self, item_id: int) -> SkipReason | None:
        """Right before the request goes out (the channel's pacing done): the reason not to
        send (cancelled, opted out, unreachable, deleted), or None after marking the row as
        handed to the platform. One write job, so a cancel either comes first (the row is not
        sent) or finds the row handed over; a crash flags only handed rows as possibly sent."""
        return await self._db.write(lambda tx: _hand_over(tx, item_id))

    async def skip_reason(self, item_id: int) -> SkipReason | None:
        """The reason not to send this row now, read only: the sender's early check before
        it hands the row to the channel (`hand_over` checks again at the wire)."""
        row = await self._db.fetch_one(_SKIP_SQL, (item_id,))
        if row is None:
            return "gone"
        return _skip_reason(row["state"], row["status"], row["subscribed"], row["active"])

    async def record(self, results: Iterable[DeliveryResult]) -> None:
        """Store outcomes (committed together with other queued writes). A retry of a row
        whose broadcast was cancelled meanwhile is stored as cancelled."""
        now = iso(datetime.now(UTC))
        rows = [
            {
                "state": result.state,
                "error": result.error,
                "message": result.message_id,
                "not_before": iso(result.not_before) if result.not_before else "",
                "template": int(result.via_template),
                "duplicate": int(result.possible_duplicate),
                "now": now,
                "id": result.item_id,
            }
            for result in results
        ]
        if rows:
            await self._db.write(lambda tx: tx.executemany(_RECORD_SQL, rows))

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


_SKIP_SQL = (
    "SELECT o.state, b.status, u.active,"
    " EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = o.user_id) AS subscribed"
    " FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id"
    " JOIN users u ON u.id = o.user_id WHERE o.id = ?"
)

_RECORD_SQL = (
    "UPDATE outbox SET"
    " state = CASE WHEN :state = 'pending' AND (SELECT status FROM broadcasts b"
    " WHERE b.id = outbox.broadcast_id) = 'cancelled' THEN 'cancelled' ELSE :state END,"
    " last_error = :error, platform_message_id = COALESCE(:message, platform_message_id),"
    " not_before = :not_before, via_template = MAX(via_template, :template),"
    " possible_duplicate = MAX(possible_duplicate, :duplicate), handed = 0,"
    " first_failed_at = CASE WHEN :state = 'pending' AND first_failed_at = '' THEN :now"
    " ELSE first_failed_at END, updated_at = :now"
    " WHERE id = :id AND state = 'in_flight'"
)


def _skip_reason(state: str, status: str, subscribed: int, active: int) -> SkipReason | None:
    if status == "cancelled":
        return "cancelled"
    if state != "in_flight":
        return "gone"  # taken back (a cancel, or a newer sender after a lost lease)
    if not subscribed:
        return "opted_out"
    if not active:
        return "inactive"
    return None


def _hand_over(tx: SyncWriter, item_id: int) -> SkipReason | None:
    row = tx.fetch_one(_SKIP_SQL, (item_id,))
    if row is None:
        return "gone"
    reason = _skip_reason(row["state"], row["status"], row["subscribed"], row["active"])
    # Only a row still in flight is handed over: on PostgreSQL a cancel in another worker may
    # have taken the row back since it was read (the update waits for it, then sees it).
    if reason is None and not tx.execute(
        "UPDATE outbox SET handed = 1 WHERE id = ? AND state = 'in_flight'", (item_id,)
    ):
        return "cancelled"
    return reason
