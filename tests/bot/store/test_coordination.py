"""Several workers on one PostgreSQL database: each `Store` here is one worker process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.store import Store
from bot.store.broadcasts import Audience
from bot.store.claims import Claim
from bot.store.whatsapp import inbound_key

pytestmark = [
    pytest.mark.own_engines,
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
]


@pytest.fixture
async def workers(backend: str, tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    target = Settings().database_target
    assert isinstance(target, str) and target.startswith("postgresql://")
    first = await Store.open(target, seed=False, files=tmp_path)
    second = await Store.open(target, seed=False, files=tmp_path)
    yield first, second
    await first.close()
    await second.close()


async def test_one_persons_turn_waits_for_the_other_worker(workers: tuple[Store, Store]) -> None:
    a, b = workers
    order: list[str] = []

    async def turn(store: Store, who: str, person: str, hold: float) -> None:
        async with store.person_turn("telegram", person):
            order.append(f"{who} in")
            await asyncio.sleep(hold)
            order.append(f"{who} out")

    first = asyncio.create_task(turn(a, "a", "42", 0.3))
    await asyncio.sleep(0.05)
    await asyncio.gather(turn(b, "b", "42", 0.0), turn(b, "other", "43", 0.0))
    await first
    assert order.index("b in") > order.index("a out")  # same person: after the first worker
    assert order.index("other in") < order.index("a out")  # another person: not held up


async def test_a_dead_workers_turn_is_released_with_its_connection(
    workers: tuple[Store, Store], tmp_path: Path
) -> None:
    _, b = workers
    dying = await Store.open(Settings().database_target, seed=False, files=tmp_path)
    entered = asyncio.Event()

    async def hold_forever() -> None:
        async with dying.person_turn("whatsapp", "628"):
            entered.set()
            await asyncio.sleep(3600)

    holder = asyncio.create_task(hold_forever())
    await entered.wait()
    await dying.database._locks.close()  # type: ignore[attr-defined]  # as kill -9 would
    async with asyncio.timeout(5):
        async with b.person_turn("whatsapp", "628"):
            pass
    holder.cancel()
    with pytest.raises(BaseException):  # noqa: B017 - its connection is gone
        await holder
    await dying.close()


async def test_the_sender_lease_has_one_holder(workers: tuple[Store, Store]) -> None:
    a, b = workers
    now = datetime.now(UTC)
    for _ in range(5):
        leases = await asyncio.gather(
            a.outbox.take_sender_lease("worker-a", timedelta(seconds=30), now),
            b.outbox.take_sender_lease("worker-b", timedelta(seconds=30), now),
        )
        assert leases[0] == leases[1]  # both see the same single holder
    # Expired: the other worker takes over.
    later = now + timedelta(seconds=31)
    holder = leases[0].holder
    other = b if holder == "worker-a" else a
    other_name = "worker-b" if holder == "worker-a" else "worker-a"
    taken = await other.outbox.take_sender_lease(other_name, timedelta(seconds=30), later)
    assert taken.holder == other_name


async def test_two_claimers_never_share_an_outbox_row(workers: tuple[Store, Store]) -> None:
    a, b = workers
    for n in range(40):
        user = await a.people.touch("telegram", f"t{n}")
        await a.people.subscribe(user.id)
    draft = await a.broadcasts.create(
        created_by="cli:test",
        text_id="Halo",
        text_en=None,
        audience=Audience(),
        send_at=None,
        recipients=40,
    )
    now = datetime.now(UTC)
    await a.broadcasts.confirm(draft.id, "cli:test", now)
    claimed: list[int] = []
    for _ in range(6):
        got = await asyncio.gather(
            a.outbox.claim("telegram", 4, now), b.outbox.claim("telegram", 4, now)
        )
        claimed += [item.id for batch in got for item in batch]
    assert len(claimed) == 40 and len(set(claimed)) == 40


async def test_a_singleton_job_runs_in_one_worker(workers: tuple[Store, Store]) -> None:
    a, b = workers
    async with (
        a.singleton("housekeeping") as first,
        b.singleton("housekeeping") as second,
        a.singleton("housekeeping") as again,
    ):
        assert (first, second, again) == (True, False, False)
    async with b.singleton("housekeeping") as after:
        assert after


async def test_a_cancelled_turn_never_leaves_its_lock_behind(workers: tuple[Store, Store]) -> None:
    a, b = workers

    async def turn() -> None:
        async with b.person_turn("telegram", "77"):
            await asyncio.sleep(0.01)

    for n in range(40):  # cancelled at every stage: asking, holding, releasing
        task = asyncio.create_task(turn())
        await asyncio.sleep(0.0005 * (n % 8))
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        async with asyncio.timeout(2):
            async with a.person_turn("telegram", "77"):
                pass


async def test_a_postgresql_backup_is_a_pg_dump_archive(
    workers: tuple[Store, Store], tmp_path: Path
) -> None:
    a, _ = workers
    await a.people.touch("telegram", "backup-me")
    target = tmp_path / "backups" / "jamsos.dump"
    await a.backup(target)
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format, for pg_restore


async def test_a_kept_update_is_claimed_by_one_worker_and_a_dead_ones_only_after_expiry(
    workers: tuple[Store, Store], tmp_path: Path
) -> None:
    a, b = workers
    ttl = timedelta(seconds=30)
    now = datetime.now(UTC)
    for update_id in range(500, 520):  # the same update reaches both workers at once
        kept = await asyncio.gather(
            a.telegram.keep_pending(update_id, "{}", Claim.fresh("a", ttl, now)),
            b.telegram.keep_pending(update_id, "{}", Claim.fresh("b", ttl, now)),
        )
        assert sorted(kept) == [False, True]
    wamids = [f"wamid.both{n}" for n in range(20)]
    fresh = await asyncio.gather(
        a.whatsapp.claim_inbound(wamids, dict.fromkeys(wamids, "{}"), Claim.fresh("a", ttl, now)),
        b.whatsapp.claim_inbound(wamids, dict.fromkeys(wamids, "{}"), Claim.fresh("b", ttl, now)),
    )
    assert fresh[0] | fresh[1] == set(wamids) and not fresh[0] & fresh[1]

    # A worker keeps update 600 and message X, then dies (kill -9: no release).
    dying = await Store.open(Settings().database_target, seed=False, files=tmp_path)
    assert await dying.telegram.keep_pending(600, '{"u": 600}', Claim.fresh("dying", ttl, now))
    assert await dying.whatsapp.claim_inbound(["wamid.X"], {"wamid.X": "{}"}, dying_claim(now))
    await dying.close()
    since = now - timedelta(hours=1)
    before = now + ttl - timedelta(seconds=1)
    assert not await b.telegram.keep_pending(600, "{}", Claim.fresh("b", ttl, before))
    assert await b.telegram.claim_unanswered(since, Claim.fresh("b", ttl, before)) == []
    assert await b.whatsapp.claim_unhandled(since, Claim.fresh("b", ttl, before)) == []
    after = now + ttl + timedelta(seconds=1)
    updates = await asyncio.gather(
        a.telegram.claim_unanswered(since, Claim.fresh("a", ttl, after)),
        b.telegram.claim_unanswered(since, Claim.fresh("b", ttl, after)),
    )
    # (the first twenty expired too: nobody renewed them here; each is taken once as well)
    assert sorted(600 in dict(taken) for taken in updates) == [False, True]
    assert sorted(n for taken in updates for n, _ in taken) == [*range(500, 520), 600]
    messages = await asyncio.gather(
        a.whatsapp.claim_unhandled(since, Claim.fresh("a", ttl, after)),
        b.whatsapp.claim_unhandled(since, Claim.fresh("b", ttl, after)),
    )
    keys = [key for taken in messages for key, _ in taken]
    assert sorted(keys) == sorted(inbound_key(w) for w in [*wamids, "wamid.X"])


def dying_claim(now: datetime) -> Claim:
    return Claim.fresh("dying", timedelta(seconds=30), now)
