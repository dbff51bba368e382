"""Updates kept until answered: duplicates answered once, a crash's leftovers replayed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.channels.telegram.dedupe import SeenUpdates
from bot.store import Store


async def test_an_update_is_kept_until_answered_and_then_a_duplicate(store: Store) -> None:
    seen = SeenUpdates(store.telegram)
    assert await seen.load() == []
    assert await seen.accept(7, '{"update_id": 7}')
    assert not await seen.accept(7, '{"update_id": 7}')  # in progress here: not twice
    assert await seen.accept(8, '{"update_id": 8}')
    await seen.finish(7)

    restarted = SeenUpdates(store.telegram)  # 8 was never answered: the crash case
    assert await restarted.load() == [(8, '{"update_id": 8}')]
    assert not await restarted.accept(7, '{"update_id": 7}')  # answered before the restart
    assert await restarted.accept(8, '{"update_id": 8}')  # kept, unanswered: answer it
    await restarted.finish(8)
    assert await SeenUpdates(store.telegram).load() == []


async def test_stale_unanswered_updates_and_old_ids_are_forgotten(store: Store) -> None:
    seen = SeenUpdates(store.telegram)
    assert await seen.accept(1, "{}")
    assert await seen.load(replay_window=timedelta(seconds=-1)) == []  # too old to answer
    assert await store.telegram.unanswered(datetime.now(UTC) - timedelta(days=1)) == []
    await store.telegram.record_updates([2, 3])
    assert await store.telegram.recent_updates(timedelta(days=1), 10) == [3, 2]
    assert await store.telegram.forget_updates(timedelta(seconds=-1)) == 2
    assert await store.telegram.recent_updates(timedelta(days=1), 10) == []
