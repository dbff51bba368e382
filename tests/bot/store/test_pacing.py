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
