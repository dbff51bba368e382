"""Updates kept until answered: duplicates answered once, a crash's leftovers replayed once,
by one worker (claims: renewed while it lives, released when it stops, expired when it died)."""

from __future__ import annotations

import asyncio
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
    await seen.release()  # stopped in order with 8 cut off: free for the next worker

    restarted = SeenUpdates(store.telegram)  # 8 was never answered
    assert await restarted.load() == [(8, '{"update_id": 8}')]
    assert not await restarted.accept(7, '{"update_id": 7}')  # answered before the restart
    assert await restarted.accept(8, '{"update_id": 8}')  # its own replay: answer it
    await restarted.finish(8)
    assert await SeenUpdates(store.telegram).load() == []


async def test_a_killed_workers_update_waits_for_its_claim_to_expire(store: Store) -> None:
    killed = SeenUpdates(store.telegram, worker="killed", claim_ttl=timedelta(seconds=0.3))
    assert await killed.accept(9, '{"update_id": 9}')  # then kill -9: no release
    other = SeenUpdates(store.telegram, worker="other")
    assert await other.load() == []  # claimed by a worker that may be answering it
    assert not await other.accept(9, '{"update_id": 9}')  # Telegram's redelivery: not twice
    await asyncio.sleep(0.4)
    assert await other.take_over() == [(9, '{"update_id": 9}')]
    assert await other.accept(9, '{"update_id": 9}')
    await other.finish(9)
    assert await store.telegram.unanswered(datetime.now(UTC) - timedelta(hours=1)) == []


async def test_a_live_worker_keeps_its_claims_by_renewing_them(store: Store) -> None:
    slow = SeenUpdates(store.telegram, worker="slow", claim_ttl=timedelta(seconds=0.3))
    assert await slow.accept(10, "{}")
    other = SeenUpdates(store.telegram, worker="other")
    for _ in range(3):
        await asyncio.sleep(0.15)
        await slow.renew()
        assert await other.take_over() == []
        assert not await other.accept(10, "{}")
    await slow.finish(10)


async def test_stale_unanswered_updates_and_old_ids_are_forgotten(store: Store) -> None:
    seen = SeenUpdates(store.telegram)
    assert await seen.accept(1, "{}")
    assert await seen.load(replay_window=timedelta(seconds=-1)) == []  # too old to answer
    assert await store.telegram.unanswered(datetime.now(UTC) - timedelta(days=1)) == []
    await store.telegram.record_updates([2, 3])
    assert await store.telegram.recent_updates(timedelta(days=1), 10) == [3, 2]
    assert await store.telegram.forget_updates(timedelta(seconds=-1)) == 2
    assert await store.telegram.recent_updates(timedelta(days=1), 10) == []
