"""Announcements end to end over real HTTP: the real Telegram channel (python-telegram-bot)
and WhatsApp channel (pywa) against the fake Bot API and Graph API on 127.0.0.1.

An admin composes on Telegram, presses Send; the outbox worker delivers to Telegram and
WhatsApp subscribers (a template for one outside the 24-hour window), with a 5xx retried and
blocked users recorded; the report is asked for by button.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_channels
from bot.config import Settings
from bot.store.broadcasts import Audience
from bot.web import outbox_of
from tests.bot.announcements.test_audience import age_user
from tests.conftest import copy_seeded
from tests.fakes.graph_api import FakeGraphApi, running_graph_api
from tests.fakes.telegram_api import (
    TOKEN,
    FakeTelegramAPI,
    callback_update,
    message_update,
    running_fake,
)

ADMIN = 77
TEMPLATE = "pengumuman_umum"


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeTelegramAPI]:
    async with running_fake() as fake:
        yield fake


@pytest.fixture
async def graph_api() -> AsyncIterator[FakeGraphApi]:
    async with running_graph_api() as fake:
        yield fake


@pytest.fixture
async def bot(
    tmp_path: Path,
    seeded_database: Path,
    telegram_api: FakeTelegramAPI,
    graph_api: FakeGraphApi,
) -> AsyncIterator[App]:
    settings = Settings(
        data_dir=tmp_path / "data",
        admins=(f"telegram:{ADMIN}",),
        telegram_token=TOKEN,
        telegram_api_url=telegram_api.url,
        telegram_max_rate=1000.0,
        whatsapp_token="EAAG-test-token",
        whatsapp_phone_id=graph_api.phone_id,
        whatsapp_app_secret="app-secret",
        whatsapp_api_url=graph_api.url,
        whatsapp_api_version=graph_api.api_version,
        whatsapp_backoff_seconds=0.001,
        whatsapp_messages_per_second=1000.0,
        telegram_broadcast_rate=500.0,
        whatsapp_broadcast_rate=500.0,
        broadcast_poll_seconds=0.02,
        broadcast_window=1,  # one send at a time per channel: the scripted failures hit known rows
        whatsapp_broadcast_template=TEMPLATE,
    )
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings)
    yield app
    await app.close()


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    async with asyncio.timeout(within):
        while not await check():  # noqa: ASYNC110 (a database state, not an event)
            await asyncio.sleep(0.02)


def button_data(call_params: dict[str, Any], title: str) -> str:
    markup = call_params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if button["text"] == title:
                return str(button["callback_data"])
    raise AssertionError(f"no button {title!r} in {markup}")


async def test_compose_on_telegram_deliver_on_both_channels(
    bot: App, telegram_api: FakeTelegramAPI, graph_api: FakeGraphApi
) -> None:
    channels = build_channels(bot)
    assert [c.name for c in channels] == ["telegram", "whatsapp"]
    for channel in channels:
        await channel.start()
    worker = outbox_of(bot, channels)
    try:
        # Telegram people subscribe by chat (polling through the real channel).
        for user_id in range(501, 506):
            telegram_api.push_update(message_update(user_id, "langganan"))
        await eventually(lambda: _count(bot, "telegram", 5))  # five subscribers stored
        for number in ("6281100000001", "6281100000002", "6281100000003"):
            user = await bot.store.people.touch("whatsapp", number)
            await bot.store.people.subscribe(user.id)
        old = await bot.store.people.find("whatsapp", "6281100000003")
        assert old is not None
        await age_user(bot, old.id, timedelta(days=3))

        # The admin composes and confirms by chat.
        telegram_api.push_update(
            message_update(ADMIN, "/umumkan Pendaftaran pekerja rentan dibuka di kantor desa.")
        )
        previews = await telegram_api.wait_for(
            "sendMessage", where=lambda c: "Pratinjau" in str(c.params.get("text"))
        )
        assert "Telegram 5, WhatsApp 3" in str(previews[0].params["text"])
        assert "template" in str(previews[0].params["text"])
        telegram_api.push_update(callback_update(ADMIN, button_data(previews[0].params, "Kirim")))
        await telegram_api.wait_for(
            "sendMessage", where=lambda c: "sedang dikirim" in str(c.params.get("text"))
        )

        # The platforms misbehave: one 502, one user blocked on each platform.
        telegram_api.fail("sendMessage", 502, "Bad Gateway")
        telegram_api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
        graph_api.fail_next(131026)
        await worker.start()
        await worker.drain()
    finally:
        await worker.stop()
        report = await bot.store.broadcasts.report(1)
        telegram_api.push_update(callback_update(ADMIN, "/umumkan_laporan 1"))
        shown = await telegram_api.wait_for(
            "sendMessage", where=lambda c: "Laporan pengumuman" in str(c.params.get("text"))
        )
        for channel in reversed(channels):
            await channel.stop()

    assert report is not None
    assert report.states == {"sent": 6, "blocked": 2}
    assert report.via_template == 1 and report.possible_duplicates == 0
    text = str(shown[0].params["text"])
    assert "Terkirim: 6" in text and "Diblokir/tak terjangkau: 2" in text

    announced = [
        str(c.params["chat_id"])
        for c in telegram_api.calls_of("sendMessage")
        if str(c.params.get("text", "")).startswith("📢 Pendaftaran pekerja rentan")
        and str(c.params["chat_id"]) != str(ADMIN)  # the preview the admin saw
    ]
    # 4 delivered + the 502 retried (the request reached the fake but failed) + the blocked one
    assert len(announced) == 6 and len(set(announced)) == 5
    wa_bodies = graph_api.messages
    templates = [m for m in wa_bodies if m.get("type") == "template"]
    assert len(templates) == 1 and templates[0]["template"]["name"] == TEMPLATE
    parameters = templates[0]["template"]["components"][0]["parameters"]
    assert parameters[0]["text"].startswith("Pendaftaran pekerja rentan")
    texts = [m for m in wa_bodies if m.get("type") == "text"]
    assert len(texts) == 1 and texts[0]["text"]["body"].startswith("📢 Pendaftaran")


async def _count(app: App, channel: str, expected: int) -> bool:
    count = await app.store.broadcasts.count_audience(Audience(), datetime.now(UTC))
    return count.per_channel.get(channel, 0) >= expected


def whatsapp_webhook(
    phone_id: str, wa_id: str, wamid: str, *, text: str | None = None, button: str | None = None
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "from": wa_id,
        "from_user_id": f"ID.{wa_id}",
        "id": wamid,
        "timestamp": str(int(datetime.now(UTC).timestamp())),
    }
    if button is not None:
        message["type"] = "interactive"
        message["interactive"] = {
            "type": "button_reply",
            "button_reply": {"id": button, "title": "Kirim"},
        }
    else:
        message["type"] = "text"
        message["text"] = {"body": text}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001111", "phone_number_id": phone_id},
        "contacts": [{"profile": {"name": "Staf"}, "wa_id": wa_id, "user_id": f"ID.{wa_id}"}],
        "messages": [message],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }


def status_webhook(phone_id: str, wamid: str, status: str, *, code: int) -> dict[str, Any]:
    """A status change as Meta sends it (Cloud API webhooks reference, "statuses")."""
    entry: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(datetime.now(UTC).timestamp())),
        "recipient_id": "6281100000001",
    }
    if status == "failed":
        entry["errors"] = [{"code": code, "title": "Message failed to send"}]
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001111", "phone_number_id": phone_id},
        "statuses": [entry],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }


async def test_compose_on_whatsapp_through_the_served_app(
    tmp_path: Path, seeded_database: Path, graph_api: FakeGraphApi
) -> None:
    """`jamsosbot serve` wiring: the ASGI app's lifespan runs the outbox worker."""
    import httpx

    from bot.channels.whatsapp.channel import create
    from bot.channels.whatsapp.webhook import sign
    from bot.web import create_web_app

    admin = "6281234567890"
    settings = Settings(
        data_dir=tmp_path / "data",
        admins=(f"whatsapp:{admin}",),
        whatsapp_token="EAAG-test-token",
        whatsapp_phone_id=graph_api.phone_id,
        whatsapp_app_secret="app-secret",
        whatsapp_api_url=graph_api.url,
        whatsapp_api_version=graph_api.api_version,
        whatsapp_backoff_seconds=0.001,
        whatsapp_messages_per_second=1000.0,
        whatsapp_broadcast_rate=500.0,
        broadcast_poll_seconds=0.02,
    )
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings)
    try:
        for number in ("6281100000001", "6281100000002"):
            user = await app.store.people.touch("whatsapp", number)
            await app.store.people.subscribe(user.id)
        channel = create(app.settings, app.store, app.dispatcher)
        web = create_web_app(app, [channel])
        async with (
            web.router.lifespan_context(web),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=web), base_url="http://bot.test"
            ) as client,
        ):

            async def post(payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                headers = {
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": sign(body, "app-secret"),
                }
                response = await client.post("/whatsapp", content=body, headers=headers)
                assert response.status_code == 200
                await channel.drain()

            await post(
                whatsapp_webhook(
                    graph_api.phone_id, admin, "wamid.IN1", text="/umumkan JMO sedang gangguan"
                )
            )
            preview = graph_api.messages[-1]
            assert preview["type"] == "interactive"
            assert "Penerima: 2 (Telegram 0, WhatsApp 2)" in preview["interactive"]["body"]["text"]
            ids = [b["reply"]["id"] for b in preview["interactive"]["action"]["buttons"]]
            assert ids == ["/umumkan_kirim 1", "/umumkan_batal 1"]
            await post(whatsapp_webhook(graph_api.phone_id, admin, "wamid.IN2", button=ids[0]))

            async def delivered() -> bool:
                report = await app.store.broadcasts.report(1)
                return report is not None and report.broadcast.status == "done"

            await eventually(delivered)
            accepted = await app.store.broadcasts.report(1)
            assert accepted is not None and accepted.states == {"sent": 2}

            # Meta accepted both, then reports one as failed (a status webhook): the report
            # reads it, as docs/announcements.md says.
            sent = await app.store.broadcasts.sent_message_ids(1)
            failed_wamid = sorted(sent.values())[0]
            await post(status_webhook(graph_api.phone_id, failed_wamid, "failed", code=131049))
        report = await app.store.broadcasts.report(1)
    finally:
        await app.close()
    assert report is not None and report.states == {"sent": 1, "failed": 1}
    assert report.failures == [("whatsapp status failed: code 131049", 1)]
    announced = [
        str(m.get("to") or m.get("recipient"))
        for m in graph_api.messages
        if m.get("type") == "text" and m["text"]["body"].startswith("📢 JMO sedang gangguan")
    ]
    # the admin saw the message twice in the preview (Indonesian and English renderings)
    assert sorted(announced) == ["6281100000001", "6281100000002", admin, admin]
