"""Per-user flood control: one person flooding the bot is told once and slowed, nobody else.

A user who sends more than `limit` messages within `window` seconds is flooded: that message
gets one polite notice instead of an answer, and while the flood lasts only one message per
`slow_interval` seconds is answered (the others are dropped: the user was told to slow down).
The flood ends when the user's rate falls below the limit again.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class FloodVerdict(Enum):
    ANSWER = "answer"  # answer normally
    NOTICE = "notice"  # send the "please slow down" notice instead of an answer
    DROP = "drop"  # flooded: ignore this message


@dataclass(slots=True)
class _Sender:
    arrivals: deque[float]
    flooded: bool = False
    last_pass: float = float("-inf")
    last_notice: float = float("-inf")


class FloodControl:
    def __init__(
        self,
        *,
        limit: int = 30,
        window: float = 10.0,
        slow_interval: float = 3.0,
        notice_every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limit = limit
        self.window = window
        self.slow_interval = slow_interval
        self.notice_every = notice_every
        self._clock = clock
        self._senders: dict[str, _Sender] = {}

    def check(self, user_key: str) -> FloodVerdict:
        """Record one message from `user_key` and say what to do with it."""
        now = self._clock()
        sender = self._senders.get(user_key)
        if sender is None:
            if len(self._senders) > 10_000:
                self._forget_idle(now)
            sender = self._senders[user_key] = _Sender(deque(maxlen=self.limit + 1))
        arrivals = sender.arrivals
        while arrivals and arrivals[0] <= now - self.window:
            arrivals.popleft()
        arrivals.append(now)
        if len(arrivals) <= self.limit:
            sender.flooded = False
            sender.last_pass = now
            return FloodVerdict.ANSWER
        if not sender.flooded:
            sender.flooded = True
            if now - sender.last_notice >= self.notice_every:
                sender.last_notice = now
                sender.last_pass = now
                return FloodVerdict.NOTICE
        if now - sender.last_pass >= self.slow_interval:
            sender.last_pass = now
            return FloodVerdict.ANSWER
        return FloodVerdict.DROP

    def _forget_idle(self, now: float) -> None:
        self._senders = {
            key: sender
            for key, sender in self._senders.items()
            if sender.arrivals and sender.arrivals[-1] > now - self.window
        }
