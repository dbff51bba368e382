"""A broadcast through a platform outage, over real HTTP with the real channels.

The Bot API and the Graph API answer 502 to everything for a while in the middle of a
broadcast ("30 seconds" scaled down with the retry period: 1 s of outage, 4 s of retrying,
where production retries for hours); some Telegram answers are lost after Telegram took the
message; the sender crashes once. Every recipient gets the announcement exactly once, except
for messages whose fate the sender could not know, and each of those is counted in the report.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from bot.announcements.config import BroadcastConfig
from bot.announcements.worker import OutboxWorker
from bot.app import App, build_channels
from bot.config import Settings
from tests.bot.announcements.proxy import FaultyProxy, LoseAnswer, faulty_proxy
from tests.bot.announcements.test_worker import start_broadcast
from tests.conftest import copy_seeded
from tests.fakes.graph_api import FakeGraphApi, running_graph_api
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI, running_fake

PEOPLE = 40  # per channel
LOST = {"1005", "1017", "1029"}  # Telegram chats whose first answer is lost


def _lost_once() -> LoseAnswer:
    seen: set[str] = set()

    def lose(method: str, path: str, body: bytes) -> bool:
        if not path.endswith("/sendMessage"):
            return False
        chat = parse_qs(body.decode()).get("chat_id", [""])[0]
        if chat in LOST and chat not in seen:
            seen.add(chat)
            return True
        return False

    return lose


@pytest.fixture
async def platforms() -> AsyncIterator[tuple[FakeTelegramAPI, FakeGraphApi]]:
    async with running_fake() as telegram, running_graph_api() as graph:
        yield telegram, graph


async def test_a_5xx_outage_mid_broadcast_loses_nobody_and_counts_every_duplicate(
    tmp_path: Path,
    seeded_database: Path,
    platforms: tuple[FakeTelegramAPI, FakeGraphApi],
) -> None:
    telegram_api, graph_api = platforms
    async with (
        faulty_proxy(
            telegram_api.url,
            outage_after=10,
            outage_seconds=1.0,
            lose_answer=_lost_once(),
            is_message=lambda path: path.endswith("/sendMessage"),
        ) as telegram_proxy,
        faulty_proxy(
            graph_api.url,
            outage_after=10,
            outage_seconds=1.0,
            is_message=lambda path: path.endswith("/messages"),
        ) as graph_proxy,
    ):
        settings = Settings(
            data_dir=tmp_path / "data",
            telegram_token=TOKEN,
            telegram_api_url=telegram_proxy.url,
            telegram_max_rate=1000.0,
            whatsapp_token="EAAG-test-token",
            whatsapp_phone_id=graph_api.phone_id,
            whatsapp_app_secret="app-secret",
            whatsapp_api_url=graph_proxy.url,
            whatsapp_api_version=graph_api.api_version,
            whatsapp_backoff_seconds=0.001,
            whatsapp_messages_per_second=1000.0,
            telegram_broadcast_rate=60.0,
            whatsapp_broadcast_rate=60.0,
            broadcast_poll_seconds=0.02,
            broadcast_retry_seconds=4.0,  # hours in production; the outage is 1 s here
        )
        copy_seeded(seeded_database, settings.database_path)
        app = await App.create(settings, understanding=False)  # a sender: no NLU needed
        try:
            await _run(app, telegram_proxy, graph_proxy)
            report = await app.store.broadcasts.report(1)
        finally:
            await app.close()

    assert telegram_proxy.refused > 0 and graph_proxy.refused > 0  # the outage happened
    assert telegram_proxy.lost == len(LOST)
    assert report is not None
    assert report.states == {"sent": 2 * PEOPLE}, report.failures
    assert report.broadcast.status == "done"

    telegram_got = Counter(
        str(call.params["chat_id"])
        for call in telegram_api.calls_of("sendMessage")
        if str(call.params.get("text", "")).startswith("📢 Kantor cabang")
    )
    whatsapp_got = Counter(str(m.get("to")) for m in graph_api.messages if m.get("type") == "text")
    assert set(telegram_got) == {str(1000 + n) for n in range(PEOPLE)}
    assert set(whatsapp_got) == {f"62811000{n:05d}" for n in range(PEOPLE)}
    extra = sum(n - 1 for n in telegram_got.values()) + sum(n - 1 for n in whatsapp_got.values())
    assert extra >= len(LOST)  # Telegram had those: sending again delivered them twice
    assert extra <= report.possible_duplicates  # every duplicate counted...
    assert report.possible_duplicates <= extra + 2 * 32  # ...and only what was in flight


async def _run(app: App, telegram_proxy: FaultyProxy, graph_proxy: FaultyProxy) -> None:
    for n in range(PEOPLE):
        for platform, chat in (("telegram", str(1000 + n)), ("whatsapp", f"62811000{n:05d}")):
            user = await app.store.people.touch(platform, chat)
            await app.store.people.subscribe(user.id)
    await start_broadcast(app, "Kantor cabang tutup sementara")
    channels = build_channels(app)
    for channel in channels:
        await channel.start()
    config = dataclasses.replace(
        BroadcastConfig.from_settings(app.settings),
        backoff_seconds=0.02,
        backoff_max_seconds=0.25,
    )
    translator = app.dispatcher.catalogues.translator("id")
    try:
        worker = OutboxWorker(app.store, channels, config, translator)
        await worker.start()
        async with asyncio.timeout(5):
            while telegram_proxy.outage_began is None:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        await worker.abort()  # kill -9 in the middle of the outage
        worker = OutboxWorker(app.store, channels, config, translator)
        await worker.start()
        async with asyncio.timeout(8):
            await worker.drain()
        await worker.stop()
    finally:
        for channel in reversed(channels):
            await channel.stop()
    assert graph_proxy.outage_ended is not None


async def test_telegram_answers_lost_after_sending_are_counted_as_possibly_sent_twice(
    tmp_path: Path, seeded_database: Path, platforms: tuple[FakeTelegramAPI, FakeGraphApi]
) -> None:
    telegram_api, _ = platforms
    async with faulty_proxy(telegram_api.url, lose_answer=_lost_once()) as proxy:
        settings = Settings(
            data_dir=tmp_path / "data",
            telegram_token=TOKEN,
            telegram_api_url=proxy.url,
            telegram_max_rate=1000.0,
            telegram_broadcast_rate=200.0,
            broadcast_poll_seconds=0.02,
        )
        copy_seeded(seeded_database, settings.database_path)
        app = await App.create(settings, understanding=False)
        try:
            for n in range(PEOPLE):
                user = await app.store.people.touch("telegram", str(1000 + n))
                await app.store.people.subscribe(user.id)
            await start_broadcast(app, "Kantor cabang buka")
            channels = build_channels(app)
            for channel in channels:
                await channel.start()
            config = dataclasses.replace(
                BroadcastConfig.from_settings(settings), backoff_seconds=0.01
            )
            worker = OutboxWorker(
                app.store, channels, config, app.dispatcher.catalogues.translator("id")
            )
            try:
                await worker.start()
                async with asyncio.timeout(8):
                    await worker.drain()
                await worker.stop()
            finally:
                for channel in channels:
                    await channel.stop()
            report = await app.store.broadcasts.report(1)
        finally:
            await app.close()

    got = Counter(
        str(call.params["chat_id"])
        for call in telegram_api.calls_of("sendMessage")
        if str(call.params.get("text", "")).startswith("📢 Kantor cabang")
    )
    assert proxy.lost == len(LOST)
    assert {chat for chat, n in got.items() if n == 2} == LOST  # Telegram showed those twice
    assert report is not None and report.states == {"sent": PEOPLE}
    assert report.possible_duplicates == len(LOST)  # and the report says so
