"""The sending pace: replies go before announcements; a pause holds everyone.

A fake clock whose sleep moves time on: the order and the waits are exact, nothing waits on
the wall clock."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.channels.whatsapp.pacing import WhatsAppPace
from tests import postgres


class FakeTime:
    def __init__(self) -> None:
        self.now = 1024.0  # binary fractions below add up exactly
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        for _ in range(3):  # the others run meanwhile, as during a real wait
            await asyncio.sleep(0)


async def test_a_reply_overtakes_a_waiting_announcement() -> None:
    fake = FakeTime()
    pacer = WhatsAppPace(rate=64, burst=1, clock=fake.clock, sleep=fake.sleep)
    await pacer.acquire()  # the slot now taken: the next sends must wait
    order: list[str] = []

    async def send(kind: str) -> None:
        await pacer.acquire(bulk=kind == "bulk")
        order.append(kind)

    bulk = asyncio.create_task(send("bulk"))
    await asyncio.sleep(0)  # the announcement is waiting first
    reply = asyncio.create_task(send("reply"))
    await asyncio.gather(bulk, reply)

    assert order == ["reply", "bulk"]
    assert fake.now == 1024.0 + 2 / 64  # two more slots, 1/64 s apart


async def test_nobody_sends_during_a_pause() -> None:
    fake = FakeTime()
    pacer = WhatsAppPace(rate=1000, clock=fake.clock, sleep=fake.sleep)
    pacer.pause(60)  # as after error 130429

    await pacer.acquire()  # a reply
    assert fake.sleeps == [60.0]
    await pacer.acquire(bulk=True)  # an announcement, also after the pause
    assert fake.now >= 1084.0


async def test_without_a_pause_a_burst_goes_at_once() -> None:
    fake = FakeTime()
    pacer = WhatsAppPace(rate=4, burst=3, clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        await pacer.acquire()
    assert fake.sleeps == []
    await pacer.acquire()  # the fourth waits for its slot
    assert fake.sleeps == [0.25]


@pytest.mark.own_engines
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_two_workers_share_the_numbers_cap(backend: str, tmp_path: Path) -> None:
    """Two workers (two stores on one PostgreSQL database) answering and announcing at once
    keep together to the number's cap: no faster than it allows, nothing lost."""
    rate, per_worker = 100.0, 50
    async with postgres.workers(2, tmp_path) as stores:
        pacers = [
            WhatsAppPace(rate, burst=1, shared=store.pacing.limiter("whatsapp:1555", rate, 1))
            for store in stores
        ]
        sent: list[bool] = []

        async def send(pacer: WhatsAppPace, bulk: bool) -> None:
            await pacer.acquire(bulk=bulk)
            sent.append(bulk)

        start = time.monotonic()
        await asyncio.gather(
            *(send(p, n % 5 == 0) for p in pacers for n in range(per_worker))  # some bulk
        )
        elapsed = time.monotonic() - start
    assert len(sent) == 2 * per_worker and sent.count(True) == 20
    assert elapsed >= (2 * per_worker - 1) / rate - 0.005  # one worker alone: 0.49 s


@pytest.mark.own_engines
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_throughput_error_seen_by_one_worker_pauses_the_other_too(
    backend: str, tmp_path: Path
) -> None:
    """130429 is the number's limit: the worker that did not hear it waits as well."""
    rate, pause = 100.0, 0.5
    async with postgres.workers(2, tmp_path) as stores:
        told, other = (
            WhatsAppPace(rate, burst=1, shared=store.pacing.limiter("whatsapp:1556", rate, 1))
            for store in stores
        )
        await told.acquire()
        told.pause(pause)
        await asyncio.sleep(0.05)  # the pause is written in the background
        start = time.monotonic()
        await other.acquire()
        waited = time.monotonic() - start
    assert waited >= pause - 0.05 - 0.02
