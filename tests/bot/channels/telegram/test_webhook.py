"""Issue 17 on the Telegram webhook: bodies that got 400 or 500 (Telegram then sends them
again and again) and messages answered wrongly, through the real app on 127.0.0.1."""

# ruff: noqa: F811 (the fixtures of test_channel.py are imported and used as arguments)

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.dedupe import SeenUpdates
from bot.channels.telegram.webhook import SECRET_HEADER
from bot.config import Settings
from bot.core.payload import encode
from bot.domain.intents import Intent
from bot.domain.messages import Incoming
from bot.domain.understanding import PlaceFinder, Slots
from bot.web import create_web_app
from tests.bot.channels.telegram.test_channel import (  # noqa: F401 (fixtures)
    SECRET,
    core_answer,
    core_parts,
    fake,
    kept_updates,
    telegram_chat,
    test_router,
    tg_app,
    tg_settings,
    webhook,
    webhook_channel,
)
from tests.fakes.telegram_api import (
    BOT_USERNAME,
    TOKEN,
    FakeTelegramAPI,
    message_update,
    serve_asgi,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "telegram"
GROUP = -1001234567890
Webhook = tuple[TelegramChannel, httpx.AsyncClient]


async def post(client: httpx.AsyncClient, update: dict[str, Any] | bytes) -> httpx.Response:
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
    return await client.post("/telegram", content=body, headers=headers)


async def settled(app: App) -> None:
    """Every accepted update answered (or skipped): what was sent is all there will be."""
    async with asyncio.timeout(5):
        while await kept_updates(app):  # noqa: ASYNC110 (a database state, not an event)
            await asyncio.sleep(0.01)


def sent_to(fake: FakeTelegramAPI, chat_id: int) -> list[dict[str, Any]]:
    return [
        c.params
        for c in fake.calls
        if c.method in ("sendMessage", "sendPhoto") and str(c.params["chat_id"]) == str(chat_id)
    ]


def group_update(text: str, *, user_id: int = 42, **extra: Any) -> dict[str, Any]:
    return message_update(user_id, text, chat_id=GROUP, chat_type="supergroup", extra=extra)


async def test_an_update_id_beyond_64_bits_gets_200_and_is_skipped(
    tg_app: App, fake: FakeTelegramAPI, webhook: Webhook
) -> None:
    _, client = webhook
    for update_id in (2**63, 2**64 + 5, -1):
        update = message_update(80, "/start")
        body = json.dumps(update).replace(str(update["update_id"]), str(update_id), 1)

        response = await post(client, body.encode())

        assert response.status_code == 200
    await settled(tg_app)
    assert sent_to(fake, 80) == []


async def test_telegrams_own_curl_sample_is_answered_not_refused(
    tg_app: App, fake: FakeTelegramAPI, webhook: Webhook
) -> None:
    _, client = webhook
    sample = json.loads((FIXTURES / "telegram_docs_curl_message_text_first.json").read_text())
    assert "type" not in sample["message"]["chat"] and "is_bot" not in sample["message"]["from"]

    response = await post(client, sample)

    assert response.status_code == 200
    [sent] = await fake.wait_for("sendMessage")
    assert str(sent.params["chat_id"]) == str(sample["message"]["chat"]["id"])
    assert sent.params["text"] == (await core_answer(tg_app, text="/start"))[0].text


async def test_an_update_still_unreadable_after_upgrading_gets_200_and_is_logged(
    tg_app: App, webhook: Webhook, caplog: pytest.LogCaptureFixture
) -> None:
    _, client = webhook
    poll = json.loads((FIXTURES / "botapi_poll.json").read_text())  # newer than PTB 22.8

    response = await post(client, poll)

    assert response.status_code == 200
    assert await kept_updates(tg_app) == []
    assert any("skipped" in r.getMessage() for r in caplog.records)


async def test_other_bots_bare_commands_in_a_group_get_silence(
    tg_app: App, fake: FakeTelegramAPI, webhook: Webhook
) -> None:
    _, client = webhook
    for command in ("/ban", "/report spam", "/warn", "/ban@other_bot"):
        assert (await post(client, group_update(command))).status_code == 200
    await settled(tg_app)
    assert sent_to(fake, GROUP) == []
    assert await tg_app.store.questions.unanswered(limit=10) == []

    await post(client, group_update("/menu"))  # ours, bare
    await fake.wait_for("sendMessage")
    assert len(sent_to(fake, GROUP)) == 1


async def test_an_anonymous_admins_menu_command_is_answered(
    fake: FakeTelegramAPI, webhook: Webhook
) -> None:
    _, client = webhook
    update = group_update(
        f"/menu@{BOT_USERNAME}",
        sender_chat={"id": GROUP, "type": "supergroup", "title": "Grup Desa"},
    )
    update["message"]["from"] = {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    }

    await post(client, update)

    [sent] = await fake.wait_for("sendMessage")
    assert str(sent.params["chat_id"]) == str(GROUP)


async def test_a_photo_with_a_question_in_its_caption_gets_the_caption_answered(
    tg_app: App, fake: FakeTelegramAPI, webhook: Webhook
) -> None:
    _, client = webhook
    photo = [{"file_id": "AgAD1", "file_unique_id": "u1", "width": 90, "height": 90}]
    private = message_update(81, extra={"photo": photo, "caption": "iuran bpu berapa"})
    mention = group_update(
        "", photo=photo, caption=f"@{BOT_USERNAME} iuran bpu berapa", user_id=82
    )
    del mention["message"]["text"]
    mention["message"]["caption_entities"] = [
        {"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}
    ]

    await post(client, private)
    await post(client, mention)
    await fake.wait_for("sendMessage", 2)

    expected = (await core_answer(tg_app, text="iuran bpu berapa"))[0].text
    unsupported = (await core_answer(tg_app, unsupported="photo"))[0].text
    for chat_id in (81, GROUP):
        [answer, *_] = sent_to(fake, chat_id)
        assert answer["text"] == expected != unsupported


async def test_an_answer_in_a_forum_topic_goes_to_that_topic(
    fake: FakeTelegramAPI, webhook: Webhook
) -> None:
    _, client = webhook
    update = group_update(
        f"@{BOT_USERNAME} iuran bpu berapa", message_thread_id=77, is_topic_message=True
    )

    await post(client, update)

    sent = await fake.wait_for("sendMessage")
    assert sent[0].params["message_thread_id"] == 77


@pytest.fixture
async def gazetteer_bot(
    tg_settings: Settings, place_finder: PlaceFinder, fake: FakeTelegramAPI
) -> AsyncIterator[tuple[App, httpx.AsyncClient]]:
    """The app as `serve` builds it, with the gazetteer (the test router's app has none)."""
    app = await App.create(tg_settings, place_finder=place_finder)
    channel = TelegramChannel(
        app.store,
        app.dispatcher,
        data_dir=app.settings.data_dir,
        token=TOKEN,
        api_url=fake.url,
        webhook_url="https://bot.example.go.id/telegram",
        webhook_secret=SECRET,
    )
    try:
        async with (
            serve_asgi(create_web_app(app, [channel]), lifespan="on") as url,
            httpx.AsyncClient(base_url=url, trust_env=False) as client,
        ):
            yield app, client
    finally:
        await app.close()


async def test_a_shared_venue_is_matched_to_its_region(
    fake: FakeTelegramAPI, gazetteer_bot: tuple[App, httpx.AsyncClient]
) -> None:
    app, client = gazetteer_bot
    spot = {"latitude": -7.2, "longitude": 107.9}
    venue = {"location": spot, "title": "Alun-alun", "address": "Jl. Ahmad Yani, Garut"}
    pin = message_update(84, extra={"location": spot})

    await post(client, message_update(83, extra={"location": spot, "venue": venue}))
    await post(client, pin)  # coordinates only: the gazetteer has none, so "please type"
    await fake.wait_for("sendMessage", 2)

    garut = encode(Intent.COVERAGE_REGION, Slots(region="32.05"))
    expected = await app.dispatcher.handle(Incoming(chat=telegram_chat(9999), payload=garut))
    unsupported = await app.dispatcher.handle(
        Incoming(chat=telegram_chat(9998), unsupported="location")
    )
    [answer, *_] = sent_to(fake, 83)
    assert answer["text"] == expected[0].text
    [notice, *_] = sent_to(fake, 84)
    assert notice["text"] == unsupported[0].text


async def test_a_kept_older_format_update_is_answered_at_the_next_start(
    tg_app: App, fake: FakeTelegramAPI
) -> None:
    sample = json.loads((FIXTURES / "telegram_docs_curl_message_text.json").read_text())
    sample["update_id"] = 777
    crashed = SeenUpdates(tg_app.store.telegram, claim_ttl=timedelta(0))  # claim expired
    assert await crashed.accept(777, json.dumps(sample))
    channel = webhook_channel(tg_app, fake)

    await channel.start()
    try:
        [sent] = await fake.wait_for("sendMessage")
    finally:
        await channel.stop()

    assert str(sent.params["chat_id"]) == str(sample["message"]["chat"]["id"])
    assert await kept_updates(tg_app) == []
