"""Tickets: a person's request for staff, its messages, and every change to it, audited.

Status moves open → claimed → answered → closed; a user writing again within the reopen
period sets an answered ticket back to open. One open (or claimed) ticket per user, enforced
by a partial unique index. Staff notifications and answers to users go through the durable
relay outbox (`bot/store/ticket_relays.py`), written in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.store.audit import write_audit
from bot.store.database import Database, IntegrityError, Row, Writer
from bot.store.ticket_relays import RelayDraft, enqueue
from bot.store.ticket_stats import TicketCounts, count_tickets

OPEN_STATES = ("open", "claimed")
_COLUMNS = (
    "id, user_id, channel, chat_id, locale, region_code, topic, question, status, claimed_by,"
    " reopened, created_at, updated_at, first_answer_at, answered_at, closed_at"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ticket:
    id: int
    user_id: int
    channel: str
    chat_id: str
    locale: str
    region_code: str | None
    topic: str
    question: str
    status: str
    claimed_by: str | None
    reopened: int
    created_at: datetime
    updated_at: datetime
    first_answer_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketMessage:
    author: str  # context (what the user asked before), user, staff
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Opened:
    ticket: Ticket
    created: bool  # False: the user already had this open ticket


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _ticket(row: Row) -> Ticket:
    return Ticket(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        channel=str(row["channel"]),
        chat_id=str(row["chat_id"]),
        locale=str(row["locale"]),
        region_code=row["region_code"],
        topic=str(row["topic"]),
        question=str(row["question"]),
        status=str(row["status"]),
        claimed_by=row["claimed_by"],
        reopened=int(row["reopened"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        first_answer_at=_when(row["first_answer_at"]),
        answered_at=_when(row["answered_at"]),
        closed_at=_when(row["closed_at"]),
    )


async def _one(tx: Writer, where: str, params: Sequence[object]) -> Ticket | None:
    row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM tickets WHERE {where}", params)
    return _ticket(row) if row is not None else None


class TicketRepository:
    def __init__(self, db: Database):
        self._db = db

    # -- the user's side ---------------------------------------------------------------------

    async def open(
        self,
        *,
        user_id: int,
        actor: str,
        channel: str,
        chat_id: str,
        locale: str,
        question: str,
        context: Sequence[str] = (),
        request: str = "",
        region_code: str | None = None,
        topic: str = "",
        notify: Callable[[Ticket], Sequence[RelayDraft]] | None = None,
        now: datetime | None = None,
    ) -> Opened:
        """The user's open ticket, or a new one with its context and, in the same
        transaction, the staff notifications `notify(ticket)` drafts."""
        moment = _iso(now or datetime.now(UTC))
        try:
            return await self._open_new(
                user_id=user_id,
                actor=actor,
                values=(user_id, channel, chat_id, locale, region_code, topic, question),
                messages=[("context", text) for text in context]
                + [("user", question)]
                + ([("user", request)] if request else []),
                notify=notify,
                moment=moment,
            )
        except IntegrityError:
            # Another worker opened the user's ticket between our read and our insert (the
            # database allows one open ticket per user): that one is the user's ticket.
            existing = await self.open_of(user_id)
            if existing is None:
                raise
            return Opened(ticket=existing, created=False)

    async def _open_new(
        self,
        *,
        user_id: int,
        actor: str,
        values: tuple[object, ...],
        messages: Sequence[tuple[str, str]],
        notify: Callable[[Ticket], Sequence[RelayDraft]] | None,
        moment: str,
    ) -> Opened:
        async with self._db.transaction() as tx:
            existing = await _one(tx, "user_id = ? AND status IN ('open', 'claimed')", (user_id,))
            if existing is not None:
                return Opened(ticket=existing, created=False)
            ticket_id = await tx.insert(
                "INSERT INTO tickets (user_id, channel, chat_id, locale, region_code, topic,"
                " question, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                (*values, moment, moment),
            )
            await tx.executemany(
                "INSERT INTO ticket_messages (ticket_id, author, text, created_at)"
                " VALUES (?, ?, ?, ?)",
                [(ticket_id, author, text, moment) for author, text in messages],
            )
            ticket = await _one(tx, "id = ?", (ticket_id,))
            if ticket is None:
                raise RuntimeError(f"ticket {ticket_id} vanished inside its transaction")
            for draft in notify(ticket) if notify else ():
                await enqueue(tx, ticket_id, draft, moment)
            await write_audit(tx, actor=actor, action="ticket.open", subject=f"ticket:{ticket_id}")
        return Opened(ticket=ticket, created=True)

    async def open_of(self, user_id: int) -> Ticket | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM tickets WHERE user_id = ? AND status IN ('open', 'claimed')",
            (user_id,),
        )
        return _ticket(row) if row is not None else None

    async def active_id(self, user_id: int, reopen_within: timedelta) -> int | None:
        """The user's open ticket, or the one answered within `reopen_within` (a read)."""
        row = await self._db.fetch_one(
            "SELECT id FROM tickets WHERE user_id = ? AND (status IN ('open', 'claimed')"
            " OR (status = 'answered' AND answered_at >= ?)) ORDER BY id DESC LIMIT 1",
            (user_id, _iso(datetime.now(UTC) - reopen_within)),
        )
        return int(row["id"]) if row is not None else None

    async def recent_questions(self, user_id: int, limit: int, since: datetime) -> list[str]:
        """The user's last logged questions since `since` (already redacted), oldest first:
        a ticket's question and context for staff."""
        if limit <= 0:
            return []
        rows = await self._db.fetch_all(
            "SELECT text FROM questions WHERE user_id = ? AND created_at >= ?"
            " AND intent != 'human_agent' ORDER BY id DESC LIMIT ?",
            (user_id, since.isoformat(), limit),
        )
        return [str(row["text"]) for row in reversed(rows)]

    async def cancel(
        self,
        user_id: int,
        actor: str,
        notify: Callable[[Ticket], Sequence[RelayDraft]] | None = None,
    ) -> Ticket | None:
        """The user closes their own open ticket (staff told by `notify(ticket)`); None
        when they have none."""
        now = _iso(datetime.now(UTC))
        async with self._db.transaction() as tx:
            ticket = await _one(tx, "user_id = ? AND status IN ('open', 'claimed')", (user_id,))
            if ticket is None:
                return None
            await tx.execute(
                "UPDATE tickets SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?",
                (now, now, ticket.id),
            )
            for draft in notify(ticket) if notify else ():
                await enqueue(tx, ticket.id, draft, now)
            await write_audit(
                tx, actor=actor, action="ticket.cancel", subject=f"ticket:{ticket.id}"
            )
        return ticket

    async def follow_up(
        self,
        user_id: int,
        text: str,
        *,
        reopen_within: timedelta,
        notify: Sequence[RelayDraft] = (),
        now: datetime | None = None,
    ) -> Ticket | None:
        """Add a message to the user's open ticket, reopening one answered within
        `reopen_within`; None (and nothing written) when there is no such ticket."""
        moment = now or datetime.now(UTC)
        stamp = _iso(moment)
        async with self._db.transaction() as tx:
            ticket = await _one(
                tx,
                "user_id = ? AND (status IN ('open', 'claimed')"
                " OR (status = 'answered' AND answered_at >= ?)) ORDER BY id DESC LIMIT 1",
                (user_id, _iso(moment - reopen_within)),
            )
            if ticket is None:
                return None
            if ticket.status == "answered":
                if await _one(tx, "user_id = ? AND status IN ('open', 'claimed')", (user_id,)):
                    return None
                await tx.execute(
                    "UPDATE tickets SET status = 'open', reopened = reopened + 1,"
                    " claimed_by = NULL WHERE id = ?",
                    (ticket.id,),
                )
                await write_audit(
                    tx, actor="system", action="ticket.reopen", subject=f"ticket:{ticket.id}"
                )
            await tx.execute(
                "INSERT INTO ticket_messages (ticket_id, author, text, created_at)"
                " VALUES (?, 'user', ?, ?)",
                (ticket.id, text, stamp),
            )
            await tx.execute("UPDATE tickets SET updated_at = ? WHERE id = ?", (stamp, ticket.id))
            for draft in notify:
                await enqueue(tx, ticket.id, draft, stamp)
            return await _one(tx, "id = ?", (ticket.id,))

    # -- the staff side ----------------------------------------------------------------------

    async def get(self, ticket_id: int) -> Ticket | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)
        )
        return _ticket(row) if row is not None else None

    async def of_post(self, channel: str, chat_id: str, message_id: str) -> Ticket | None:
        """The ticket a staff notification was about (a Telegram reply names the message)."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM tickets WHERE id = (SELECT ticket_id FROM ticket_posts"
            " WHERE channel = ? AND chat_id = ? AND message_id = ?)",
            (channel, chat_id, message_id),
        )
        return _ticket(row) if row is not None else None

    async def posts(self, ticket_id: int) -> list[tuple[str, str, str]]:
        """(channel, chat id, message id) of each staff notification sent about the ticket."""
        rows = await self._db.fetch_all(
            "SELECT channel, chat_id, message_id FROM ticket_posts WHERE ticket_id = ?"
            " ORDER BY channel, chat_id",
            (ticket_id,),
        )
        return [(str(r["channel"]), str(r["chat_id"]), str(r["message_id"])) for r in rows]

    async def messages(self, ticket_id: int) -> list[TicketMessage]:
        rows = await self._db.fetch_all(
            "SELECT author, text, created_at FROM ticket_messages WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        )
        return [
            TicketMessage(
                author=str(row["author"]),
                text=str(row["text"]),
                created_at=datetime.fromisoformat(row["created_at"]),
            )
            for row in rows
        ]

    async def listing(self, *, open_only: bool = False, limit: int = 50) -> list[Ticket]:
        where = "WHERE status IN ('open', 'claimed')" if open_only else ""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM tickets {where} ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_ticket(row) for row in rows]

    async def claim(self, ticket_id: int, actor: str) -> Ticket | None:
        """Take an open ticket; None when it is not open (answered, closed, unknown)."""
        now = _iso(datetime.now(UTC))
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE tickets SET status = 'claimed', claimed_by = ?, updated_at = ?"
                " WHERE id = ? AND status IN ('open', 'claimed')",
                (actor, now, ticket_id),
            )
            if not changed:
                return None
            await write_audit(
                tx, actor=actor, action="ticket.claim", subject=f"ticket:{ticket_id}"
            )
            return await _one(tx, "id = ?", (ticket_id,))

    async def answer(
        self,
        ticket_id: int,
        actor: str,
        text: str,
        relay: RelayDraft,
        *,
        now: datetime | None = None,
    ) -> Ticket | None:
        """Store the staff answer and queue it for the user, atomically; None when the
        ticket is closed or unknown."""
        stamp = _iso(now or datetime.now(UTC))
        async with self._db.transaction() as tx:
            ticket = await _one(tx, "id = ? AND status != 'closed'", (ticket_id,))
            if ticket is None:
                return None
            await tx.execute(
                "INSERT INTO ticket_messages (ticket_id, author, text, created_at)"
                " VALUES (?, 'staff', ?, ?)",
                (ticket_id, text, stamp),
            )
            await tx.execute(
                "UPDATE tickets SET status = 'answered', answered_at = ?, updated_at = ?,"
                " first_answer_at = COALESCE(first_answer_at, ?),"
                " claimed_by = COALESCE(claimed_by, ?) WHERE id = ?",
                (stamp, stamp, stamp, actor, ticket_id),
            )
            await enqueue(tx, ticket_id, relay, stamp)
            await write_audit(
                tx, actor=actor, action="ticket.answer", subject=f"ticket:{ticket_id}"
            )
            return await _one(tx, "id = ?", (ticket_id,))

    async def close(self, ticket_id: int, actor: str) -> Ticket | None:
        now = _iso(datetime.now(UTC))
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE tickets SET status = 'closed', closed_at = ?, updated_at = ?"
                " WHERE id = ? AND status != 'closed'",
                (now, now, ticket_id),
            )
            if not changed:
                return None
            await write_audit(
                tx, actor=actor, action="ticket.close", subject=f"ticket:{ticket_id}"
            )
            return await _one(tx, "id = ?", (ticket_id,))

    # -- statistics and retention ------------------------------------------------------------

    async def counts(self, since: datetime) -> TicketCounts:
        """Tickets by status (all), by topic and region (created since), first-answer times."""
        return await count_tickets(self._db, _iso(since))

    async def purge(self, before: datetime) -> int:
        """Delete answered and closed tickets (with their messages, posts and relays) last
        changed before `before`; open ones stay until staff or the user close them."""
        return await self._db.execute(
            "DELETE FROM tickets WHERE status IN ('answered', 'closed') AND updated_at < ?",
            (_iso(before),),
        )
