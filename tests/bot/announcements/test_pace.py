"""The pacer's slots, on a fake clock (no timing assertions)."""

from __future__ import annotations

import pytest

from bot.announcements.pace import BroadcastPace


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_slots_are_evenly_spaced_without_bursts() -> None:
    clock = Clock()
    pacer = BroadcastPace(10, clock=clock)
    # the first slot may be taken at once, then one every 100 ms (less 50 ms of catch-up)
    assert [pacer.reserve() for _ in range(4)] == pytest.approx([0.0, 0.05, 0.15, 0.25])
    clock.now += 10  # idle time is not saved up for a burst later
    assert [pacer.reserve() for _ in range(3)] == pytest.approx([0.0, 0.05, 0.15])


def test_a_slot_missed_by_a_moment_is_still_used_but_the_rate_holds() -> None:
    clock = Clock()
    pacer = BroadcastPace(100, clock=clock)  # a slot every 10 ms
    for _ in range(200):  # 2 s of sending, the sender sometimes 30 ms late
        clock.now += pacer.reserve() + (0.03 if clock.now % 0.5 < 0.01 else 0.0)
    assert 100 + 2.0 - 0.06 <= clock.now <= 100 + 2.0 + 0.35


def test_rate_limit_pauses_then_slows_then_recovers() -> None:
    clock = Clock()
    pacer = BroadcastPace(10, clock=clock)
    pacer.reserve()
    pacer.rate_limited(2.0)
    assert pacer.pauses == 1 and pacer.paused_seconds == pytest.approx(2.0)
    assert pacer.reserve() == pytest.approx(2.0)  # nothing before retry_after
    clock.now += 2.0
    assert pacer.reserve() == pytest.approx(1 / (10 * 0.8), abs=0.01)  # slower pace
    clock.now += 30
    assert [pacer.reserve() for _ in range(3)] == pytest.approx([0.0, 0.05, 0.15])  # recovered


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        BroadcastPace(0)
