"""Delivery outcomes stored in batches: one transaction for the outcomes of many sends."""

from __future__ import annotations

import asyncio
import logging

from bot.store import Store
from bot.store.broadcasts import DeliveryResult

log = logging.getLogger(__name__)

_FLUSH_SECONDS = 0.02  # outcomes stored together (a slot is free again once stored)


class ResultWriter:
    """Stores outcomes in batches (one transaction each); `put` returns once stored."""

    def __init__(self, store: Store):
        self._store = store
        self._batch: list[tuple[DeliveryResult, asyncio.Future[None]]] = []
        self._kick = asyncio.Event()
        self._closed = False

    def close(self) -> None:
        """`run` stores what is left, then returns (never cut off inside a transaction)."""
        self._closed = True
        self._kick.set()

    async def put(self, result: DeliveryResult) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._batch.append((result, future))
        self._kick.set()
        await future

    async def run(self) -> None:
        while not self._closed:
            await self._kick.wait()
            if not self._closed:
                await asyncio.sleep(_FLUSH_SECONDS)
            await self.flush()

    async def flush(self) -> None:
        self._kick.clear()
        batch, self._batch = self._batch, []
        if not batch:
            return
        try:
            await self._store.outbox.record(result for result, _ in batch)
        except Exception as exc:
            log.exception("could not store %d delivery outcomes", len(batch))
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for _, future in batch:
            if not future.done():
                future.set_result(None)
