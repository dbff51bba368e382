"""The one pacing primitive: a GCRA token bucket (virtual scheduling).

Telegram's outgoing pace (`channels/telegram/pacing.TelegramPace`), WhatsApp's
(`channels/whatsapp/pacing.WhatsAppPace`) and the announcement pace
(`announcements/pace.BroadcastPace`) are compositions of it with their platform's rules.

Several workers sending for one bot token or one WhatsApp number share its cap: each send
then also books a slot of a `SharedSlots` (the GCRA kept in the database,
`bot.store.pacing`), after the worker's own pace granted it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

log = logging.getLogger(__name__)
_WARN_EVERY = 60.0  # seconds between two warnings that the shared cap is unreachable
_warned_at = float("-inf")


class SharedSlots(Protocol):
    """A cap shared by every worker: books the next slot, returns the seconds to wait."""

    async def reserve(self) -> float: ...

    def hold(self, seconds: float) -> None:
        """The platform asked to wait `seconds`: every worker waits (written in the background)."""


async def shared_slot(
    shared: SharedSlots | None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Wait for the next slot of the shared cap (nothing to do without one). The database
    unreachable: the worker goes on with its own pace alone (logged), rather than not at all."""
    global _warned_at
    if shared is None:
        return
    try:
        delay = await shared.reserve()
    except Exception:
        now = time.monotonic()
        if now - _warned_at >= _WARN_EVERY:
            _warned_at = now
            log.warning("shared send cap unreachable: this worker paces alone", exc_info=True)
        return
    if delay > 0:
        await sleep(delay)


class Gcra:
    """Generic cell rate algorithm: `rate`/s, up to `burst` at once, reserved in order."""

    __slots__ = ("_interval", "_tat", "_tolerance")

    def __init__(self, rate: float, burst: int):
        self._interval = 1.0 / rate
        self._tolerance = max(burst - 1, 0) * self._interval
        self._tat = float("-inf")  # theoretical arrival time of the next message

    def wait(self, now: float) -> float:
        """Seconds until one more message conforms (0 when it may go now)."""
        return max(0.0, self._tat - self._tolerance - now)

    def take(self, now: float) -> None:
        self._tat = max(self._tat, now) + self._interval

    def reserve(self, now: float, *, not_before: float = float("-inf")) -> float:
        """Book the next slot, even if it lies in the future; returns the wait until it.

        `not_before`: no slot before this time (a pause the platform asked for).
        """
        start = max(now, not_before)
        delay = self.wait(start)
        self._tat = max(self._tat, start + delay) + self._interval
        return start - now + delay

    def free_in(self, now: float, *, not_before: float = float("-inf")) -> float:
        """How long until a slot would be free, without booking it."""
        start = max(now, not_before)
        return start - now + self.wait(start)

    def idle(self, now: float) -> bool:
        return self._tat <= now
