"""Claims on kept inbound messages: which worker answers one, until when.

Several workers on one database may each be handed the same message: Telegram redelivers an
update whose webhook answer was slow, Meta redelivers webhooks, and a worker that starts
replays the messages kept but never answered. The worker that keeps or takes a message
claims it (`claimed_by`, `claimed_until`); another worker takes it only once the claim has
expired, which happens only to a worker that stopped renewing its claims (it died). The
claim is one conditional statement, so two workers never both get it, on either engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.store.database import Database


def iso(moment: datetime) -> str:
    """A UTC time as stored: always with microseconds, so that text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """`worker` claims messages until `until`; claims that expired before `now` are free."""

    worker: str
    now: datetime
    until: datetime

    @classmethod
    def fresh(cls, worker: str, ttl: timedelta, now: datetime | None = None) -> Claim:
        moment = now or datetime.now(UTC)
        return cls(worker=worker, now=moment, until=moment + ttl)


class ClaimedRows:
    """One table's claims, by worker: renewed while the worker lives, released when it stops."""

    def __init__(self, db: Database, table: str, unanswered: str = ""):
        self._db = db
        self._table = table
        self._unanswered = unanswered  # the condition of rows not answered yet, if any

    async def renew(self, worker: str, until: datetime) -> int:
        """Extend every claim of this worker (it is alive and still answering those)."""
        return await self._db.execute(
            f"UPDATE {self._table} SET claimed_until = ? WHERE claimed_by = ?{self._unanswered}",
            (iso(until), worker),
        )

    async def release(self, worker: str) -> int:
        """Free this worker's claims (it stops: what it did not answer is for the others)."""
        return await self._db.execute(
            f"UPDATE {self._table} SET claimed_by = NULL, claimed_until = NULL"
            " WHERE claimed_by = ?",
            (worker,),
        )
