"""The broadcast store's report and cancel: what the platforms said afterwards, rows in flight
when a broadcast is cancelled (with and without a running sender), crash recovery, retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store
from bot.store.broadcasts import Audience, DeliveryResult, OutboxItem
from bot.store.whatsapp import StatusChange

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


async def _broadcast(store: Store, people: int, channel: str = "telegram") -> int:
    for n in range(people):
        user = await store.people.touch(channel, f"{channel[0]}{n}")
        await store.people.subscribe(user.id)
    draft = await store.broadcasts.create(
        created_by="cli:test",
        text_id="Kantor tutup",
        text_en=None,
        audience=Audience(),
        send_at=None,
        recipients=people,
    )
    confirmed = await store.broadcasts.confirm(draft.id, "cli:test", NOW)
    assert confirmed is not None and confirmed.status == "sending"
    return draft.id


async def _live_sender(store: Store) -> None:
    await store.outbox.take_sender_lease("host:1:live", timedelta(minutes=1), datetime.now(UTC))


async def _sent(store: Store, items: list[OutboxItem], **extra: object) -> None:
    await store.outbox.record(
        DeliveryResult(item_id=item.id, state="sent", message_id=f"wamid.{item.id}", **extra)  # type: ignore[arg-type]
        for item in items
    )


async def test_whatsapp_failed_statuses_count_as_failed_in_the_report(store: Store) -> None:
    broadcast_id = await _broadcast(store, 5, "whatsapp")
    items = await store.outbox.claim("whatsapp", 5, NOW)
    for item in items:
        assert await store.outbox.hand_over(item.id) is None
    await _sent(store, items)
    for item in items:  # what the WhatsApp channel records when Meta accepts a message
        await store.whatsapp.record_outgoing(
            [f"wamid.{item.id}"], user_id=item.user_id, kind="bulk"
        )
    await store.whatsapp.record_statuses(
        [
            StatusChange(wamid=f"wamid.{items[0].id}", status="failed", error_code=131026),
            StatusChange(wamid=f"wamid.{items[1].id}", status="failed", error_code=131026),
            StatusChange(wamid=f"wamid.{items[2].id}", status="delivered"),
        ]
    )

    report = await store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"sent": 3, "failed": 2}
    assert report.per_channel == {"whatsapp": {"sent": 3, "failed": 2}}
    assert report.failures == [("whatsapp status failed: code 131026", 2)]


async def test_cancel_counts_rows_in_flight_not_yet_handed_over(store: Store) -> None:
    broadcast_id = await _broadcast(store, 10)
    await _live_sender(store)
    items = await store.outbox.claim("telegram", 4, NOW)  # in flight, waiting for their slot
    assert await store.outbox.hand_over(items[0].id) is None  # this one is being sent

    assert await store.broadcasts.cancel(broadcast_id, "cli:test") == 9

    for item in items[1:]:  # their turn comes: the cancel is seen, nothing is sent
        assert await store.outbox.hand_over(item.id) == "cancelled"
    await _sent(store, items[:1])
    report = await store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"sent": 1, "cancelled": 9}
    assert report.possible_duplicates == 0


async def test_cancel_while_no_sender_runs_settles_every_row(store: Store) -> None:
    broadcast_id = await _broadcast(store, 10)
    items = await store.outbox.claim("telegram", 4, NOW)
    assert await store.outbox.hand_over(items[0].id) is None
    # the sender crashed here (its lease ran out); staff cancel while the bot is down

    assert await store.broadcasts.cancel(broadcast_id, "cli:test") == 10
    recovered = await store.outbox.recover_in_flight()  # the bot starts again

    report = await store.broadcasts.report(broadcast_id)
    assert report is not None and recovered == 0
    assert report.states == {"cancelled": 10}
    assert report.possible_duplicates == 0
    assert not await store.outbox.has_work(["telegram"])
    audit = await store.audit.recent()
    assert audit[0].action == "broadcast.cancel" and audit[0].recipients == 10


async def test_cancel_within_a_crashed_senders_lease_is_settled_at_restart(store: Store) -> None:
    broadcast_id = await _broadcast(store, 6)
    await _live_sender(store)  # crashed a moment ago: the lease has not run out yet
    items = await store.outbox.claim("telegram", 3, NOW)
    assert await store.outbox.hand_over(items[0].id) is None
    assert await store.broadcasts.cancel(broadcast_id, "cli:test") == 5
    await store.outbox.recover_in_flight()

    report = await store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"cancelled": 6}  # nothing pending for good, nothing resent
    assert report.possible_duplicates == 0


async def test_a_crash_flags_only_rows_handed_to_the_platform(store: Store) -> None:
    broadcast_id = await _broadcast(store, 40)
    items = await store.outbox.claim("telegram", 32, NOW)  # a full window claimed
    for item in items[:2]:  # two were being sent when the process died
        assert await store.outbox.hand_over(item.id) is None

    assert await store.outbox.recover_in_flight() == 32
    again = await store.outbox.claim("telegram", 40, NOW)
    assert len(again) == 40
    assert {item.id for item in again if item.possible_duplicate} == {i.id for i in items[:2]}
    for item in again:
        await store.outbox.hand_over(item.id)
    await _sent(store, again)
    report = await store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"sent": 40} and report.possible_duplicates == 2


async def test_the_report_says_how_many_wait_for_a_retry(store: Store) -> None:
    broadcast_id = await _broadcast(store, 3)
    items = await store.outbox.claim("telegram", 3, NOW)
    await store.outbox.record(
        [
            DeliveryResult(
                item_id=items[0].id,
                state="pending",
                error="transient: Bad Gateway",
                not_before=NOW + timedelta(seconds=2),
            ),
            DeliveryResult(
                item_id=items[1].id,
                state="pending",
                error="transient: Timed out",
                not_before=NOW + timedelta(seconds=2),
                possible_duplicate=True,
            ),
            DeliveryResult(item_id=items[2].id, state="sent", message_id="1"),
        ]
    )
    report = await store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"pending": 2, "sent": 1}
    assert report.waiting_retry == 2
    assert report.possible_duplicates == 0  # not sent twice yet: it may still fail

    retried = await store.outbox.claim("telegram", 3, NOW + timedelta(seconds=3))
    assert {item.first_failed_at for item in retried} != {None}  # the retry period runs on
    await _sent(store, retried)
    report = await store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.waiting_retry == 0 and report.possible_duplicates == 1


async def test_a_retry_of_a_cancelled_broadcast_is_stored_cancelled(store: Store) -> None:
    broadcast_id = await _broadcast(store, 2)
    await _live_sender(store)
    items = await store.outbox.claim("telegram", 2, NOW)
    for item in items:
        assert await store.outbox.hand_over(item.id) is None
    assert await store.broadcasts.cancel(broadcast_id, "cli:test") == 0  # both being sent
    await store.outbox.record(
        [
            DeliveryResult(item_id=items[0].id, state="sent", message_id="1"),
            DeliveryResult(
                item_id=items[1].id,
                state="pending",
                error="transient: 502",
                not_before=NOW + timedelta(seconds=1),
            ),
        ]
    )
    report = await store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"sent": 1, "cancelled": 1}  # not "pending" for good
