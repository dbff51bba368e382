"""Broadcasts and their durable outbox: one row per recipient, with its delivery state.

Audience rules (documented in docs/announcements.md): only subscribers who are still active on
a platform channel; a region target reaches subscriptions inside it (or above it: a province
subscriber hears about its regencies) and "all announcements" subscribers whose own region is
inside it; codes match by Kemendagri prefix ("61.04" covers "61.04.01.2001").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from bot.domain.service_window import window_opened_after
from bot.store.audit import write_audit
from bot.store.database import Database, Row, Writer

BroadcastStatus = Literal["draft", "scheduled", "sending", "done", "cancelled"]
OutboxState = Literal["pending", "in_flight", "sent", "failed", "blocked", "cancelled", "skipped"]
PLATFORM_CHANNELS = ("telegram", "whatsapp")


_LEASE_KEY = "outbox.sender_lease"


@dataclass(frozen=True, slots=True, kw_only=True)
class SenderLease:
    """Who sends the outbox (one process at a time), until when unless renewed."""

    holder: str
    expires_at: datetime


def iso(moment: datetime) -> str:
    """UTC, fixed width, so stored times compare correctly as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Audience:
    region_code: str | None = None
    village_heads: bool = False
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Broadcast:
    id: int
    created_by: str
    text_id: str
    text_en: str | None
    audience: Audience
    send_at: datetime | None
    status: BroadcastStatus
    created_at: datetime
    confirmed_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AudienceCount:
    per_channel: dict[str, int]
    whatsapp_outside_window: int = 0

    @property
    def total(self) -> int:
        return sum(self.per_channel.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxItem:
    id: int
    broadcast_id: int
    user_id: int
    channel: str
    chat_id: str
    locale: str
    attempts: int
    possible_duplicate: bool
    last_seen_at: datetime
    text_id: str
    text_en: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryResult:
    """What happened to one claimed row. `state="pending"` with `not_before` is a retry."""

    item_id: int
    state: OutboxState
    error: str = ""
    message_id: str | None = None
    not_before: datetime | None = None
    via_template: bool = False
    possible_duplicate: bool = False  # the platform may have it already (answer lost)


SkipReason = Literal["cancelled", "opted_out", "inactive", "gone"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastReport:
    broadcast: Broadcast
    states: dict[str, int]
    per_channel: dict[str, dict[str, int]]
    failures: list[tuple[str, int]]
    possible_duplicates: int
    via_template: int
    resent_after_crash: int = 0

    def count(self, *states: str) -> int:
        return sum(self.states.get(state, 0) for state in states)

    @property
    def total(self) -> int:
        return sum(self.states.values())


@dataclass(slots=True)
class _Filter:
    sql: str
    params: dict[str, Any] = field(default_factory=dict)


_BROADCAST_COLUMNS = (
    "id, created_by, text_id, text_en, region_code, village_heads, language, send_at, status,"
    " created_at, confirmed_at, finished_at"
)


def _broadcast(row: Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        created_by=row["created_by"],
        text_id=row["text_id"],
        text_en=row["text_en"],
        audience=Audience(
            region_code=row["region_code"],
            village_heads=bool(row["village_heads"]),
            language=row["language"],
        ),
        send_at=_parse(row["send_at"]),
        status=row["status"],
        created_at=datetime.fromisoformat(row["created_at"]),
        confirmed_at=_parse(row["confirmed_at"]),
        finished_at=_parse(row["finished_at"]),
    )


def _within(column: str) -> str:
    """SQL: `column` is the target region or inside it (prefix match on whole code parts)."""
    return f"({column} = :t OR substr({column}, 1, length(:t) + 1) = :t || '.')"


class BroadcastRepository:
    def __init__(self, db: Database):
        self._db = db

    # -- audience ---------------------------------------------------------------------------

    async def _audience_filter(self, audience: Audience) -> _Filter:
        channels = ", ".join(f"'{name}'" for name in PLATFORM_CHANNELS)
        conditions = ["u.active = 1", f"u.channel IN ({channels})"]
        params: dict[str, Any] = {}
        if audience.region_code:
            params["t"] = audience.region_code
            region = (
                f"((s.region_code != '' AND ({_within('s.region_code')}"
                " OR substr(:t, 1, length(s.region_code) + 1) = s.region_code || '.'))"
                f" OR (s.region_code = '' AND u.region_code IS NOT NULL"
                f" AND {_within('u.region_code')}))"
            )
        else:
            region = "1 = 1"
        conditions.append(
            f"EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id AND {region})"
        )
        if audience.language:
            params["lang"] = audience.language
            conditions.append("COALESCE(u.locale, 'id') = :lang")
        if audience.village_heads:
            heads = "SELECT user_id FROM roles WHERE role = 'village_head'"
            if "village_heads" in await self._db.tables():
                heads += " UNION SELECT user_id FROM village_heads WHERE verified = 1"
            conditions.append(f"u.id IN ({heads})")
        return _Filter(" AND ".join(conditions), params)

    async def count_audience(self, audience: Audience, now: datetime) -> AudienceCount:
        found = await self._audience_filter(audience)
        params = {**found.params, "window": iso(window_opened_after(now))}
        rows = await self._db.fetch_all(
            "SELECT u.channel, COUNT(*) AS n,"
            " SUM(u.channel = 'whatsapp' AND u.last_seen_at < :window) AS outside"
            f" FROM users u WHERE {found.sql} GROUP BY u.channel",
            params,
        )
        return AudienceCount(
            per_channel={row["channel"]: row["n"] for row in rows},
            whatsapp_outside_window=sum(row["outside"] or 0 for row in rows),
        )

    async def _materialize(self, tx: Writer, broadcast: Broadcast, now: datetime) -> int:
        found = await self._audience_filter(broadcast.audience)
        return await tx.execute(
            "INSERT OR IGNORE INTO outbox"
            " (broadcast_id, user_id, channel, chat_id, locale, state, updated_at)"
            " SELECT :b, u.id, u.channel, u.external_id, COALESCE(u.locale, 'id'), 'pending', :now"
            f" FROM users u WHERE {found.sql} ORDER BY u.id",
            {**found.params, "b": broadcast.id, "now": iso(now)},
        )

    # -- lifecycle --------------------------------------------------------------------------

    async def create(
        self,
        *,
        created_by: str,
        text_id: str,
        text_en: str | None,
        audience: Audience,
        send_at: datetime | None,
        recipients: int,
    ) -> Broadcast:
        """A draft awaiting confirmation; audited with the previewed recipient count."""
        now = datetime.now(UTC)
        async with self._db.transaction() as tx:
            broadcast_id = await tx.insert(
                "INSERT INTO broadcasts (created_by, text_id, text_en, region_code,"
                " village_heads, language, send_at, status, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?)",
                (
                    created_by,
                    text_id,
                    text_en,
                    audience.region_code,
                    int(audience.village_heads),
                    audience.language,
                    iso(send_at) if send_at else None,
                    iso(now),
                ),
            )
            await write_audit(
                tx,
                actor=created_by,
                action="broadcast.draft",
                subject=f"broadcast:{broadcast_id}",
                recipients=recipients,
                detail=_describe(audience),
            )
        created = await self.get(broadcast_id)
        if created is None:
            raise RuntimeError("broadcast vanished after insert")
        return created

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetch_one(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row else None

    async def recent(self, limit: int = 10) -> list[Broadcast]:
        rows = await self._db.fetch_all(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_broadcast(row) for row in rows]

    async def confirm(self, broadcast_id: int, actor: str, now: datetime) -> Broadcast | None:
        """Draft → scheduled (future send time) or sending (outbox rows written now).

        None when it is not a draft (already confirmed, cancelled or unknown).
        """
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,)
            )
            if row is None or row["status"] != "draft":
                return None
            broadcast = _broadcast(row)
            if broadcast.send_at is not None and broadcast.send_at > now:
                await tx.execute(
                    "UPDATE broadcasts SET status = 'scheduled', confirmed_at = ? WHERE id = ?",
                    (iso(now), broadcast_id),
                )
                await write_audit(
                    tx,
                    actor=actor,
                    action="broadcast.schedule",
                    subject=f"broadcast:{broadcast_id}",
                    detail=iso(broadcast.send_at),
                )
            else:
                recipients = await self._materialize(tx, broadcast, now)
                await tx.execute(
                    "UPDATE broadcasts SET status = 'sending', confirmed_at = ? WHERE id = ?",
                    (iso(now), broadcast_id),
                )
                await write_audit(
                    tx,
                    actor=actor,
                    action="broadcast.confirm",
                    subject=f"broadcast:{broadcast_id}",
                    recipients=recipients,
                )
        return await self.get(broadcast_id)

    async def start_due(self, now: datetime) -> list[int]:
        """Scheduled broadcasts whose time has come: write their outbox rows, start sending."""
        started = []
        rows = await self._db.fetch_all(
            f"SELECT {_BROADCAST_COLUMNS} FROM broadcasts"
            " WHERE status = 'scheduled' AND send_at <= ? ORDER BY send_at, id",
            (iso(now),),
        )
        for row in rows:
            broadcast = _broadcast(row)
            async with self._db.transaction() as tx:
                changed = await tx.execute(
                    "UPDATE broadcasts SET status = 'sending'"
                    " WHERE id = ? AND status = 'scheduled'",
                    (broadcast.id,),
                )
                if not changed:
                    continue
                recipients = await self._materialize(tx, broadcast, now)
                await write_audit(
                    tx,
                    actor="scheduler",
                    action="broadcast.start",
                    subject=f"broadcast:{broadcast.id}",
                    recipients=recipients,
                )
            started.append(broadcast.id)
        return started

    async def cancel(self, broadcast_id: int, actor: str) -> int | None:
        """Stop a broadcast: nothing pending is sent any more. Returns the rows cancelled."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
                " WHERE id = ? AND status IN ('draft', 'scheduled', 'sending')",
                (iso(datetime.now(UTC)), broadcast_id),
            )
            if not changed:
                return None
            cancelled = await tx.execute(
                "UPDATE outbox SET state = 'cancelled', updated_at = ?"
                " WHERE broadcast_id = ? AND state = 'pending'",
                (iso(datetime.now(UTC)), broadcast_id),
            )
            await write_audit(
                tx,
                actor=actor,
                action="broadcast.cancel",
                subject=f"broadcast:{broadcast_id}",
                recipients=cancelled,
            )
        return cancelled

    async def finish_completed(self) -> list[int]:
        """Mark `done` every sending broadcast with nothing left pending or in flight."""
        rows = await self._db.fetch_all(
            "SELECT b.id FROM broadcasts b WHERE b.status = 'sending' AND NOT EXISTS"
            " (SELECT 1 FROM outbox o WHERE o.broadcast_id = b.id"
            " AND o.state IN ('pending', 'in_flight'))"
        )
        candidates = [row["id"] for row in rows]
        done: list[int] = []
        if candidates:
            async with self._db.transaction() as tx:
                for broadcast_id in candidates:
                    if not await tx.execute(
                        "UPDATE broadcasts SET status = 'done', finished_at = ?"
                        " WHERE id = ? AND status = 'sending'",
                        (iso(datetime.now(UTC)), broadcast_id),
                    ):
                        continue  # finished meanwhile by a concurrent call: audited once
                    done.append(broadcast_id)
                    await write_audit(
                        tx,
                        actor="sender",
                        action="broadcast.done",
                        subject=f"broadcast:{broadcast_id}",
                        recipients=await _count(tx, broadcast_id, "sent"),
                    )
        return done

    # -- the sender's side ------------------------------------------------------------------

    async def sender_lease(self) -> SenderLease | None:
        row = await self._db.fetch_one("SELECT value FROM meta WHERE key = ?", (_LEASE_KEY,))
        return _lease(str(row["value"])) if row else None

    async def take_sender_lease(
        self, holder: str, ttl: timedelta, now: datetime, *, replacing: str | None = None
    ) -> SenderLease:
        """Take or renew the exclusive sender lease; returns the lease in force afterwards
        (someone else's while theirs is live). `replacing`: a holder known to be dead."""
        async with self._db.transaction() as tx:
            await tx.exclusive(_LEASE_KEY)  # several workers: one reads and writes at a time
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
            await tx.exclusive(_LEASE_KEY)
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
            # Rows another transaction is claiming are passed over (PostgreSQL), never shared.
            rows = await tx.fetch_all(
                "SELECT o.id, o.broadcast_id, o.user_id, o.channel, o.chat_id, o.locale,"
                " o.attempts, o.possible_duplicate, u.last_seen_at, b.text_id, b.text_en"
                " FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id"
                " JOIN users u ON u.id = o.user_id"
                " WHERE o.channel = ? AND o.state = 'pending' AND o.not_before <= ?"
                " AND b.status = 'sending' ORDER BY o.not_before, o.id LIMIT ?"
                + self._db.skip_locked("o"),
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

    # -- reporting --------------------------------------------------------------------------

    async def report(self, broadcast_id: int) -> BroadcastReport | None:
        broadcast = await self.get(broadcast_id)
        if broadcast is None:
            return None
        rows = await self._db.fetch_all(
            "SELECT channel, state, COUNT(*) AS n, SUM(possible_duplicate) AS dup,"
            " SUM(via_template) AS tpl FROM outbox WHERE broadcast_id = ?"
            " GROUP BY channel, state",
            (broadcast_id,),
        )
        states: dict[str, int] = {}
        per_channel: dict[str, dict[str, int]] = {}
        duplicates = templates = 0
        for row in rows:
            states[row["state"]] = states.get(row["state"], 0) + row["n"]
            per_channel.setdefault(row["channel"], {})[row["state"]] = row["n"]
            duplicates += row["dup"] or 0
            templates += row["tpl"] or 0
        failure_rows = await self._db.fetch_all(
            "SELECT last_error, COUNT(*) AS n FROM outbox WHERE broadcast_id = ?"
            " AND state IN ('failed', 'blocked', 'skipped') GROUP BY last_error"
            " ORDER BY n DESC, last_error",
            (broadcast_id,),
        )
        return BroadcastReport(
            broadcast=broadcast,
            states=states,
            per_channel=per_channel,
            failures=[(row["last_error"] or "unknown", row["n"]) for row in failure_rows],
            possible_duplicates=duplicates,
            via_template=templates,
        )

    async def sent_message_ids(self, broadcast_id: int) -> dict[int, str]:
        """user id → platform message id of every confirmed send (for checks and tests)."""
        rows = await self._db.fetch_all(
            "SELECT user_id, platform_message_id FROM outbox"
            " WHERE broadcast_id = ? AND state = 'sent'",
            (broadcast_id,),
        )
        return {row["user_id"]: row["platform_message_id"] or "" for row in rows}


async def _count(tx: Writer, broadcast_id: int, state: str) -> int:
    row = await tx.fetch_one(
        "SELECT COUNT(*) AS n FROM outbox WHERE broadcast_id = ? AND state = ?",
        (broadcast_id, state),
    )
    return int(row["n"]) if row else 0


def _describe(audience: Audience) -> str:
    parts = [f"region={audience.region_code or 'all'}"]
    if audience.village_heads:
        parts.append("village_heads")
    if audience.language:
        parts.append(f"language={audience.language}")
    return " ".join(parts)


def _lease(value: str) -> SenderLease:
    expires, _, holder = value.partition(" ")
    return SenderLease(holder=holder, expires_at=datetime.fromisoformat(expires))
