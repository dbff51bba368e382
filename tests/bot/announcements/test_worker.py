"""The outbox worker: pace-independent behaviour (who gets what, once; failures; resume)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import App
from bot.config import Settings
from bot.core.delivery import DeliveryFailed, FailureKind
from bot.domain.messages import ChatRef, Incoming
from bot.store.broadcasts import Audience
from tests.bot.announcements.conftest import (
    RecordingChannel,
    TemplateChannel,
    make_worker,
    subscriber,
)
from tests.conftest import copy_seeded


async def start_broadcast(app: App, text: str = "Pendaftaran dibuka", **audience: object) -> int:
    draft = await app.store.broadcasts.create(
        created_by="telegram:admin",
        text_id=text,
        text_en=f"EN {text}",
        audience=Audience(**audience),  # type: ignore[arg-type]
        send_at=None,
        recipients=0,
    )
    confirmed = await app.store.broadcasts.confirm(draft.id, "telegram:admin", datetime.now(UTC))
    assert confirmed is not None and confirmed.status == "sending"
    return draft.id


async def test_every_subscriber_gets_it_once_in_their_language(
    app: App, telegram: RecordingChannel, whatsapp: TemplateChannel
) -> None:
    for n in range(10):
        await subscriber(app.store, "telegram", f"t{n}", locale="en" if n == 0 else None)
        await subscriber(app.store, "whatsapp", f"w{n}")
    await app.store.people.subscribe((await app.store.people.touch("telegram", "t1")).id, "61")
    await app.store.people.touch("telegram", "not-subscribed")
    broadcast_id = await start_broadcast(app)
    worker = make_worker(app, telegram, whatsapp)
    await worker.start()
    await worker.drain()
    await worker.stop()

    assert sorted(telegram.chats()) == sorted(f"t{n}" for n in range(10))
    assert sorted(whatsapp.chats()) == sorted(f"w{n}" for n in range(10))
    texts = dict(telegram.delivered)
    assert texts["t0"].startswith("📢 EN Pendaftaran dibuka") and "Reply STOP" in texts["t0"]
    assert texts["t1"].startswith("📢 Pendaftaran dibuka") and "Balas STOP" in texts["t1"]
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"sent": 20}
    assert report.broadcast.status == "done"
    ids = await app.store.broadcasts.sent_message_ids(broadcast_id)
    assert len(ids) == 20 and all(ids.values())


async def test_opt_out_mid_broadcast_is_honoured(app: App, telegram: RecordingChannel) -> None:
    for n in range(12):
        await subscriber(app.store, "telegram", f"t{n}")
    broadcast_id = await start_broadcast(app)

    async def stop_on_third(chat: ChatRef, call: int) -> None:
        if call == 3:  # while the broadcast runs, the last subscriber types STOP
            replies = await app.dispatcher.handle(
                Incoming(
                    chat=ChatRef(channel="telegram", user_id="t11", chat_id="t11"), text="stop"
                )
            )
            assert "berhenti" in replies[0].text.lower()

    telegram.hook = stop_on_third
    worker = make_worker(app, telegram)
    await worker.start()
    await worker.drain()
    await worker.stop()

    assert "t11" not in telegram.chats()
    assert len(telegram.chats()) == 11
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.count("sent") == 11 and report.count("skipped") == 1
    assert ("opted_out", 1) in report.failures


async def test_cancel_during_sending_stops_the_rest(app: App, telegram: RecordingChannel) -> None:
    for n in range(30):
        await subscriber(app.store, "telegram", f"t{n}")
    broadcast_id = await start_broadcast(app)

    async def cancel_on_fifth(chat: ChatRef, call: int) -> None:
        if call == 5:
            assert await app.store.broadcasts.cancel(broadcast_id, "telegram:admin") is not None

    telegram.hook = cancel_on_fifth
    worker = make_worker(app, telegram)
    await worker.start()
    await worker.drain()
    await worker.stop()

    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.broadcast.status == "cancelled"
    sent = report.count("sent")
    assert sent == len(telegram.chats())
    assert 5 <= sent < 30  # what was already in flight (window 4) may still go out
    assert report.count("cancelled") == 30 - sent
    assert report.count("pending", "in_flight") == 0


async def test_failures_are_classified_retried_or_recorded(
    app: App, telegram: RecordingChannel
) -> None:
    for name in ("ok", "flaky", "blocked", "invalid", "down", "limited"):
        await subscriber(app.store, "telegram", name)
    telegram.failures = {
        "flaky": [DeliveryFailed(FailureKind.TRANSIENT, "502")],
        "blocked": [DeliveryFailed(FailureKind.BLOCKED, "bot was blocked by the user")],
        "invalid": [DeliveryFailed(FailureKind.INVALID, "chat not found")],
        "down": [DeliveryFailed(FailureKind.TRANSIENT, "503")] * 10_000,
        "limited": [DeliveryFailed(FailureKind.RATE_LIMITED, "flood", retry_after=0.01)],
    }
    broadcast_id = await start_broadcast(app)
    worker = make_worker(app, telegram)
    await worker.start()
    await worker.drain()
    await worker.stop()

    assert sorted(telegram.chats()) == ["flaky", "limited", "ok"]
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"sent": 3, "blocked": 1, "failed": 2}
    reasons = dict(report.failures)
    assert reasons["blocked: bot was blocked by the user"] == 1
    assert reasons["invalid: chat not found"] == 1
    # retried for the retry period (0.3 s here), then failed with the cause, not forever
    assert reasons["transient: 503"] == 1
    down_calls = 10_000 - len(telegram.failures["down"])
    assert down_calls >= 6
    assert telegram.calls == 1 + 2 + 1 + 1 + down_calls + 2
    assert worker.senders[0].pacer.pauses == 1


async def test_whatsapp_outside_window_gets_the_template(
    app: App, whatsapp: TemplateChannel
) -> None:
    recent = await subscriber(app.store, "whatsapp", "recent")
    old = await subscriber(app.store, "whatsapp", "old")
    late = await subscriber(app.store, "whatsapp", "late")
    await app.store.people.set_locale(old.id, "en")
    # "old" last wrote two days ago: no free-form message may reach them
    from tests.bot.announcements.test_audience import age_user

    await age_user(app, old.id, timedelta(days=2))
    # "late" looks recent to us, but the platform says the window closed
    whatsapp.failures = {"late": [DeliveryFailed(FailureKind.OUTSIDE_WINDOW, "131047")]}
    broadcast_id = await start_broadcast(app, "Kantor tutup\nhari Senin")
    worker = make_worker(app, whatsapp)
    await worker.start()
    await worker.drain()
    await worker.stop()

    assert whatsapp.chats() == ["recent"]
    assert sorted(t[0] for t in whatsapp.templates) == ["late", "old"]
    by_chat = {t[0]: t for t in whatsapp.templates}
    assert by_chat["old"][1:] == ("pengumuman_umum", "id", ("EN Kantor tutup hari Senin",))
    assert by_chat["late"][3] == ("Kantor tutup hari Senin",)  # one line: template rules
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None and report.count("sent") == 3 and report.via_template == 2
    assert {recent.id, old.id, late.id} == set(
        await app.store.broadcasts.sent_message_ids(broadcast_id)
    )


async def test_inactive_user_is_skipped(app: App, telegram: RecordingChannel) -> None:
    gone = await subscriber(app.store, "telegram", "gone")
    await subscriber(app.store, "telegram", "here")
    broadcast_id = await start_broadcast(app)
    await app.store.people.set_active(gone.id, False)  # the channel learned they blocked us
    worker = make_worker(app, telegram)
    await worker.start()
    await worker.drain()
    await worker.stop()
    assert telegram.chats() == ["here"]
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None and report.count("sent") == 1


async def test_resume_after_crash_and_restart_loses_nothing(
    settings: Settings, seeded_database: Path
) -> None:
    """Kill the sender mid-run (sends stuck in flight), close the app, reopen on the same
    database: every subscriber ends with the message; only rows in flight at the crash may
    be sent twice, and the report counts them."""
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings)
    for n in range(40):
        await subscriber(app.store, "telegram", f"t{n:02d}")
    broadcast_id = await start_broadcast(app)
    first = RecordingChannel("telegram", hang_after=15)
    worker = make_worker(app, first)
    await worker.start()
    while first.calls < 15 + 4:  # 15 delivered, then the window (4) is stuck in flight
        await worker.senders[0].pacer.wait()
    await worker.abort()
    await app.close()

    reopened = await App.create(settings)
    try:
        before = await reopened.store.broadcasts.report(broadcast_id)
        assert before is not None and before.count("in_flight") == 4
        confirmed_first = set(first.chats())
        second = RecordingChannel("telegram")
        worker = make_worker(reopened, second)
        await worker.start()
        assert worker.recovered == 4
        await worker.drain()
        await worker.stop()
        report = await reopened.store.broadcasts.report(broadcast_id)
    finally:
        await reopened.close()

    assert report is not None
    assert report.states == {"sent": 40}
    everyone = {f"t{n:02d}" for n in range(40)}
    assert confirmed_first | set(second.chats()) == everyone  # nothing lost
    sent_before_crash = {chat for chat in confirmed_first}
    assert not sent_before_crash & set(second.chats())  # confirmed sent: never again
    assert report.possible_duplicates == 4  # the stuck window, reported


async def test_a_day_long_hold_back_delays_one_row_not_the_channel(
    app: App, telegram: RecordingChannel
) -> None:
    for name in ("capped", "a", "b"):
        await subscriber(app.store, "telegram", name)
    # e.g. WhatsApp 131049: this user got enough marketing today; try again tomorrow
    telegram.failures = {
        "capped": [DeliveryFailed(FailureKind.RATE_LIMITED, "131049", retry_after=86_400)]
    }
    broadcast_id = await start_broadcast(app)
    worker = make_worker(app, telegram)
    await worker.start()
    await worker.drain(horizon=60)
    await worker.stop()
    assert sorted(telegram.chats()) == ["a", "b"]
    assert worker.senders[0].pacer.pauses == 0
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None and report.states == {"sent": 2, "pending": 1}
    assert report.broadcast.status == "sending"


async def test_a_send_whose_answer_was_lost_is_retried_and_counted_as_possible_duplicate(
    app: App, telegram: RecordingChannel
) -> None:
    for name in ("lost", "fine"):
        await subscriber(app.store, "telegram", name)
    telegram.failures = {
        "lost": [
            DeliveryFailed(FailureKind.TRANSIENT, "ReadTimeout: possibly sent", possibly_sent=True)
        ]
    }
    broadcast_id = await start_broadcast(app)
    worker = make_worker(app, telegram)
    await worker.start()
    await worker.drain()
    await worker.stop()

    assert sorted(telegram.chats()) == ["fine", "lost"]
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None and report.states == {"sent": 2}
    assert report.possible_duplicates == 1  # the platform may have shown "lost" twice
