"""Duplicate updates: Telegram redelivers an update when our answer timed out (webhook) and
polling redelivers after a crash before the offset was acknowledged. Each is answered once.

Memory answers at once; the store keeps the ids across restarts, written in small batches off
the answer path (a crash can forget the last fraction of a second: at worst one repeat).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from datetime import timedelta

from bot.store.telegram import TelegramRepository

log = logging.getLogger(__name__)

REMEMBER_FOR = timedelta(days=2)  # Telegram keeps an undelivered update for 24 hours


class SeenUpdates:
    def __init__(
        self, repository: TelegramRepository, *, memory: int = 50_000, flush_after: float = 0.2
    ):
        self._repository = repository
        self._memory = memory
        self._flush_after = flush_after
        self._ids: set[int] = set()
        self._order: deque[int] = deque()
        self._pending: list[int] = []
        self._flushing: asyncio.Task[None] | None = None
        self._recorded = 0

    async def load(self) -> None:
        """Forget old ids in the store and bring the recent ones into memory."""
        await self._repository.forget_updates(REMEMBER_FOR)
        for update_id in reversed(
            await self._repository.recent_updates(REMEMBER_FOR, self._memory)
        ):
            self._remember(update_id)

    def first_time(self, update_id: int) -> bool:
        """True the first time an update id is seen; it is then recorded."""
        if update_id in self._ids:
            return False
        self._remember(update_id)
        self._pending.append(update_id)
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush_soon())
        return True

    async def close(self) -> None:
        """Write what is still pending (call once no more updates arrive)."""
        if self._flushing is not None:
            self._flushing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flushing
        await self._flush()

    def _remember(self, update_id: int) -> None:
        self._ids.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._memory:
            self._ids.discard(self._order.popleft())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self._flush_after)
        await self._flush()

    async def _flush(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        try:
            await self._repository.record_updates(batch)
        except Exception:
            log.exception("could not record %d telegram update ids", len(batch))
            return
        self._recorded += len(batch)
        if self._recorded >= 10_000:
            self._recorded = 0
            await self._repository.forget_updates(REMEMBER_FOR)
