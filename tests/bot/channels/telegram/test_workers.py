"""Two workers on one PostgreSQL database, each a Telegram channel in webhook mode behind its
own HTTP server (two processes behind the reverse proxy), against one fake Bot API: an update
delivered to both, at once or while the other answers it, is answered once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import App, build_understander
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.webhook import SECRET_HEADER
from bot.config import Settings
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Catalogues
from bot.domain.understanding import Understander
from bot.store import Store
from bot.web import create_web_app
from handlers import ROUTERS
from tests.bot.channels.telegram.support import ChannelTestRouter
from tests.fakes.telegram_api import (
    TOKEN,
    FakeTelegramAPI,
    message_update,
    running_fake,
    serve_asgi,
)

from .test_channel import FAST, SECRET

pytestmark = [
    pytest.mark.own_engines,
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
]


@pytest.fixture(scope="module")
def core_parts() -> tuple[Understander, Catalogues]:
    return build_understander(), Catalogues.load()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramAPI]:
    async with running_fake() as started:
        yield started


@contextlib.asynccontextmanager
async def worker(
    settings: Settings,
    router: ChannelTestRouter,
    fake: FakeTelegramAPI,
    core_parts: tuple[Understander, Catalogues],
) -> AsyncIterator[httpx.AsyncClient]:
    """One worker: its own store (connection pools), dispatcher, channel and HTTP server."""
    understander, catalogues = core_parts
    store = await Store.open(settings.database_target, seed=False, files=settings.data_dir)
    try:
        dispatcher = Dispatcher(
            store=store,
            understander=understander,
            catalogues=catalogues,
            # the test router's `document` command stands in for the staff one
            routers=[*(r for r in ROUTERS if "document" not in r.commands), router.router],
            admins=settings.admins,
            timezone=settings.timezone,
            max_message_chars=settings.max_message_chars,
        )
        channel = TelegramChannel(
            store,
            dispatcher,
            data_dir=settings.data_dir,
            token=TOKEN,
            api_url=fake.url,
            webhook_url="https://bot.example.go.id/telegram",
            webhook_secret=SECRET,
            limits=FAST,
        )
    except BaseException:
        await store.close()
        raise
    await channel.start()
    try:
        app = App(settings=settings, store=store, dispatcher=dispatcher)
        async with (
            serve_asgi(create_web_app(app, [channel])) as url,
            httpx.AsyncClient(
                base_url=url, trust_env=False, headers={SECRET_HEADER: SECRET}
            ) as client,
        ):
            yield client
    finally:
        await channel.stop()
        await store.close()


@pytest.fixture
async def two_workers(
    backend: str,
    settings: Settings,
    tmp_path: Path,
    fake: FakeTelegramAPI,
    core_parts: tuple[Understander, Catalogues],
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, ChannelTestRouter]]:
    router = ChannelTestRouter(tmp_path)
    async with (
        worker(settings, router, fake, core_parts) as first,
        worker(settings, router, fake, core_parts) as second,
    ):
        yield first, second, router
        router.release.set()


async def test_an_update_delivered_to_two_workers_at_once_is_answered_once(
    two_workers: tuple[httpx.AsyncClient, httpx.AsyncClient, ChannelTestRouter],
    fake: FakeTelegramAPI,
) -> None:
    a, b, router = two_workers
    router.release.set()
    updates = [message_update(300 + n, "/start", update_id=9_000 + n) for n in range(10)]
    for update in updates:
        answers = await asyncio.gather(
            a.post("/telegram", json=update), b.post("/telegram", json=update)
        )
        assert [r.status_code for r in answers] == [200, 200]
    await fake.wait_for("sendMessage", count=10)
    await asyncio.sleep(0.3)  # a second answer would have come by now
    assert [len(fake.sent_texts(300 + n)) for n in range(10)] == [1] * 10


async def test_an_update_redelivered_to_another_worker_while_answered_is_not_answered_again(
    two_workers: tuple[httpx.AsyncClient, httpx.AsyncClient, ChannelTestRouter],
    fake: FakeTelegramAPI,
) -> None:
    a, b, router = two_workers
    update = message_update(310, "/lambat", update_id=9_100)
    assert (await a.post("/telegram", json=update)).status_code == 200
    await asyncio.sleep(0.2)  # worker a is answering (the answer waits for `release`)
    assert (await b.post("/telegram", json=update)).status_code == 200  # Telegram's retry
    await asyncio.sleep(0.2)
    router.release.set()
    await fake.wait_for("sendMessage", where=lambda c: str(c.params.get("chat_id")) == "310")
    await asyncio.sleep(0.3)
    assert fake.sent_texts(310) == ["Selesai"]
