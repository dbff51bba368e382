"""The Telegram pace on a fake clock: replies before bulk traffic, per-chat caps."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.channels.telegram.pacing import PaceLimits, TelegramPace
from tests import postgres


async def test_waiting_replies_go_before_waiting_announcements() -> None:
    now = [0.0]
    pacer = TelegramPace(
        PaceLimits(overall_rate=1.0, overall_burst=1, chat_rate=1000, chat_burst=1000),
        clock=lambda: now[0],
    )
    await pacer.acquire("first", bulk=True)  # uses the only token
    order: list[str] = []

    async def send(name: str, bulk: bool) -> None:
        await pacer.acquire(name, bulk=bulk)
        order.append(name)

    tasks = [asyncio.create_task(send(f"bulk{n}", True)) for n in range(3)]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(send("reply", False)))
    for _ in range(4):
        await asyncio.sleep(0)
    assert order == [] and pacer.backlog == 4
    for granted in range(1, 5):
        now[0] += 1.0  # one token per second of the fake clock
        pacer.pause(0)  # wakes the granter to look at the clock again
        async with asyncio.timeout(2):
            while len(order) < granted:  # noqa: ASYNC110 (let the granted task run)
                await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    assert order == ["reply", "bulk0", "bulk1", "bulk2"]
    await pacer.close()


async def test_a_pause_holds_every_send_until_it_ends() -> None:
    now = [0.0]
    pacer = TelegramPace(
        PaceLimits(overall_rate=1000, chat_rate=1000, chat_burst=1000), clock=lambda: now[0]
    )
    pacer.pause(5.0)
    sent = asyncio.create_task(pacer.acquire("42"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not sent.done()
    now[0] = 5.0
    pacer.pause(0)
    async with asyncio.timeout(2):
        await sent
    await pacer.close()


@pytest.mark.own_engines
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_two_workers_share_the_bots_overall_cap(backend: str, tmp_path: Path) -> None:
    """Two workers (two stores on one PostgreSQL database), each sending M messages as fast
    as its own pace lets it, together keep to the bot's cap: no faster than it allows."""
    rate, per_worker = 100.0, 50
    limits = PaceLimits(overall_rate=rate, overall_burst=1, chat_rate=1000, chat_burst=1000)
    async with postgres.workers(2, tmp_path) as stores:
        pacers = [
            TelegramPace(limits, shared=store.pacing.limiter("telegram:42", rate, 1))
            for store in stores
        ]
        sent: list[float] = []

        async def send(pacer: TelegramPace, n: int) -> None:
            await pacer.acquire(f"chat{n}")
            sent.append(time.monotonic())

        start = time.monotonic()
        await asyncio.gather(*(send(p, n) for p in pacers for n in range(per_worker)))
        elapsed = time.monotonic() - start
        for pacer in pacers:
            await pacer.close()
    assert len(sent) == 2 * per_worker  # none lost
    # GCRA: the first send at once, each next one 1/rate later (alone, one worker: 0.49 s).
    assert elapsed >= (2 * per_worker - 1) / rate - 0.005


@pytest.mark.own_engines
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_429_seen_by_one_worker_pauses_the_other_too(backend: str, tmp_path: Path) -> None:
    """Telegram's "retry after" is for the bot, not for the worker that heard it."""
    rate, pause = 100.0, 0.5
    limits = PaceLimits(overall_rate=rate, overall_burst=1, chat_rate=1000, chat_burst=1000)
    async with postgres.workers(2, tmp_path) as stores:
        told, other = (
            TelegramPace(limits, shared=store.pacing.limiter("telegram:43", rate, 1))
            for store in stores
        )
        await told.acquire("chat0")
        told.pause(pause)
        await asyncio.sleep(0.05)  # the pause is written in the background
        start = time.monotonic()
        await other.acquire("chat1")  # this worker heard nothing, yet waits
        waited = time.monotonic() - start
        for pacer in (told, other):
            await pacer.close()
    assert waited >= pause - 0.05 - 0.02
