"""Telegram bookkeeping: updates kept until answered, handled update ids (duplicates answered
once), long button payloads."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.store.claims import Claim, ClaimedRows, iso
from bot.store.database import Database

CALLBACK_KEY_CHARS = 22  # base64 of 16 bytes of SHA-256: collisions are out of reach


def callback_key(payload: str) -> str:
    """The stable short key of a payload (the same payload always gets the same key)."""
    digest = hashlib.sha256(payload.encode("utf-8")).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class TelegramRepository:
    def __init__(self, db: Database):
        self._db = db
        self.claims = ClaimedRows(db, "telegram_pending")  # renewed, released by worker

    async def keep_pending(self, update_id: int, body: str, claim: Claim) -> bool:
        """Keep an update until it is answered, claimed by `claim.worker`; False when it was
        answered already or another worker's live claim holds it (it is being answered)."""
        now = datetime.now(UTC).isoformat()
        if await self._db.execute(  # one statement: the usual case, a new update
            "INSERT OR IGNORE INTO telegram_pending"
            " (update_id, received_at, body, claimed_by, claimed_until)"
            " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS"
            " (SELECT 1 FROM telegram_updates WHERE update_id = ?)",
            (update_id, now, body, claim.worker, iso(claim.until), update_id),
        ):
            # Answered by another worker between that statement's snapshot and its insert
            # (PostgreSQL: the answer deleted the kept row the insert waited for)?
            if await self._db.fetch_one(
                "SELECT 1 FROM telegram_updates WHERE update_id = ?", (update_id,)
            ):
                await self._db.execute(
                    "DELETE FROM telegram_pending WHERE update_id = ? AND claimed_by = ?",
                    (update_id, claim.worker),
                )
                return False
            return True
        # Kept before and not answered (an answer under way, or a crash): take it over when
        # no live claim holds it. Answered updates are no longer kept (trigger): 0 rows.
        return bool(
            await self._db.execute(
                "UPDATE telegram_pending SET claimed_by = ?, claimed_until = ?"
                " WHERE update_id = ? AND (claimed_until IS NULL OR claimed_until <= ?"
                " OR claimed_by = ?)",
                (claim.worker, iso(claim.until), update_id, iso(claim.now), claim.worker),
            )
        )

    async def claim_unanswered(self, since: datetime, claim: Claim) -> list[tuple[int, str]]:
        """(update id, JSON) of the updates kept since then, never answered and free (never
        claimed, or the claim expired: its worker died), now claimed by `claim.worker`."""
        rows = await self._db.write(
            lambda tx: tx.fetch_all(
                "UPDATE telegram_pending SET claimed_by = ?, claimed_until = ?"
                " WHERE received_at >= ? AND (claimed_until IS NULL OR claimed_until <= ?)"
                " RETURNING update_id, body",
                (claim.worker, iso(claim.until), iso(since), iso(claim.now)),
            )
        )
        return sorted((int(row["update_id"]), str(row["body"])) for row in rows)

    async def finish_update(self, update_id: int) -> None:
        """The update is answered: its id is remembered as handled, its content goes (trigger)."""
        await self._db.execute(
            "INSERT OR IGNORE INTO telegram_updates (update_id, received_at) VALUES (?, ?)",
            (update_id, datetime.now(UTC).isoformat()),
        )

    async def record_updates(self, update_ids: Sequence[int]) -> None:
        """Remember handled update ids, dropping their kept content (one transaction)."""
        now = datetime.now(UTC).isoformat()
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT OR IGNORE INTO telegram_updates (update_id, received_at) VALUES (?, ?)",
                [(update_id, now) for update_id in update_ids],
            )
            await tx.executemany(
                "DELETE FROM telegram_pending WHERE update_id = ?",
                [(update_id,) for update_id in update_ids],
            )

    async def unanswered(self, since: datetime) -> list[tuple[int, str]]:
        """(update id, JSON) of updates kept since then and never answered (a crash)."""
        rows = await self._db.fetch_all(
            "SELECT update_id, body FROM telegram_pending WHERE received_at >= ?"
            " ORDER BY update_id",
            (since.astimezone(UTC).isoformat(),),
        )
        return [(int(row["update_id"]), str(row["body"])) for row in rows]

    async def forget_pending(self, before: datetime) -> int:
        """Drop updates kept since before then (too late to answer)."""
        return await self._db.execute(
            "DELETE FROM telegram_pending WHERE received_at < ?",
            (before.astimezone(UTC).isoformat(),),
        )

    async def recent_updates(self, within: timedelta, limit: int) -> list[int]:
        """The newest handled update ids (at most `limit`) received within that time."""
        cutoff = (datetime.now(UTC) - within).isoformat()
        rows = await self._db.fetch_all(
            "SELECT update_id FROM telegram_updates WHERE received_at >= ?"
            " ORDER BY update_id DESC LIMIT ?",
            (cutoff, limit),
        )
        return [int(row["update_id"]) for row in rows]

    async def forget_updates(self, older_than: timedelta) -> int:
        """Drop update ids older than that (Telegram keeps undelivered updates 24 hours)."""
        cutoff = (datetime.now(UTC) - older_than).isoformat()
        return await self._db.execute(
            "DELETE FROM telegram_updates WHERE received_at < ?", (cutoff,)
        )

    async def store_callback(self, payload: str) -> str:
        """Keep a payload too long for a button; returns the key the button carries instead.

        `created_at` is renewed with every use, so `forget_callbacks` only drops keys that no
        button sent within its window carries.
        """
        key = callback_key(payload)
        await self._db.execute(
            "INSERT INTO telegram_callbacks (key, payload, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at",
            (key, payload, datetime.now(UTC).isoformat()),
        )
        return key

    async def forget_callbacks(self, older_than: timedelta) -> int:
        """Drop payloads last sent on a button longer ago than this (pressing one then gets
        the "this button is old" reply)."""
        cutoff = (datetime.now(UTC) - older_than).isoformat()
        return await self._db.execute(
            "DELETE FROM telegram_callbacks WHERE created_at < ?", (cutoff,)
        )

    async def callback_payload(self, key: str) -> str | None:
        row = await self._db.fetch_one(
            "SELECT payload FROM telegram_callbacks WHERE key = ?", (key,)
        )
        return str(row["payload"]) if row else None
