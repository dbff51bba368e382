"""The broadcast pace of one channel: evenly spaced sends, paused and slowed by rate limits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

_SLOWEST = 0.25  # never below a quarter of the configured rate
_SLOWDOWN = 0.8  # each rate-limit answer multiplies the pace by this
_RECOVERY_SECONDS = 2.0  # back to the configured pace after this long without one
_CATCH_UP_SECONDS = 0.05  # slots missed this recently may still be used (a tiny burst)


class BroadcastPace:
    """Hands out send slots `1/rate` seconds apart; a slot missed by less than 50 ms (the
    sender was busy) may still be used, so hiccups do not lower the rate, but idle time is
    never saved up for a burst.

    A rate-limit answer pauses every sender of the channel for `retry_after` seconds and
    lowers the pace, which then climbs back to the configured rate.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self._clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._factor = 1.0
        self._slowed_at = 0.0
        self.pauses = 0
        self.paused_seconds = 0.0

    def _current_factor(self, now: float) -> float:
        if self._factor >= 1.0:
            return 1.0
        recovered = (now - self._slowed_at) / _RECOVERY_SECONDS
        return min(1.0, self._factor + (1.0 - self._factor) * recovered)

    def reserve(self) -> float:
        """Take the next slot; returns how long to wait for it."""
        now = self._clock()
        interval = 1.0 / (self.rate * self._current_factor(now))
        slot = max(self._next, self._paused_until, now - _CATCH_UP_SECONDS)
        self._next = slot + interval
        return max(0.0, slot - now)

    async def wait(self) -> None:
        while True:
            delay = self.reserve()
            if delay > 0:
                await asyncio.sleep(delay)
            if self._clock() + 1e-3 >= self._paused_until:  # no pause began while waiting
                return

    def rate_limited(self, retry_after: float | None) -> None:
        now = self._clock()
        pause = retry_after if retry_after and retry_after > 0 else 1.0
        if now + pause > self._paused_until:
            self.pauses += 1
            self.paused_seconds += now + pause - max(now, self._paused_until)
            self._paused_until = now + pause
        self._factor = max(_SLOWEST, self._current_factor(now) * _SLOWDOWN)
        self._slowed_at = now
