"""Telegram updates kept until answered, and duplicates answered once.

Telegram forgets an update once it is acknowledged: by the webhook's 200, or in polling mode
by the offset of the next getUpdates. So each update is written to the store (its JSON)
before that (`accept`), and only marked handled once answered (`finish`). A crash in between
leaves it in the store; the next start answers those younger than `REPLAY_WINDOW`.

Telegram also redelivers (a webhook answered too slowly, polling after a crash): an update
already handled, or being answered in this process, is not answered again; one kept but
never answered (the process died) is.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.store.telegram import TelegramRepository

log = logging.getLogger(__package__)

REMEMBER_FOR = timedelta(days=2)  # Telegram keeps an undelivered update for 24 hours
REPLAY_WINDOW = timedelta(hours=1)  # older unanswered updates are stale: not answered late
_PRUNE_EVERY = 10_000  # handled updates between two prunings of old ids


class SeenUpdates:
    def __init__(self, repository: TelegramRepository):
        self._repository = repository
        self._in_flight: set[int] = set()
        self._finished = 0

    async def load(self, replay_window: timedelta = REPLAY_WINDOW) -> list[tuple[int, str]]:
        """Forget old ids and stale updates; returns (id, JSON) of the updates to answer now."""
        await self._repository.forget_updates(REMEMBER_FOR)
        since = datetime.now(UTC) - replay_window
        stale = await self._repository.forget_pending(since)
        if stale:
            log.warning("%d unanswered telegram updates too old to answer", stale)
        return await self._repository.unanswered(since)

    async def accept(self, update_id: int, body: str) -> bool:
        """Keep an update until answered; False for a duplicate (handled, or in progress)."""
        if update_id in self._in_flight:
            return False
        self._in_flight.add(update_id)
        try:
            fresh = await self._repository.keep_pending(update_id, body)
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
