"""Outgoing pace for Telegram: overall, per-chat and per-group caps, replies before bulk.

Telegram asks for about 30 messages/s overall, 1/s in one chat (short bursts tolerated) and
20/min in one group. python-telegram-bot's AIORateLimiter is FIFO and knows no per-chat cap,
so announcements could delay answers; this pacer serves waiting replies first and lets bulk
traffic (announcements) use what is left. A 429 pauses everything for `retry_after`.

With several workers (PostgreSQL), the overall cap is the bot's, not the worker's: a send
the worker's own gate let through also waits for a slot of the shared cap (`shared`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.pacing import Gcra, SharedSlots, shared_slot

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class PaceLimits:
    """Messages per second (`*_rate`) with short bursts of `*_burst` messages."""

    overall_rate: float = 30.0
    overall_burst: int = 30
    chat_rate: float = 1.0
    chat_burst: int = 3
    group_rate: float = 20 / 60
    group_burst: int = 3


class TelegramPace:
    """Grant send slots: per-chat order, then an overall gate where replies come first."""

    def __init__(
        self,
        limits: PaceLimits | None = None,
        *,
        clock: Clock = time.monotonic,
        shared: SharedSlots | None = None,
    ):
        self.limits = limits or PaceLimits()
        self._clock = clock
        self._shared = shared  # the bot's overall cap, kept for every worker (or None)
        self._overall = Gcra(self.limits.overall_rate, self.limits.overall_burst)
        self._chats: dict[str, Gcra] = {}
        self._paused_until = float("-inf")
        self._waiters: dict[bool, deque[asyncio.Future[None]]] = {False: deque(), True: deque()}
        self._granter: asyncio.Task[None] | None = None
        self._wakeup = asyncio.Event()

    @property
    def backlog(self) -> int:
        """How many sends wait for the overall gate (replies and bulk)."""
        return len(self._waiters[False]) + len(self._waiters[True])

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out for `seconds`."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        self._wakeup.set()
        if self._shared is not None:
            self._shared.hold(seconds)  # the cap is the bot's / number's: every worker waits

    async def acquire(self, chat_id: str, *, group: bool = False, bulk: bool = False) -> None:
        """Wait for this chat's next slot, then for the overall gate (replies first), then
        for the bot's slot shared by every worker (when there is one)."""
        await self._acquire_here(chat_id, group=group, bulk=bulk)
        await shared_slot(self._shared)

    async def _acquire_here(self, chat_id: str, *, group: bool, bulk: bool) -> None:
        delay = self._chat_bucket(chat_id, group).reserve(self._clock())
        if delay > 0:
            await asyncio.sleep(delay)
        if not self.backlog and self._try_take():
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters[bulk].append(future)
        self._ensure_granter()
        try:
            await future
        except asyncio.CancelledError:
            if not future.done() or future.cancelled():
                with contextlib.suppress(ValueError):
                    self._waiters[bulk].remove(future)
            raise

    async def close(self) -> None:
        if self._granter is not None:
            self._granter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._granter
            self._granter = None
        for lane in self._waiters.values():
            while lane:
                lane.popleft().cancel()

    def _chat_bucket(self, chat_id: str, group: bool) -> Gcra:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) > 10_000:
                now = self._clock()
                self._chats = {k: b for k, b in self._chats.items() if not b.idle(now)}
            if group:
                bucket = Gcra(self.limits.group_rate, self.limits.group_burst)
            else:
                bucket = Gcra(self.limits.chat_rate, self.limits.chat_burst)
            self._chats[chat_id] = bucket
        return bucket

    def _gate_wait(self) -> float:
        now = self._clock()
        return max(self._paused_until - now, self._overall.wait(now), 0.0)

    def _try_take(self) -> bool:
        if self._gate_wait() > 0:
            return False
        self._overall.take(self._clock())
        return True

    def _ensure_granter(self) -> None:
        if self._granter is None or self._granter.done():
            self._granter = asyncio.create_task(self._grant(), name="telegram-pacer")

    async def _grant(self) -> None:
        """Hand out overall slots while anyone waits: the reply lane always before bulk."""
        while self.backlog:
            wait = self._gate_wait()
            if wait > 0:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), wait)
                continue
            lane = self._waiters[False] or self._waiters[True]
            future = lane.popleft()
            if future.done():  # cancelled while waiting
                continue
            self._overall.take(self._clock())
            future.set_result(None)
