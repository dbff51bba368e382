"""WhatsApp bookkeeping: contact identities, handled inbound ids, outgoing message statuses."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.store.claims import Claim, ClaimedRows, iso
from bot.store.database import Database, Row, SyncWriter

OutgoingKind = Literal["reply", "bulk", "template"]
DeliveryStatus = Literal["accepted", "sent", "delivered", "read", "failed"]

# A later status never moves a message backwards (webhooks arrive out of order);
# "failed" always wins, because Meta may report it after "sent".
_RANK = (
    "CASE {col} WHEN 'accepted' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2"
    " WHEN 'read' THEN 3 ELSE 9 END"
)
_CHANNEL = "whatsapp"
# A message kept but not answered, taken over from a claim that expired (its worker died).
_TAKE_OVER = (
    "UPDATE whatsapp_inbound SET claimed_by = ?, claimed_until = ? WHERE wamid = ?"
    " AND pending IS NOT NULL AND handled_at IS NULL"
    " AND (claimed_until IS NULL OR claimed_until <= ?)"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """How to reach one person; at least one of the two ids is set."""

    user_id: int
    external_id: str
    wa_id: str | None
    bsuid: str | None

    @property
    def recipient(self) -> str:
        """The phone when known (every API accepts it), else the business-scoped id."""
        return self.wa_id or self.bsuid or self.external_id


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingMessage:
    wamid: str
    user_id: int | None
    kind: OutgoingKind
    status: DeliveryStatus
    error_code: int | None
    error_title: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusChange:
    """One status webhook entry: `error_code` is set when `status` is "failed"."""

    wamid: str
    status: DeliveryStatus
    error_code: int | None = None
    error_title: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """A recorded failure of a message the bot sent, with the person it was for."""

    wamid: str
    user_id: int | None
    error_code: int | None


def inbound_key(wamid: str) -> str:
    """What `whatsapp_inbound` keeps of a message id: its SHA-256 (hex). The id itself is
    base64 with the sender's phone number inside; the digest only tells ids apart."""
    return hashlib.sha256(wamid.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _outgoing(row: Row) -> OutgoingMessage:
    return OutgoingMessage(
        wamid=row["wamid"],
        user_id=row["user_id"],
        kind=row["kind"],
        status=row["status"],
        error_code=row["error_code"],
        error_title=row["error_title"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


_OUTGOING_COLUMNS = "wamid, user_id, kind, status, error_code, error_title, created_at, updated_at"


class WhatsAppRepository:
    def __init__(self, db: Database):
        self._db = db
        self.claims = ClaimedRows(db, "whatsapp_inbound", " AND handled_at IS NULL")

    # --- identities -------------------------------------------------------------------------

    async def find_contact(self, *, wa_id: str | None, bsuid: str | None) -> Contact | None:
        """The person known by this BSUID or phone (BSUID first: it never changes)."""
        if not wa_id and not bsuid:
            return None
        row = await self._db.fetch_one(
            "SELECT c.user_id, u.external_id, c.wa_id, c.bsuid FROM whatsapp_contacts c"
            " JOIN users u ON u.id = c.user_id WHERE c.bsuid = ? OR c.wa_id = ?"
            " ORDER BY c.bsuid IS NOT ? LIMIT 1",
            (bsuid, wa_id, bsuid),
        )
        return _contact(row) if row else None

    async def contact_of(self, external_id: str) -> Contact | None:
        row = await self._db.fetch_one(
            "SELECT c.user_id, u.external_id, c.wa_id, c.bsuid FROM whatsapp_contacts c"
            " JOIN users u ON u.id = c.user_id WHERE u.channel = ? AND u.external_id = ?",
            (_CHANNEL, external_id),
        )
        return _contact(row) if row else None

    # --- inbound ----------------------------------------------------------------------------
    # Both writes below are `Database.write` jobs: under load, many webhooks share one
    # transaction (a group commit) instead of queueing for the single writer one by one.

    async def claim_inbound(
        self,
        wamids: Sequence[str],
        pending: Mapping[str, str] | None = None,
        claim: Claim | None = None,
    ) -> set[str]:
        """Record inbound message ids; returns those to be answered here: not seen before,
        or (with a `claim`) kept, never answered, and free of any live claim (the worker
        that took it died), now claimed by `claim.worker`.

        `pending` keeps each message's content until `finish_inbound` (see `unhandled`).
        Only a digest of each id is stored: Meta's ids encode the sender's phone number.
        """
        unique = list(dict.fromkeys(wamids))
        if not unique:
            return set()
        now = _now().isoformat()
        kept = pending or {}
        worker = claim.worker if claim else None
        until = iso(claim.until) if claim else None

        def take(tx: SyncWriter) -> set[str]:
            fresh: set[str] = set()
            for wamid in unique:
                key = inbound_key(wamid)
                if tx.execute(
                    "INSERT OR IGNORE INTO whatsapp_inbound"
                    " (wamid, received_at, pending, claimed_by, claimed_until)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (key, now, kept.get(wamid), worker, until),
                ) or (
                    claim is not None
                    and tx.execute(_TAKE_OVER, (worker, until, key, iso(claim.now)))
                ):
                    fresh.add(wamid)
            return fresh

        return await self._db.write(take)

    async def unhandled(self, since: datetime) -> list[tuple[str, str]]:
        """(key, content) of messages accepted since then but never answered (a crash)."""
        rows = await self._db.fetch_all(
            "SELECT wamid, pending FROM whatsapp_inbound WHERE pending IS NOT NULL"
            " AND handled_at IS NULL AND received_at >= ? ORDER BY received_at",
            (since.astimezone(UTC).isoformat(),),
        )
        return [(row["wamid"], row["pending"]) for row in rows]

    async def claim_unhandled(self, since: datetime, claim: Claim) -> list[tuple[str, str]]:
        """(key, content) of messages accepted since then, never answered and free (never
        claimed, or the claim expired: its worker died), now claimed by `claim.worker`."""
        rows = await self._db.write(
            lambda tx: tx.fetch_all(
                "UPDATE whatsapp_inbound SET claimed_by = ?, claimed_until = ?"
                " WHERE pending IS NOT NULL AND handled_at IS NULL AND received_at >= ?"
                " AND (claimed_until IS NULL OR claimed_until <= ?)"
                " RETURNING wamid, pending, received_at",
                (claim.worker, iso(claim.until), iso(since), iso(claim.now)),
            )
        )
        ordered = sorted(rows, key=lambda row: (str(row["received_at"]), str(row["wamid"])))
        return [(str(row["wamid"]), str(row["pending"])) for row in ordered]

    async def finish_inbound(
        self,
        wamid: str,
        *,
        external_id: str,
        wa_id: str | None,
        bsuid: str | None,
        update_contact: bool,
        sent: Iterable[str] = (),
    ) -> None:
        """After answering: mark the message handled, keep the contact, record the replies."""
        now = _now().isoformat()
        sent = list(sent)

        def finish(tx: SyncWriter) -> None:
            tx.execute(
                "UPDATE whatsapp_inbound SET handled_at = ?, pending = NULL,"
                " claimed_by = NULL, claimed_until = NULL WHERE wamid = ?",
                (now, inbound_key(wamid)),
            )
            if update_contact and (wa_id or bsuid):
                _save_contact(tx, external_id, wa_id, bsuid, now)
            if sent:
                tx.executemany(
                    "INSERT OR IGNORE INTO whatsapp_outgoing"
                    " (wamid, user_id, kind, status, created_at, updated_at) VALUES"
                    " (?, (SELECT id FROM users WHERE channel = ? AND external_id = ?),"
                    " 'reply', 'accepted', ?, ?)",
                    [(out, _CHANNEL, external_id, now, now) for out in sent],
                )

        await self._db.write(finish)

    async def forget_pending(self, before: datetime) -> int:
        """Drop the content of unanswered messages older than this (too late to answer)."""
        return await self._db.execute(
            "UPDATE whatsapp_inbound SET pending = NULL"
            " WHERE pending IS NOT NULL AND received_at < ?",
            (before.astimezone(UTC).isoformat(),),
        )

    async def prune_inbound(self, older_than: timedelta = timedelta(days=30)) -> int:
        """Forget handled ids older than Meta's re-delivery period (days, not months)."""
        cutoff = (_now() - older_than).isoformat()
        return await self._db.execute(
            "DELETE FROM whatsapp_inbound WHERE received_at < ?", (cutoff,)
        )

    async def is_handled(self, wamid: str) -> bool:
        row = await self._db.fetch_one(
            "SELECT handled_at FROM whatsapp_inbound WHERE wamid = ?", (inbound_key(wamid),)
        )
        return row is not None and row["handled_at"] is not None

    # --- outgoing ---------------------------------------------------------------------------

    async def record_outgoing(
        self, wamids: Iterable[str], *, user_id: int | None, kind: OutgoingKind
    ) -> None:
        rows = list(wamids)
        now = _now().isoformat()
        await self._db.write(lambda tx: _insert_outgoing(tx, rows, user_id, kind, now))

    async def record_statuses(self, changes: Sequence[StatusChange]) -> list[Failure]:
        """Apply status webhooks to the messages we sent; returns the new failures."""
        failures: list[Failure] = []
        now = _now().isoformat()
        rank_new = _RANK.format(col="?")
        rank_old = _RANK.format(col="status")
        async with self._db.transaction() as tx:
            for change in changes:
                changed = await tx.execute(
                    "UPDATE whatsapp_outgoing SET status = ?, error_code = ?, error_title = ?,"
                    " updated_at = ? WHERE wamid = ? AND status != 'failed'"
                    f" AND ({rank_new} > {rank_old} OR ? = 'failed')",
                    (
                        change.status,
                        change.error_code,
                        change.error_title,
                        now,
                        change.wamid,
                        change.status,
                        change.status,
                    ),
                )
                if changed and change.status == "failed":
                    row = await tx.fetch_one(
                        "SELECT user_id FROM whatsapp_outgoing WHERE wamid = ?", (change.wamid,)
                    )
                    failures.append(
                        Failure(
                            wamid=change.wamid,
                            user_id=row["user_id"] if row else None,
                            error_code=change.error_code,
                        )
                    )
        return failures

    async def outgoing(self, wamid: str) -> OutgoingMessage | None:
        row = await self._db.fetch_one(
            f"SELECT {_OUTGOING_COLUMNS} FROM whatsapp_outgoing WHERE wamid = ?", (wamid,)
        )
        return _outgoing(row) if row else None

    async def outgoing_many(self, wamids: Iterable[str]) -> dict[str, OutgoingMessage]:
        """Statuses of many messages (e.g. one announcement's), by wamid."""
        found: dict[str, OutgoingMessage] = {}
        ids = list(dict.fromkeys(wamids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self._db.fetch_all(
                f"SELECT {_OUTGOING_COLUMNS} FROM whatsapp_outgoing WHERE wamid IN ({marks})",
                chunk,
            )
            found.update((row["wamid"], _outgoing(row)) for row in rows)
        return found

    async def status_counts(
        self, *, kinds: Iterable[OutgoingKind] = ("bulk", "template"), since: datetime
    ) -> dict[str, int]:
        """How many messages of these kinds, sent since then, are in each status."""
        kind_list = list(kinds)
        marks = ",".join("?" * len(kind_list))
        rows = await self._db.fetch_all(
            "SELECT status, count(*) AS n FROM whatsapp_outgoing"
            f" WHERE kind IN ({marks}) AND created_at >= ? GROUP BY status",
            (*kind_list, since.astimezone(UTC).isoformat()),
        )
        return {row["status"]: int(row["n"]) for row in rows}


def _insert_outgoing(
    tx: SyncWriter, wamids: Iterable[str], user_id: int | None, kind: OutgoingKind, now: str
) -> None:
    tx.executemany(
        "INSERT OR IGNORE INTO whatsapp_outgoing"
        " (wamid, user_id, kind, status, created_at, updated_at)"
        " VALUES (?, ?, ?, 'accepted', ?, ?)",
        [(wamid, user_id, kind, now, now) for wamid in wamids],
    )


_SAVE_CONTACT = (
    "INSERT INTO whatsapp_contacts (user_id, wa_id, bsuid, updated_at)"
    " SELECT id, ?, ?, ? FROM users WHERE channel = ? AND external_id = ?"
    " ON CONFLICT (user_id) DO UPDATE SET"
    " wa_id = coalesce(excluded.wa_id, whatsapp_contacts.wa_id),"
    " bsuid = coalesce(excluded.bsuid, whatsapp_contacts.bsuid),"
    " updated_at = excluded.updated_at"
    # Saved with every message: write only when an id is new or changed.
    " WHERE whatsapp_contacts.wa_id IS NOT coalesce(excluded.wa_id, whatsapp_contacts.wa_id)"
    " OR whatsapp_contacts.bsuid IS NOT coalesce(excluded.bsuid, whatsapp_contacts.bsuid)"
)


def _save_contact(
    tx: SyncWriter, external_id: str, wa_id: str | None, bsuid: str | None, now: str
) -> None:
    params = (wa_id, bsuid, now, _CHANNEL, external_id)
    if tx.attempt(_SAVE_CONTACT, params) is not None:
        return
    # refused: the phone or BSUID belongs to another row: the number was re-assigned
    others = "(SELECT id FROM users WHERE channel = ? AND external_id = ?)"
    for column, value in (("wa_id", wa_id), ("bsuid", bsuid)):
        if not value:
            continue
        other = "bsuid" if column == "wa_id" else "wa_id"
        tx.execute(
            f"UPDATE whatsapp_contacts SET {column} = NULL WHERE {column} = ?"
            f" AND user_id IS NOT {others} AND {other} IS NOT NULL",
            (value, _CHANNEL, external_id),
        )
        tx.execute(
            f"DELETE FROM whatsapp_contacts WHERE {column} = ? AND user_id IS NOT {others}",
            (value, _CHANNEL, external_id),
        )
    tx.execute(_SAVE_CONTACT, params)


def _contact(row: Row) -> Contact:
    return Contact(
        user_id=int(row["user_id"]),
        external_id=row["external_id"],
        wa_id=row["wa_id"],
        bsuid=row["bsuid"],
    )
