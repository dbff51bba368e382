"""The pacer's slots, on a fake clock (no timing assertions)."""

from __future__ import annotations

import pytest

from bot.announcements.pace import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_slots_are_evenly_spaced_without_bursts() -> None:
    clock = Clock()
    pacer = Pacer(10, clock=clock)
    assert [pacer.reserve() for _ in range(4)] == pytest.approx([0.0, 0.1, 0.2, 0.3])
    clock.now += 10  # idle time is not saved up for a burst later
    assert [pacer.reserve() for _ in range(2)] == pytest.approx([0.0, 0.1])


def test_rate_limit_pauses_then_slows_then_recovers() -> None:
    clock = Clock()
    pacer = Pacer(10, clock=clock)
    pacer.reserve()
    pacer.rate_limited(2.0)
    assert pacer.pauses == 1 and pacer.paused_seconds == pytest.approx(2.0)
    assert pacer.reserve() == pytest.approx(2.0)  # nothing before retry_after
    clock.now += 2.0
    assert pacer.reserve() == pytest.approx(1 / (10 * 0.7) - 0.0, abs=0.02)  # slower pace
    clock.now += 30
    assert pacer.reserve() == 0.0
    assert pacer.reserve() == pytest.approx(0.1)  # back to the configured rate


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(0)
