"""Telegram updates kept until answered, and duplicates answered once, by one worker.

Telegram forgets an update once it is acknowledged: by the webhook's 200, or in polling mode
by the offset of the next getUpdates. So each update is written to the store (its JSON)
before that (`accept`), and only marked handled once answered (`finish`). A crash in between
leaves it in the store; it is answered later, when younger than `REPLAY_WINDOW`.

Telegram also redelivers (a webhook answered too slowly, polling after a crash): an update
already handled, or being answered in this process or by another live worker, is not
answered again. Each kept update is claimed by the worker answering it
(`bot.channels.claims`): the claim is renewed while the worker lives (`renew`), released when
it stops (`release`), and one a dead worker left is taken over once it expired (`take_over`,
or a redelivery).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.channels.claims import CLAIM_TTL, worker_name
from bot.store.claims import Claim
from bot.store.telegram import TelegramRepository

log = logging.getLogger(__package__)

REMEMBER_FOR = timedelta(days=2)  # Telegram keeps an undelivered update for 24 hours
REPLAY_WINDOW = timedelta(hours=1)  # older unanswered updates are stale: not answered late
_PRUNE_EVERY = 10_000  # handled updates between two prunings of old ids


class SeenUpdates:
    def __init__(
        self,
        repository: TelegramRepository,
        *,
        worker: str | None = None,
        claim_ttl: timedelta = CLAIM_TTL,
    ):
        self._repository = repository
        self.worker = worker or worker_name()
        self._claim_ttl = claim_ttl
        self._in_flight: set[int] = set()
        self._finished = 0

    def _claim(self) -> Claim:
        return Claim.fresh(self.worker, self._claim_ttl)

    async def load(self, replay_window: timedelta = REPLAY_WINDOW) -> list[tuple[int, str]]:
        """Forget old ids and stale updates; returns (id, JSON) of the updates to answer now
        (unanswered and free: no live worker is answering them)."""
        await self._repository.forget_updates(REMEMBER_FOR)
        since = datetime.now(UTC) - replay_window
        stale = await self._repository.forget_pending(since)
        if stale:
            log.warning("%d unanswered telegram updates too old to answer", stale)
        return await self.take_over(replay_window)

    async def take_over(self, replay_window: timedelta = REPLAY_WINDOW) -> list[tuple[int, str]]:
        """Claim the unanswered updates nobody holds (a dead worker's claim expired)."""
        since = datetime.now(UTC) - replay_window
        return await self._repository.claim_unanswered(since, self._claim())

    async def renew(self) -> None:
        """This worker lives: its claims last another `claim_ttl`."""
        await self._repository.claims.renew(self.worker, datetime.now(UTC) + self._claim_ttl)

    async def release(self) -> None:
        """This worker stops: what it kept and did not answer is free for the others now."""
        released = await self._repository.claims.release(self.worker)
        if released:
            log.info("%d unanswered telegram updates left for the other workers", released)

    async def accept(self, update_id: int, body: str) -> bool:
        """Keep an update until answered; False for a duplicate (handled, or in progress
        here or in another live worker)."""
        if update_id in self._in_flight:
            return False
        self._in_flight.add(update_id)
        try:
            fresh = await self._repository.keep_pending(update_id, body, self._claim())
        except BaseException:
            self._in_flight.discard(update_id)
            raise
        if not fresh:
            self._in_flight.discard(update_id)
        return fresh

    async def finish(self, update_id: int) -> None:
        """The update is answered (or cannot be): a redelivery is now a duplicate."""
        try:
            await self._repository.finish_update(update_id)
        finally:
            self._in_flight.discard(update_id)
        self._finished += 1
        if self._finished >= _PRUNE_EVERY:
            self._finished = 0
            await self._repository.forget_updates(REMEMBER_FOR)
