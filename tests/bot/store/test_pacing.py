"""The shared send cap: one GCRA row per key, booked atomically by every worker."""

from __future__ import annotations

import asyncio

import pytest

from bot.store import Store
from bot.store.pacing import SharedCap


async def test_slots_are_booked_one_interval_apart_after_the_burst(store: Store) -> None:
    now = 1_800_000_000.0  # a fixed wall clock: the arithmetic, not the time it takes
    waits = [await store.pacing.reserve("t:1", 10.0, 3, now=now) for _ in range(6)]
    assert waits == pytest.approx([0.0, 0.0, 0.0, 0.1, 0.2, 0.3], abs=1e-5)
    # (epoch seconds in a double: exact to a microsecond, not to a nanosecond)
    # Later, the row is idle again: a new burst, never a saved-up one larger than `burst`.
    later = now + 5.0
    assert [await store.pacing.reserve("t:1", 10.0, 3, now=later) for _ in range(4)] == (
        pytest.approx([0.0, 0.0, 0.0, 0.1], abs=1e-5)
    )
    assert await store.pacing.reserve("w:2", 10.0, 1, now=now) == 0.0  # another key: its own
    await store.pacing.forget("t:1")
    assert await store.pacing.reserve("t:1", 10.0, 1, now=later) == 0.0


async def test_concurrent_bookings_never_share_a_slot(store: Store) -> None:
    now = 1_800_000_000.0
    waits = await asyncio.gather(
        *(store.pacing.reserve("wa:123", 100.0, 1, now=now) for _ in range(50))
    )
    assert sorted(waits) == pytest.approx([n / 100 for n in range(50)], abs=1e-5)


async def test_a_cap_is_shared_only_where_several_processes_may_send(
    store: Store, backend: str
) -> None:
    cap = store.pacing.limiter("telegram:1", 30.0, 30)
    if backend == "postgresql":
        assert isinstance(cap, SharedCap) and cap.key == "telegram:1"
        assert await cap.reserve() == 0.0
    else:
        assert cap is None  # one process: the pacers' own GCRA is the whole cap


async def test_many_slots_booked_at_once_are_the_slots_of_as_many_bookings(store: Store) -> None:
    now = 1_800_000_000.0
    many = await store.pacing.reserve_many("a", 10.0, 2, 5, now=now)
    assert many == pytest.approx([0.0, 0.0, 0.1, 0.2, 0.3], abs=1e-5)
    assert await store.pacing.reserve("a", 10.0, 2, now=now) == pytest.approx(0.4, abs=1e-5)


async def test_a_shared_cap_books_the_sends_waiting_together_one_slot_each(
    store: Store, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("a SQLite bot has no shared cap (one process)")
    cap = store.pacing.limiter("tg:9", 100.0, 1)
    assert cap is not None
    waits = await asyncio.gather(*(cap.reserve() for _ in range(40)))
    assert sorted(waits) == pytest.approx([n / 100 for n in range(40)], abs=0.05)
    assert len({round(w, 3) for w in waits}) == 40  # never one slot for two sends


async def test_a_hold_moves_every_next_slot_past_the_pause(store: Store) -> None:
    now = 1_800_000_000.0
    assert await store.pacing.reserve("h", 10.0, 3, now=now) == 0.0
    await store.pacing.hold("h", 10.0, 3, 2.0, now=now)
    assert await store.pacing.reserve("h", 10.0, 3, now=now) == pytest.approx(2.0, abs=1e-5)
    # a shorter hold later never shortens the pause already recorded
    await store.pacing.hold("h", 10.0, 3, 0.5, now=now)
    assert await store.pacing.reserve("h", 10.0, 3, now=now) == pytest.approx(2.1, abs=1e-5)
    await store.pacing.hold("fresh", 10.0, 1, 1.0, now=now)  # a key never booked before
    assert await store.pacing.reserve("fresh", 10.0, 1, now=now) == pytest.approx(1.0, abs=1e-5)
