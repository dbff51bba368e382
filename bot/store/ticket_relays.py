"""The relay outbox of tickets: staff notifications and staff answers on their way.

Like the announcements outbox: a row is claimed (`in_flight`) before its send and its outcome
stored right after, so a restart sends a row stored as `sent` never again; rows left in flight
by a crash are sent once more and flagged as possible duplicates. An answer to a WhatsApp user
outside the 24-hour window waits (`waiting`) until the user writes again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store.database import Database, SyncWriter, Writer


@dataclass(frozen=True, slots=True, kw_only=True)
class RelayDraft:
    """One message to queue: `notify` goes to a staff chat, `answer` to the ticket's user."""

    kind: str
    channel: str
    chat_id: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()  # (title, payload)


@dataclass(frozen=True, slots=True, kw_only=True)
class RelayItem:
    id: int
    ticket_id: int
    kind: str
    channel: str
    chat_id: str
    text: str
    buttons: tuple[tuple[str, str], ...]
    attempts: int
    waiting_notice: bool  # the "an answer is waiting" template went out already
    locale: str  # the ticket's language
    last_seen_at: datetime  # when the ticket's user last wrote (the WhatsApp window)


@dataclass(frozen=True, slots=True, kw_only=True)
class RelayResult:
    item_id: int
    state: str  # sent, pending (retry), waiting (outside the window), failed
    message_id: str | None = None
    error: str = ""
    not_before: datetime | None = None
    via_template: bool = False
    waiting_notice: bool = False


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


async def enqueue(tx: Writer, ticket_id: int, draft: RelayDraft, now: str) -> None:
    """Queue inside the caller's transaction: the change and its message commit together."""
    await tx.execute(
        "INSERT INTO ticket_relays (ticket_id, kind, channel, chat_id, text, buttons, state,"
        " not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        (
            ticket_id,
            draft.kind,
            draft.channel,
            draft.chat_id,
            draft.text,
            json.dumps([list(button) for button in draft.buttons]) if draft.buttons else "",
            now,
            now,
        ),
    )


class RelayRepository:
    def __init__(self, db: Database):
        self._db = db

    async def recover(self) -> int:
        """At start: rows a crash left in flight are due again (flagged: maybe sent)."""
        return await self._db.execute(
            "UPDATE ticket_relays SET state = 'pending', possible_duplicate = 1"
            " WHERE state = 'in_flight'"
        )

    async def claim(
        self, channel: str, limit: int, now: datetime, window_start: datetime
    ) -> list[RelayItem]:
        """Due rows of `channel`, marked in flight: pending ones whose time came, and waiting
        answers whose user wrote again since `window_start`."""

        def job(tx: SyncWriter) -> list[RelayItem]:
            rows = tx.fetch_all(
                "SELECT r.id, r.ticket_id, r.kind, r.channel, r.chat_id, r.text, r.buttons,"
                " r.attempts, r.waiting_notice, t.locale, u.last_seen_at FROM ticket_relays AS r"
                " JOIN tickets AS t ON t.id = r.ticket_id JOIN users AS u ON u.id = t.user_id"
                " WHERE r.channel = ? AND ((r.state = 'pending' AND r.not_before <= ?)"
                " OR (r.state = 'waiting' AND u.last_seen_at >= ?)) ORDER BY r.id LIMIT ?",
                (channel, _iso(now), _iso(window_start), limit),
            )
            tx.executemany(
                "UPDATE ticket_relays SET state = 'in_flight', attempts = attempts + 1"
                " WHERE id = ?",
                [(row["id"],) for row in rows],
            )
            return [
                RelayItem(
                    id=int(row["id"]),
                    ticket_id=int(row["ticket_id"]),
                    kind=str(row["kind"]),
                    channel=str(row["channel"]),
                    chat_id=str(row["chat_id"]),
                    text=str(row["text"]),
                    buttons=tuple(
                        (str(title), str(payload))
                        for title, payload in (
                            json.loads(row["buttons"]) if row["buttons"] else []
                        )
                    ),
                    attempts=int(row["attempts"]) + 1,
                    waiting_notice=bool(row["waiting_notice"]),
                    locale=str(row["locale"]),
                    last_seen_at=datetime.fromisoformat(row["last_seen_at"]),
                )
                for row in rows
            ]

        return await self._db.write(job)

    async def finish(self, result: RelayResult, *, now: datetime | None = None) -> None:
        """Store one outcome; a sent staff notification remembers its message id, so that a
        reply to it finds the ticket."""
        stamp = _iso(now or datetime.now(UTC))

        def job(tx: SyncWriter) -> None:
            tx.execute(
                "UPDATE ticket_relays SET state = ?, message_id = COALESCE(?, message_id),"
                " error = ?, not_before = COALESCE(?, not_before), via_template = ?,"
                " waiting_notice = MAX(waiting_notice, ?),"
                " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
                (
                    result.state,
                    result.message_id,
                    result.error,
                    _iso(result.not_before) if result.not_before else None,
                    int(result.via_template),
                    int(result.waiting_notice),
                    result.state,
                    stamp,
                    result.item_id,
                ),
            )
            if result.state == "sent" and result.message_id:
                tx.execute(
                    "INSERT OR IGNORE INTO ticket_posts (channel, chat_id, message_id, ticket_id)"
                    " SELECT channel, chat_id, ?, ticket_id FROM ticket_relays"
                    " WHERE id = ? AND kind = 'notify'",
                    (result.message_id, result.item_id),
                )

        await self._db.write(job)

    async def states(self, ticket_id: int | None = None) -> dict[str, int]:
        """Rows per state (of one ticket, or of all)."""
        where, params = ("WHERE ticket_id = ?", (ticket_id,)) if ticket_id else ("", ())
        rows = await self._db.fetch_all(
            f"SELECT state, count(*) AS n FROM ticket_relays {where} GROUP BY state", params
        )
        return {str(row["state"]): int(row["n"]) for row in rows}

    async def sent(self, kinds: Sequence[str] = ("notify", "answer")) -> list[tuple[int, str]]:
        """(ticket id, kind) of every sent row, oldest first (tests, the CLI)."""
        marks = ", ".join("?" for _ in kinds)
        rows = await self._db.fetch_all(
            f"SELECT ticket_id, kind FROM ticket_relays WHERE state = 'sent' AND kind IN ({marks})"
            " ORDER BY id",
            tuple(kinds),
        )
        return [(int(row["ticket_id"]), str(row["kind"])) for row in rows]
