"""The ticket store: one open ticket per user, follow-ups and reopening, the relay outbox
(claimed, stored, recovered after a crash), statistics and retention."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Store
from bot.store import tickets as tickets_module
from bot.store.database import IntegrityError
from bot.store.ticket_relays import RelayDraft, RelayResult

REOPEN = timedelta(days=7)
NOTIFY = RelayDraft(kind="notify", channel="telegram", chat_id="-100", text="card")


async def _open(store: Store, external_id: str = "u1", **extra: object) -> int:
    user = await store.people.touch("console", external_id)
    opened = await store.tickets.open(
        user_id=user.id,
        actor=f"console:{external_id}",
        channel="console",
        chat_id=external_id,
        locale="id",
        question="klaim saya belum cair",
        notify=lambda ticket: [NOTIFY],
        **extra,  # type: ignore[arg-type]
    )
    return opened.ticket.id


def _answer(ticket_id: int) -> RelayDraft:
    return RelayDraft(kind="answer", channel="console", chat_id="u1", text=f"jawaban {ticket_id}")


async def test_one_open_ticket_per_user(store: Store) -> None:
    first = await _open(store)
    assert await _open(store) == first  # the same ticket, not a second one
    results = await asyncio.gather(*(_open(store, "u2") for _ in range(5)))
    assert len(set(results)) == 1
    user = await store.people.find("console", "u1")
    assert user is not None
    with pytest.raises(IntegrityError):
        await store.database.execute(  # the database itself refuses a second open ticket
            "INSERT INTO tickets (user_id, channel, chat_id, locale, question, status,"
            " created_at, updated_at) VALUES (?, 'console', 'u1', 'id', 'x', 'claimed', '', '')",
            (user.id,),
        )
    assert len(await store.tickets.listing()) == 2
    assert await store.ticket_relays.states() == {"pending": 2}  # one card per new ticket


async def test_a_ticket_opened_by_another_worker_meanwhile_is_the_users_ticket(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another worker opens the user's ticket between this one's read and its insert: the
    database refuses the second open ticket, and the other one is returned, not an error."""
    first = await _open(store)
    read = tickets_module._one

    async def stale(tx: object, where: str, params: object) -> object:
        if where.startswith("user_id"):
            return None  # what this worker read before the other one committed
        return await read(tx, where, params)  # type: ignore[arg-type]

    monkeypatch.setattr(tickets_module, "_one", stale)
    assert await _open(store) == first
    assert len(await store.tickets.listing()) == 1
    assert await store.ticket_relays.states() == {"pending": 1}  # no card for a lost insert


async def test_closed_or_answered_ticket_makes_room_for_a_new_one(store: Store) -> None:
    first = await _open(store)
    assert await store.tickets.answer(first, "staff", "jawab", _answer(first)) is not None
    second = await _open(store)
    assert second != first
    assert await store.tickets.close(second, "staff") is not None
    assert await _open(store) not in (first, second)


async def test_follow_up_joins_the_open_ticket_and_reopens_a_recent_answer(store: Store) -> None:
    ticket_id = await _open(store)
    user = await store.people.find("console", "u1")
    assert user is not None
    added = await store.tickets.follow_up(user.id, "masih belum", reopen_within=REOPEN)
    assert added is not None and added.id == ticket_id and added.status == "open"
    await store.tickets.answer(ticket_id, "staff", "sudah diproses", _answer(ticket_id))
    assert await store.tickets.active_id(user.id, REOPEN) == ticket_id
    reopened = await store.tickets.follow_up(user.id, "kok belum masuk", reopen_within=REOPEN)
    assert reopened is not None and reopened.status == "open" and reopened.reopened == 1
    assert reopened.first_answer_at is not None  # the first answer time stays
    texts = [m.text for m in await store.tickets.messages(ticket_id)]
    assert texts == ["klaim saya belum cair", "masih belum", "sudah diproses", "kok belum masuk"]
    await store.tickets.answer(ticket_id, "staff", "cek lagi", _answer(ticket_id))
    later = datetime.now(UTC) + REOPEN + timedelta(hours=1)
    assert await store.tickets.follow_up(user.id, "x", reopen_within=REOPEN, now=later) is None
    other = await store.people.touch("console", "nobody")
    assert await store.tickets.follow_up(other.id, "x", reopen_within=REOPEN) is None
    assert await store.tickets.active_id(other.id, REOPEN) is None


