"""The GCRA token bucket all pacers are built on: bursts, spacing, pauses."""

from __future__ import annotations

import pytest

from bot.core import pacing
from bot.core.pacing import Gcra, shared_slot


def test_gcra_allows_a_burst_then_one_per_interval() -> None:
    bucket = Gcra(rate=1.0, burst=3)
    waits = []
    for _ in range(5):
        waits.append(bucket.wait(100.0))
        if waits[-1] == 0:
            bucket.take(100.0)
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == 1.0
    assert bucket.wait(101.0) == 0.0


def test_gcra_reservations_are_spaced_by_the_interval() -> None:
    bucket = Gcra(rate=20 / 60, burst=1)
    delays = [bucket.reserve(0.0) for _ in range(3)]
    assert delays == [0.0, 3.0, 6.0]  # 20 per minute in one group


def test_a_pause_pushes_the_next_slot_and_keeps_the_spacing_after_it() -> None:
    bucket = Gcra(rate=2.0, burst=1)
    assert bucket.reserve(10.0, not_before=12.0) == 2.0  # paused until 12
    assert bucket.reserve(10.0, not_before=12.0) == 2.5  # then every 0.5 s
    assert bucket.free_in(10.0) == 3.0  # peeking books nothing
    assert bucket.free_in(10.0) == 3.0


class Slots:
    """A shared cap that answers the given waits (or fails: the database is away)."""

    def __init__(self, *waits: float | Exception):
        self.waits = list(waits)
        self.held: list[float] = []

    def hold(self, seconds: float) -> None:
        self.held.append(seconds)

    async def reserve(self) -> float:
        wait = self.waits.pop(0)
        if isinstance(wait, Exception):
            raise wait
        return wait


async def test_a_send_waits_for_its_shared_slot_and_goes_on_alone_without_it(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pacing, "_warned_at", float("-inf"))
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    slots = Slots(0.0, 0.25, OSError("connection refused"), OSError("still away"))
    for _ in range(4):
        await shared_slot(slots, sleep)
    await shared_slot(None, sleep)  # one process: no shared cap
    assert slept == [0.25]
    assert slots.waits == []
    warnings = [r for r in caplog.records if "paces alone" in r.getMessage()]
    assert len(warnings) == 1  # once, not once per message
