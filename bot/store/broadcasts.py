"""Broadcasts and their durable outbox: one row per recipient, with its delivery state.

Audience rules (documented in docs/announcements.md): only subscribers who are still active on
a platform channel; a region target reaches subscriptions inside it (or above it: a province
subscriber hears about its regencies) and "all announcements" subscribers whose own region is
inside it; codes match by Kemendagri prefix ("61.04" covers "61.04.01.2001").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.domain.service_window import window_opened_after
from bot.store.audit import write_audit
from bot.store.broadcast_models import (
    LEASE_KEY,
    PLATFORM_CHANNELS,
    Audience,
    AudienceCount,
    Broadcast,
    BroadcastReport,
    BroadcastStatus,
    DeliveryResult,
    OutboxItem,
    OutboxState,
    SenderLease,
    SkipReason,
    iso,
    parse_lease,
    parse_time,
)
from bot.store.broadcast_report import read_report
from bot.store.database import Database, Row, Writer
from bot.store.outbox import CANCELLED_IN_FLIGHT

__all__ = [
    "PLATFORM_CHANNELS",
    "Audience",
    "AudienceCount",
    "Broadcast",
    "BroadcastReport",
    "BroadcastRepository",
    "BroadcastStatus",
    "DeliveryResult",
    "OutboxItem",
    "OutboxState",
    "SenderLease",
    "SkipReason",
    "iso",
]


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
        send_at=parse_time(row["send_at"]),
        status=row["status"],
        created_at=datetime.fromisoformat(row["created_at"]),
        confirmed_at=parse_time(row["confirmed_at"]),
        finished_at=parse_time(row["finished_at"]),
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
        """Stop a broadcast: nothing more is sent. Returns the rows cancelled: every pending
        row and every row in flight not yet handed to the platform (the sender checks each
        row when it hands it over, in the same writer, so neither side misses the other);
        with no live sender, also the rows a crash left handed over (possibly delivered)."""
        now = datetime.now(UTC)
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
                " WHERE id = ? AND status IN ('draft', 'scheduled', 'sending')",
                (iso(now), broadcast_id),
            )
            if not changed:
                return None
            lease = await tx.fetch_one("SELECT value FROM meta WHERE key = ?", (LEASE_KEY,))
            sender_alive = lease is not None and parse_lease(lease["value"]).expires_at > now
            cancelled = await tx.execute(
                "UPDATE outbox SET state = 'cancelled', updated_at = :now,"
                " last_error = CASE WHEN handed = 1 THEN :note ELSE 'cancelled' END, handed = 0"
                " WHERE broadcast_id = :b AND (state = 'pending'"
                " OR (state = 'in_flight' AND (handed = 0 OR NOT :alive)))",
                {
                    "now": iso(now),
                    "b": broadcast_id,
                    "alive": sender_alive,
                    "note": CANCELLED_IN_FLIGHT,
                },
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

    # -- reporting --------------------------------------------------------------------------

    async def report(self, broadcast_id: int) -> BroadcastReport | None:
        broadcast = await self.get(broadcast_id)
        return await read_report(self._db, broadcast) if broadcast is not None else None

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
