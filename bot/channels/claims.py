"""Claims on kept inbound messages, the channels' side: a worker's name, and the keeper that
renews its claims while it lives and takes over the ones dead workers left (expired).

Every kept message (a Telegram update, a WhatsApp message) is claimed by the worker that
answers it (`bot.store.claims`). A claim lasts `CLAIM_TTL` and is renewed every
`RENEW_EVERY` while the worker runs; a worker killed with kill -9 stops renewing, and after
the expiry the keeper of any other worker (or a redelivery reaching one) takes the message
over and answers it. A worker that stops in order releases its claims at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

log = logging.getLogger(__package__)

CLAIM_TTL = timedelta(seconds=60)  # a dead worker's messages wait this long at most
RENEW_EVERY = 15.0  # seconds: four renewals within a claim's life


def worker_name() -> str:
    """A name no other worker (process, machine, start) has: host:pid:random."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class ClaimKeeper:
    """Runs `tick` every `every` seconds from `start` to `stop`: the channel renews its
    worker's claims there, and answers what it takes over from dead workers."""

    def __init__(self, tick: Callable[[], Awaitable[None]], *, every: float = RENEW_EVERY):
        self._tick = tick
        self._every = every
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="inbound-claims")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._every)
            try:
                await self._tick()
            except Exception:  # the database away for a moment: try again at the next tick
                log.exception("renewing or taking over inbound claims failed")
