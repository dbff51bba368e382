"""Replay every collected webhook body (tests/fixtures, see SOURCES.md) through the real app.

One ASGI app per channel, served by uvicorn on 127.0.0.1: the Telegram channel in webhook mode
against the fake Bot API, the WhatsApp channel against the fake Graph API. Each body must get
200, and then either a message sent back to that chat or nothing at all (`index.json`).
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.flood import FloodControl
from bot.channels.telegram.pacing import PaceLimits
from bot.channels.telegram.webhook import SECRET_HEADER
from bot.channels.whatsapp.channel import create as create_whatsapp
from bot.channels.whatsapp.webhook import sign
from bot.config import Settings
from bot.domain.understanding import PlaceFinder
from bot.web import create_web_app
from tests.fakes.graph_api import FakeGraphApi, running_graph_api
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI, running_fake, serve_asgi

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
INDEX: list[dict[str, Any]] = json.loads((FIXTURES / "index.json").read_text(encoding="utf-8"))
TG_SECRET = "replay_Secret-123"
WA_SECRET = "replay-app-secret"
SENDS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendLocation"})
FAST = PaceLimits(
    overall_rate=1000,
    overall_burst=100,
    chat_rate=1000,
    chat_burst=100,
    group_rate=1000,
    group_burst=100,
)


def entries(channel: str) -> list[dict[str, Any]]:
    return [entry for entry in INDEX if entry["channel"] == channel]


def body_of(entry: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / entry["file"]).read_text(encoding="utf-8"))
    return data


def test_index_lists_every_fixture_file_once() -> None:
    files = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("*/*.json"))
    assert sorted(entry["file"] for entry in INDEX) == files
    assert all(entry["expect"] in ("reply", "silence") for entry in INDEX)


async def _app(settings: Settings, seeded: Path, finder: PlaceFinder) -> App:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(seeded, settings.database_path)
    return await App.create(settings, place_finder=finder)


# --- Telegram ------------------------------------------------------------------------------


def telegram_chat(update: dict[str, Any]) -> str | None:
    """Where an answer to this update goes (the chat, else the presser), if anywhere."""
    for key in ("message", "edited_message", "channel_post", "business_message"):
        if isinstance(update.get(key), dict):
            return str(update[key]["chat"]["id"])
    query = update.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return str(message["chat"]["id"])
        return str(query["from"]["id"])
    return None


@pytest.fixture
async def telegram_bot(
    settings: Settings, seeded_database: Path, place_finder: PlaceFinder
) -> AsyncIterator[tuple[App, FakeTelegramAPI, httpx.AsyncClient]]:
    app = await _app(settings, seeded_database, place_finder)
    async with running_fake() as fake:
        channel = TelegramChannel(
            app.store,
            app.dispatcher,
            data_dir=app.settings.data_dir,
            token=TOKEN,
            api_url=fake.url,
            webhook_url="https://bot.example.go.id/telegram",
            webhook_secret=TG_SECRET,
            limits=FAST,
            flood=FloodControl(limit=10_000, window=1.0),
            typing_after=60.0,
        )
        await channel.start()
        try:
            async with (
                serve_asgi(create_web_app(app, [channel])) as url,
                httpx.AsyncClient(
                    base_url=url, trust_env=False, headers={SECRET_HEADER: TG_SECRET}
                ) as client,
            ):
                yield app, fake, client
        finally:
            await channel.stop()
            await app.close()


async def _answered(app: App, update_id: int) -> None:
    async with asyncio.timeout(10):
        while True:
            since = datetime.now(UTC) - timedelta(hours=1)
            pending = await app.store.telegram.unanswered(since)
            if update_id not in [kept for kept, _ in pending]:
                return
            await asyncio.sleep(0.01)


async def test_every_telegram_fixture_gets_200_and_the_expected_reply_or_silence(
    telegram_bot: tuple[App, FakeTelegramAPI, httpx.AsyncClient],
) -> None:
    app, fake, client = telegram_bot
    wrong: list[str] = []
    for number, entry in enumerate(entries("telegram")):
        update = body_of(entry)
        update["update_id"] = 50_000_000 + number  # the docs' curl samples all use 10000
        before = len(fake.calls)
        response = await client.post("/telegram", json=update)
        if response.status_code != 200:
            wrong.append(f"{entry['file']}: HTTP {response.status_code}")
            continue
        await _answered(app, update["update_id"])
        sent = [c for c in fake.calls[before:] if c.method in SENDS]
        chat = telegram_chat(update)
        if entry["expect"] == "silence" and sent:
            wrong.append(f"{entry['file']}: expected silence, sent {sent[0].params}")
        elif entry["expect"] == "reply" and not any(
            str(c.params.get("chat_id")) == chat for c in sent
        ):
            wrong.append(f"{entry['file']}: expected a reply to {chat}, sent {sent}")
        message = update.get("message") or {}
        topic = message.get("message_thread_id") if message.get("is_topic_message") else None
        if topic is not None and any(c.params.get("message_thread_id") != topic for c in sent):
            wrong.append(f"{entry['file']}: answer outside forum topic {topic}")
    assert not wrong, "\n".join(wrong)


# --- WhatsApp ------------------------------------------------------------------------------


def whatsapp_messages(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        message
        for entry in payload.get("entry", [])
        for change in entry.get("changes", [])
        for message in change.get("value", {}).get("messages", [])
    ]


def whatsapp_sender(payload: dict[str, Any]) -> str | None:
    for message in whatsapp_messages(payload):
        return str(message.get("from") or message.get("from_user_id"))
    return None


@pytest.fixture
async def whatsapp_bot(
    settings: Settings, seeded_database: Path, place_finder: PlaceFinder
) -> AsyncIterator[tuple[Any, FakeGraphApi, httpx.AsyncClient]]:
    async with running_graph_api() as fake:
        wa_settings = settings.model_copy(
            update={
                "whatsapp_token": "EAAG-replay",
                "whatsapp_phone_id": fake.phone_id,
                "whatsapp_app_secret": WA_SECRET,
                "whatsapp_verify_token": "verify",
                "whatsapp_api_url": fake.url,
                "whatsapp_api_version": fake.api_version,
                "whatsapp_backoff_seconds": 0.001,
                "whatsapp_messages_per_second": 1000.0,
            }
        )
        wa_settings = Settings(**{**settings.model_dump(), **wa_settings.model_dump()})
        app = await _app(wa_settings, seeded_database, place_finder)
        channel = create_whatsapp(app.settings, app.store, app.dispatcher)
        web = create_web_app(app, [channel])
        try:
            async with (
                serve_asgi(web, lifespan="on") as url,
                httpx.AsyncClient(base_url=url, trust_env=False) as client,
            ):
                yield channel, fake, client
        finally:
            await app.close()


async def test_every_whatsapp_fixture_gets_200_and_the_expected_reply_or_silence(
    whatsapp_bot: tuple[Any, FakeGraphApi, httpx.AsyncClient],
) -> None:
    channel, fake, client = whatsapp_bot
    wrong: list[str] = []
    for number, entry in enumerate(entries("whatsapp")):
        payload = body_of(entry)
        for message in whatsapp_messages(payload):  # many samples share one message id
            message["id"] = f"wamid.replay{number}"
        body = json.dumps(payload).encode()
        before = len(fake.messages)
        response = await client.post(
            "/whatsapp",
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(body, WA_SECRET),
            },
        )
        if response.status_code != 200:
            wrong.append(f"{entry['file']}: HTTP {response.status_code} {response.text}")
            continue
        await channel.drain()
        sent = fake.messages[before:]
        sender = whatsapp_sender(payload)
        if entry["expect"] == "silence" and sent:
            wrong.append(f"{entry['file']}: expected silence, sent {sent[0]}")
        elif entry["expect"] == "reply" and not any(
            sender in (m.get("to"), m.get("recipient")) for m in sent
        ):
            wrong.append(f"{entry['file']}: expected a reply to {sender}, sent {sent}")
    assert not wrong, "\n".join(wrong)
