"""The sending pace: replies go before announcements; a pause holds everyone."""

from __future__ import annotations

import asyncio

from bot.channels.whatsapp_pacing import Pacer


async def test_a_reply_overtakes_a_waiting_announcement() -> None:
    pacer = Pacer(rate=50, burst=1)
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


async def test_nobody_sends_during_a_pause() -> None:
    pacer = Pacer(rate=1000)
    pacer.pause(60)  # as after error 130429

    waiting = asyncio.create_task(pacer.acquire())
    await asyncio.sleep(0.01)

    assert not waiting.done()
    waiting.cancel()
