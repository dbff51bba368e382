"""Handled update ids: answered once, remembered across a restart, forgotten after days."""

from __future__ import annotations

from datetime import timedelta

from bot.channels.telegram_dedupe import SeenUpdates
from bot.store import Store


async def test_an_update_id_counts_once_and_survives_a_restart(store: Store) -> None:
    seen = SeenUpdates(store.telegram)
    await seen.load()
    assert [seen.first_time(i) for i in (7, 8, 7)] == [True, True, False]
    await seen.close()  # writes the pending ids

    restarted = SeenUpdates(store.telegram)
    await restarted.load()
    assert restarted.first_time(7) is False
    assert restarted.first_time(9) is True
    await restarted.close()


async def test_memory_is_bounded_and_the_store_forgets_old_ids(store: Store) -> None:
    seen = SeenUpdates(store.telegram, memory=2)
    await seen.load()
    for update_id in (1, 2, 3):
        assert seen.first_time(update_id)
    assert seen.first_time(1)  # pushed out of a memory of two
    await seen.close()
    assert await store.telegram.recent_updates(timedelta(days=1), 10) == [3, 2, 1]
    assert await store.telegram.forget_updates(timedelta(seconds=-1)) == 3
    assert await store.telegram.recent_updates(timedelta(days=1), 10) == []
