"""Outgoing pace for one WhatsApp number: replies first, announcements with what is left.

A virtual-schedule token bucket (GCRA): each send takes the next slot `1/rate` after the
previous one, with a small burst allowance. Bulk sends wait while any reply is waiting, so
an announcement never delays an answer. A rate-limit error pauses everything (`pause`).

With several workers (PostgreSQL), the number's cap is shared: a send this worker's pace let
through also waits for a slot of the cap kept in the database (`shared`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bot.core.pacing import Gcra, SharedSlots, shared_slot


class WhatsAppPace:
    """`clock` and `sleep` are replaced in tests (no waiting on the wall clock)."""

    def __init__(
        self,
        rate: float,
        *,
        burst: int = 10,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared: SharedSlots | None = None,
    ):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._interval = 1.0 / rate
        self._schedule = Gcra(rate, burst)
        self._paused_until = 0.0
        self._replies_waiting = 0
        self._bulk_turn = asyncio.Lock()  # bulk senders queue among themselves
        self._clock = clock
        self._sleep = sleep
        self._shared = shared  # the number's cap, kept for every worker (or None)

    def _reserve(self, now: float) -> float:
        """Take the next slot; returns how long to wait for it."""
        return self._schedule.reserve(now, not_before=self._paused_until)

    def _free_in(self, now: float) -> float:
        return self._schedule.free_in(now, not_before=self._paused_until)

    async def acquire(self, *, bulk: bool = False) -> None:
        await self._acquire_here(bulk=bulk)
        await shared_slot(self._shared, self._sleep)

    async def _acquire_here(self, *, bulk: bool) -> None:
        if not bulk:
            self._replies_waiting += 1
            try:
                delay = self._reserve(self._clock())
                if delay > 0:
                    await self._sleep(delay)
            finally:
                self._replies_waiting -= 1
            return
        async with self._bulk_turn:
            while True:
                now = self._clock()
                wait = self._free_in(now)
                if wait <= 0 and self._replies_waiting == 0:
                    self._reserve(now)
                    return
                await self._sleep(max(wait, self._interval))

    def pause(self, seconds: float) -> None:
        """Nobody sends for this long (after 130429, the number's throughput limit)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        if self._shared is not None:
            self._shared.hold(seconds)  # the cap is the bot's / number's: every worker waits
