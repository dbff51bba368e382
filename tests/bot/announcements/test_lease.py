"""One sender at a time: the outbox lease (a second sender waits or refuses; a dead one's
lease is taken over; rows in flight are only recovered by the lease holder)."""

from __future__ import annotations

import asyncio
import socket
import sys
from datetime import UTC, datetime, timedelta

import pytest

from bot.announcements.worker import SenderBusy
from bot.app import App
from tests.bot.announcements.conftest import RecordingChannel, make_worker, subscriber
from tests.bot.announcements.test_worker import start_broadcast

OTHER = "other-host:4242:abcd"


async def _two_rows_one_in_flight(app: App) -> int:
    for name in ("a", "b"):
        await subscriber(app.store, "telegram", name)
    broadcast_id = await start_broadcast(app)
    assert len(await app.store.outbox.claim("telegram", 1, datetime.now(UTC))) == 1
    return broadcast_id


async def test_a_second_sender_refuses_while_the_lease_is_live(
    app: App, telegram: RecordingChannel
) -> None:
    broadcast_id = await _two_rows_one_in_flight(app)
    await app.store.outbox.take_sender_lease(OTHER, timedelta(minutes=1), datetime.now(UTC))
    worker = make_worker(app, telegram)

    with pytest.raises(SenderBusy, match="being sent by other-host:4242"):
        await worker.start(wait_for_lease=False)

    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None and report.count("in_flight") == 1  # not taken from the other
    assert telegram.calls == 0
    lease = await app.store.outbox.sender_lease()
    assert lease is not None and lease.holder == OTHER


async def test_the_server_waits_for_the_lease_then_sends_everything(
    app: App, telegram: RecordingChannel
) -> None:
    broadcast_id = await _two_rows_one_in_flight(app)
    await app.store.outbox.take_sender_lease(OTHER, timedelta(minutes=1), datetime.now(UTC))
    worker = make_worker(app, telegram)
    await worker.start()  # waits in the background
    assert worker.recovered == 0 and telegram.calls == 0

    await app.store.outbox.release_sender_lease(OTHER)
    await worker.drain()
    assert worker.recovered == 1
    await worker.stop()

    assert sorted(telegram.chats()) == ["a", "b"]
    report = await app.store.broadcasts.report(broadcast_id)
    assert report is not None and report.states == {"sent": 2}
    assert await app.store.outbox.sender_lease() is None  # released at stop


async def test_an_expired_lease_is_taken_over(app: App, telegram: RecordingChannel) -> None:
    await _two_rows_one_in_flight(app)
    past = datetime.now(UTC) - timedelta(minutes=5)
    await app.store.outbox.take_sender_lease(OTHER, timedelta(minutes=1), past)
    worker = make_worker(app, telegram)

    await worker.start(wait_for_lease=False)
    lease = await app.store.outbox.sender_lease()
    await worker.drain()
    await worker.stop()

    assert lease is not None and lease.holder != OTHER
    assert lease.holder.startswith(f"{socket.gethostname()}:")
    assert worker.recovered == 1 and sorted(telegram.chats()) == ["a", "b"]


async def test_the_live_lease_of_a_crashed_process_on_this_host_is_taken_over(
    app: App, telegram: RecordingChannel
) -> None:
    await _two_rows_one_in_flight(app)
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await child.wait()  # its pid now belongs to no process
    dead = f"{socket.gethostname()}:{child.pid}:dead"
    await app.store.outbox.take_sender_lease(dead, timedelta(minutes=1), datetime.now(UTC))
    worker = make_worker(app, telegram)

    await worker.start(wait_for_lease=False)
    await worker.drain()
    await worker.stop()

    assert worker.recovered == 1 and sorted(telegram.chats()) == ["a", "b"]
