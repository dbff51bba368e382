"""The sender against a database held by another process, and what /metrics says about
deliveries."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import threading
from pathlib import Path

from bot.announcements.worker import OutboxWorker
from bot.app import App
from bot.core.delivery import DeliveryFailed, FailureKind
from bot.core.metrics import Metrics
from bot.domain.messages import ChatRef
from tests.bot.announcements.conftest import FAST, RecordingChannel, subscriber
from tests.bot.announcements.test_worker import start_broadcast


def _hold_write_lock(path: Path, seconds: float, taken: threading.Event) -> None:
    """Another process's long write: the database is locked past SQLite's busy timeout."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        taken.set()
        threading.Event().wait(seconds)
        conn.execute("COMMIT")
    finally:
        conn.close()


async def test_a_write_lock_held_over_five_seconds_strands_nothing(
    app: App, telegram: RecordingChannel
) -> None:
    for n in range(6):
        await subscriber(app.store, "telegram", f"t{n}")
    broadcast_id = await start_broadcast(app)
    taken = threading.Event()
    holder: list[threading.Thread] = []

    async def lock_on_second_send(chat: ChatRef, call: int) -> None:
        if call == 2:  # outcomes of this and later sends meet a locked database
            thread = threading.Thread(
                target=_hold_write_lock, args=(app.store.path, 5.5, taken), daemon=True
            )
            thread.start()
            holder.append(thread)
            await asyncio.to_thread(taken.wait, 5)

    telegram.hook = lock_on_second_send
    worker = OutboxWorker(app.store, [telegram], FAST, app.dispatcher.catalogues.translator("id"))
    await worker.start()
    try:
        async with asyncio.timeout(9):
            await worker.drain()  # no restart needed
    finally:
        await worker.stop()
        for thread in holder:
            thread.join()

    assert sorted(telegram.chats()) == [f"t{n}" for n in range(6)]  # each exactly once
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None
    assert report.states == {"sent": 6} and report.broadcast.status == "done"
    assert report.possible_duplicates == 0
    assert await app.store.outbox.recover_in_flight() == 0  # nothing left to send again


async def test_metrics_count_delivery_outcomes_by_channel_and_reason(
    app: App, telegram: RecordingChannel
) -> None:
    for name in ("ok", "flaky", "blocked", "invalid"):
        await subscriber(app.store, "telegram", name)
    telegram.failures = {
        "flaky": [DeliveryFailed(FailureKind.TRANSIENT, "502")],
        "blocked": [DeliveryFailed(FailureKind.BLOCKED, "bot was blocked by the user")],
        "invalid": [DeliveryFailed(FailureKind.INVALID, "chat not found")],
    }
    await start_broadcast(app)
    metrics = Metrics()
    worker = OutboxWorker(
        app.store, [telegram], FAST, app.dispatcher.catalogues.translator("id"), metrics=metrics
    )
    await worker.start()
    await worker.drain()
    await worker.stop()

    def value(outcome: str, reason: str) -> float | None:
        return metrics.registry.get_sample_value(
            "jamsosbot_broadcast_deliveries_total",
            {"channel": "telegram", "outcome": outcome, "reason": reason},
        )

    assert value("sent", "message") == 2
    assert value("retried", "transient") == 1
    assert value("blocked", "blocked") == 1
    assert value("failed", "invalid") == 1
    assert b"jamsosbot_broadcast_deliveries_total" in metrics.render()


async def test_the_cancel_count_is_what_ends_up_cancelled(
    app: App, telegram: RecordingChannel
) -> None:
    people = 20
    for n in range(people):
        await subscriber(app.store, "telegram", f"t{n}")
    broadcast_id = await start_broadcast(app)
    counted: list[int | None] = []

    async def cancel_on_third(chat: ChatRef, call: int) -> None:
        if call == 3:  # staff press Hentikan while rows are in flight
            counted.append(await app.store.broadcasts.cancel(broadcast_id, "telegram:admin"))

    telegram.hook = cancel_on_third
    # a paced window: when the cancel comes, claimed rows wait for their slot
    config = dataclasses.replace(FAST, rates={"telegram": 100.0}, window=8)
    worker = OutboxWorker(
        app.store, [telegram], config, app.dispatcher.catalogues.translator("id")
    )
    await worker.start()
    await worker.drain()
    await worker.stop()

    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None and counted[0] is not None
    assert counted[0] == report.count("cancelled") > 0  # every row not sent was counted
    assert report.count("sent") == len(telegram.chats()) >= 3
    assert report.count("sent") + report.count("cancelled") == people
    assert report.possible_duplicates == 0
