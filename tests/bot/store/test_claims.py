"""Claims on kept inbound messages (Telegram updates, WhatsApp messages): one worker answers
each; a dead worker's claim is taken over once it has expired, never before. Each worker here
is a worker name on the same store; `test_coordination.py` repeats the race with two
PostgreSQL connections pools (two processes)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.store import Store
from bot.store.claims import Claim, iso
from bot.store.whatsapp import inbound_key

TTL = timedelta(seconds=30)
HOUR_AGO = timedelta(hours=1)


def claim(worker: str, now: datetime) -> Claim:
    return Claim.fresh(worker, TTL, now)


async def test_iso_times_sort_as_text_in_time_order() -> None:
    whole = datetime(2026, 12, 5, 14, 0, 0, tzinfo=UTC)
    later = whole + timedelta(microseconds=1)
    assert iso(whole) < iso(later)
    assert iso(whole).endswith(".000000+00:00")


async def test_two_workers_keeping_one_update_at_once_answer_it_once(store: Store) -> None:
    now = datetime.now(UTC)
    for update_id in range(100, 120):
        kept = await asyncio.gather(
            store.telegram.keep_pending(update_id, "{}", claim("worker-a", now)),
            store.telegram.keep_pending(update_id, "{}", claim("worker-b", now)),
        )
        assert sorted(kept) == [False, True]
    # Redelivered while being answered: nobody takes it again.
    assert not await store.telegram.keep_pending(100, "{}", claim("worker-c", now))
    await store.telegram.finish_update(101)
    assert not await store.telegram.keep_pending(101, "{}", claim("worker-c", now))


async def test_a_dead_workers_update_is_taken_over_after_its_claim_expires(store: Store) -> None:
    now = datetime.now(UTC)
    assert await store.telegram.keep_pending(7, '{"update_id": 7}', claim("dead", now))
    since = now - HOUR_AGO
    # Before the expiry: neither a redelivery nor a replay takes it.
    almost = now + TTL - timedelta(seconds=1)
    assert not await store.telegram.keep_pending(7, "{}", claim("live", almost))
    assert await store.telegram.claim_unanswered(since, claim("live", almost)) == []
    # After it: one replay takes it, and then it is the new worker's.
    after = now + TTL + timedelta(seconds=1)
    taken = await asyncio.gather(
        store.telegram.claim_unanswered(since, claim("live", after)),
        store.telegram.claim_unanswered(since, claim("other", after)),
    )
    assert sorted(taken) == [[], [(7, '{"update_id": 7}')]]
    winner = "live" if taken[0] else "other"
    loser = "other" if winner == "live" else "live"
    assert not await store.telegram.keep_pending(7, "{}", claim(loser, after))
    assert await store.telegram.keep_pending(7, "{}", claim(winner, after))  # its own replay


async def test_a_live_worker_renews_its_claims_and_releases_them_when_it_stops(
    store: Store,
) -> None:
    now = datetime.now(UTC)
    await store.telegram.keep_pending(8, "{}", claim("a", now))
    await store.whatsapp.claim_inbound(["wamid.R"], {"wamid.R": "{}"}, claim("a", now))
    later = now + TTL + timedelta(seconds=5)
    assert await store.telegram.claims.renew("a", later + TTL) == 1
    assert await store.whatsapp.claims.renew("a", later + TTL) == 1
    since = now - HOUR_AGO
    assert await store.telegram.claim_unanswered(since, claim("b", later)) == []
    assert await store.whatsapp.claim_unhandled(since, claim("b", later)) == []
    assert await store.telegram.claims.release("a") == 1
    assert await store.whatsapp.claims.release("a") == 1
    assert await store.telegram.claim_unanswered(since, claim("b", later)) == [(8, "{}")]
    assert await store.whatsapp.claim_unhandled(since, claim("b", later)) == [
        (inbound_key("wamid.R"), "{}")
    ]


async def test_two_workers_claiming_one_whatsapp_message_at_once_answer_it_once(
    store: Store,
) -> None:
    now = datetime.now(UTC)
    for n in range(20):
        wamid = f"wamid.twice{n}"
        got = await asyncio.gather(
            store.whatsapp.claim_inbound([wamid], {wamid: "{}"}, claim("worker-a", now)),
            store.whatsapp.claim_inbound([wamid], {wamid: "{}"}, claim("worker-b", now)),
        )
        assert sorted(len(fresh) for fresh in got) == [0, 1]


async def test_a_dead_workers_whatsapp_message_is_taken_over_after_expiry_only(
    store: Store,
) -> None:
    now = datetime.now(UTC)
    since = now - HOUR_AGO
    assert await store.whatsapp.claim_inbound(["wamid.D"], {"wamid.D": "{}"}, claim("dead", now))
    almost = now + TTL - timedelta(seconds=1)
    assert await store.whatsapp.claim_inbound(["wamid.D"], {}, claim("live", almost)) == set()
    assert await store.whatsapp.claim_unhandled(since, claim("live", almost)) == []
    after = now + TTL + timedelta(seconds=1)
    # Meta's redelivery after the expiry takes it over (once), so does a replay (once).
    assert await store.whatsapp.claim_inbound(["wamid.D"], {}, claim("live", after)) == {"wamid.D"}
    assert await store.whatsapp.claim_inbound(["wamid.D"], {}, claim("other", after)) == set()
    much_later = after + TTL + timedelta(seconds=1)
    assert await store.whatsapp.claim_unhandled(since, claim("other", much_later)) == [
        (inbound_key("wamid.D"), "{}")
    ]
    # Answered: never taken again, and no claim left to renew.
    await store.people.touch("whatsapp", "628")
    await store.whatsapp.finish_inbound(
        "wamid.D", external_id="628", wa_id="628", bsuid=None, update_contact=False
    )
    assert await store.whatsapp.claims.renew("other", much_later + TTL) == 0
    assert await store.whatsapp.claim_inbound(["wamid.D"], {}, claim("x", much_later)) == set()
    assert await store.whatsapp.claim_unhandled(since, claim("x", much_later + TTL * 3)) == []