async def test_cancel_touches_only_ones_own_ticket(store: Store) -> None:
    mine = await _open(store, "u1")
    theirs = await _open(store, "u2")
    user = await store.people.find("console", "u1")
    assert user is not None
    cancelled = await store.tickets.cancel(user.id, "console:u1")
    assert cancelled is not None and cancelled.id == mine
    assert await store.tickets.cancel(user.id, "console:u1") is None
    other = await store.tickets.get(theirs)
    assert other is not None and other.status == "open"


async def test_relay_rows_are_claimed_once_and_recovered_after_a_crash(store: Store) -> None:
    ticket_id = await _open(store)
    now = datetime.now(UTC)
    window = now - timedelta(hours=24)
    items = await store.ticket_relays.claim("telegram", 10, now, window)
    assert [(i.kind, i.chat_id, i.attempts) for i in items] == [("notify", "-100", 1)]
    assert await store.ticket_relays.claim("telegram", 10, now, window) == []  # in flight
    assert await store.ticket_relays.recover() == 1  # the process died mid-send
    again = await store.ticket_relays.claim("telegram", 10, now, window)
    assert [i.id for i in again] == [items[0].id] and again[0].attempts == 2
    await store.ticket_relays.finish(
        RelayResult(item_id=again[0].id, state="sent", message_id="777")
    )
    assert await store.ticket_relays.recover() == 0
    assert await store.ticket_relays.claim("telegram", 10, now, window) == []
    found = await store.tickets.of_post("telegram", "-100", "777")
    assert found is not None and found.id == ticket_id
    assert await store.tickets.of_post("telegram", "-100", "778") is None


async def test_a_waiting_answer_is_due_when_the_user_writes(store: Store) -> None:
    ticket_id = await _open(store)
    await store.tickets.answer(ticket_id, "staff", "jawab", _answer(ticket_id))
    now = datetime.now(UTC)
    [answer] = await store.ticket_relays.claim("console", 10, now, now - timedelta(hours=24))
    await store.ticket_relays.finish(
        RelayResult(item_id=answer.id, state="waiting", waiting_notice=True)
    )
    later = now + timedelta(days=2)  # the user has not written for two days
    assert await store.ticket_relays.claim("console", 10, later, later - timedelta(hours=24)) == []
    await store.people.touch("console", "u1")  # the user writes
    [due] = await store.ticket_relays.claim("console", 10, now, now - timedelta(hours=24))
    assert due.id == answer.id and due.waiting_notice


async def test_counts_and_retention(store: Store) -> None:
    first = await _open(store, "u1", region_code="61.71", topic="jht_claim")
    await _open(store, "u2")
    await store.tickets.answer(first, "staff", "jawab", _answer(first))
    counts = await store.tickets.counts(datetime.now(UTC) - timedelta(days=30))
    assert counts.per_status == {"open": 1, "claimed": 0, "answered": 1, "closed": 0}
    assert counts.per_topic == {"jht_claim": 1, "": 1}
    assert counts.per_region == {"61.71": 1, "": 1}
    assert len(counts.first_answer_seconds) == 1 and counts.first_answer_seconds[0] >= 0
    assert await store.tickets.purge(datetime.now(UTC) - timedelta(days=1)) == 0
    assert await store.tickets.purge(datetime.now(UTC) + timedelta(seconds=1)) == 1  # answered
    assert [t.status for t in await store.tickets.listing()] == ["open"]
    assert await store.ticket_relays.states(first) == {}
