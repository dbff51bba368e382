"""Handover end to end over real HTTP: the served app (`create_web_app`: channels, relay
worker) with the real Telegram channel (python-telegram-bot, polling the fake Bot API) and
WhatsApp channel (pywa, webhooks in, the fake Graph API out) on 127.0.0.1.

A user asks for a person → the staff group gets the ticket → a staff member replies to it →
the user gets the answer; the bot restarts between the steps, and nothing is lost or sent
twice. A WhatsApp user gets the answer at once inside the 24-hour window; outside it, a
template says an answer is waiting and the answer follows when the user writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import App, build_channels
from bot.channels.whatsapp.webhook import sign
from bot.config import Settings
from bot.domain.roles import Role
from bot.regions.finder import RegionFinder
from bot.web import create_web_app
from tests.bot.announcements.test_audience import age_user
from tests.bot.announcements.test_end_to_end import button_data, whatsapp_webhook
from tests.conftest import copy_seeded
from tests.fakes.graph_api import FakeGraphApi, running_graph_api
from tests.fakes.telegram_api import (
    BOT_ID,
    BOT_USERNAME,
    TOKEN,
    FakeTelegramAPI,
    callback_update,
    message_update,
    running_fake,
)

GROUP = -100500
STAFF = 88
OUTSIDER = 99
USER = 601
WA_USER = "6281200000001"
WA_STAFF = "6281200000099"
WAITING_TEMPLATE = "jawaban_menunggu"
OFFICE = "Kantor Cabang Pontianak"


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeTelegramAPI]:
    async with running_fake() as fake:
        yield fake


@pytest.fixture
async def graph_api() -> AsyncIterator[FakeGraphApi]:
    async with running_graph_api() as fake:
        yield fake


@pytest.fixture
def settings(
    tmp_path: Path,
    seeded_database: Path,
    telegram_api: FakeTelegramAPI,
    graph_api: FakeGraphApi,
) -> Settings:
    configured = Settings(
        data_dir=tmp_path / "data",
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
        broadcast_poll_seconds=0.02,
        staff_chat=f"telegram:{GROUP}",
        staff_direct=(f"whatsapp:{WA_STAFF}",),
        office_name=OFFICE,
        office_hours="00:00-23:59",
        office_days="1-7",
        handover_poll_seconds=0.02,
        handover_waiting_template=WAITING_TEMPLATE,
    )
    copy_seeded(seeded_database, configured.database_path)
    return configured


class Running:
    def __init__(self, app: App, client: httpx.AsyncClient):
        self.app = app
        self.client = client

    async def whatsapp(
        self, text: str, wamid: str, graph_api: FakeGraphApi, sender: str = WA_USER
    ) -> None:
        body = json.dumps(whatsapp_webhook(graph_api.phone_id, sender, wamid, text=text))
        response = await self.client.post(
            "/whatsapp",
            content=body.encode(),
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(body.encode(), "app-secret"),
            },
        )
        assert response.status_code == 200


@contextlib.asynccontextmanager
async def serving(settings: Settings, place_finder: RegionFinder) -> AsyncIterator[Running]:
    """One life of `jamsosbot serve`: the app, its channels and workers, then a full stop."""
    app = await App.create(settings, place_finder=place_finder)
    try:
        web = create_web_app(app, build_channels(app))
        async with (
            web.router.lifespan_context(web),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=web), base_url="http://bot.test"
            ) as client,
        ):
            yield Running(app, client)
    finally:
        await app.close()


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    async with asyncio.timeout(within):
        while not await check():  # noqa: ASYNC110 (a database state, not an event)
            await asyncio.sleep(0.02)


def group_reply(user_id: int, text: str, replied_to: str) -> dict[str, Any]:
    """A message in the staff group that replies (Telegram "reply") to a bot message."""
    replied = {
        "message_id": int(replied_to),
        "date": int(time.time()),
        "chat": {"id": GROUP, "type": "supergroup", "title": "Staf"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Jamsos", "username": BOT_USERNAME},
        "text": "Tiket",
    }
    return message_update(
        user_id,
        text,
        chat_id=GROUP,
        chat_type="supergroup",
        extra={"reply_to_message": replied},
    )


def texts_to(api: FakeTelegramAPI, chat_id: int, containing: str) -> list[str]:
    return [text for text in api.sent_texts(chat_id) if containing in text]


async def _grant_staff(settings: Settings, place_finder: RegionFinder) -> None:
    app = await App.create(settings, place_finder=place_finder)
    try:
        for channel, external_id in (("telegram", str(STAFF)), ("whatsapp", WA_STAFF)):
            staff = await app.store.people.touch(channel, external_id)
            await app.store.roles.grant(staff.id, Role.STAFF, granted_by="cli:test")
    finally:
        await app.close()


async def test_telegram_user_staff_group_reply_with_restarts(
    settings: Settings, place_finder: RegionFinder, telegram_api: FakeTelegramAPI
) -> None:
    await _grant_staff(settings, place_finder)

    # 1. The user asks for a person; the staff group gets the ticket.
    async with serving(settings, place_finder) as bot:
        telegram_api.push_update(message_update(USER, "mau bicara dengan petugas"))
        told = await telegram_api.wait_for(
            "sendMessage", where=lambda c: "tiket #1" in str(c.params.get("text"))
        )
        assert str(told[0].params["chat_id"]) == str(USER)
        card = await telegram_api.wait_for(
            "sendMessage", where=lambda c: str(c.params.get("chat_id")) == str(GROUP)
        )
        assert "Tiket #1" in str(card[0].params["text"])
        markup = card[0].params["reply_markup"]["inline_keyboard"]
        assert [b["text"] for row in markup for b in row] == ["Ambil", "Tutup"]
        await eventually(lambda: _posted(bot.app))
        # The group's post (the direct WhatsApp staff member's card may be posted already too).
        posts = [p for p in await bot.app.store.tickets.posts(1) if p[0] == "telegram"]
        # The staff member takes it with the button (role-checked like a typed command).
        telegram_api.push_update(callback_update(STAFF, button_data(card[0].params, "Ambil")))
        await telegram_api.wait_for(
            "sendMessage", where=lambda c: "Tiket #1 Anda ambil" in str(c.params.get("text"))
        )
    assert len(posts) == 1 and posts[0][:2] == ("telegram", str(GROUP))
    post_id = posts[0][2]

    # 2. After a restart: nothing sent twice; an outsider's reply is refused, a staff
    #    member's reply reaches the user, signed with the office's name.
    async with serving(settings, place_finder) as bot:
        telegram_api.push_update(group_reply(OUTSIDER, "saya jawab saja", post_id))
        await telegram_api.wait_for(
            "sendMessage",
            where=lambda c: (
                "Hanya petugas" in str(c.params.get("text"))
                and str(c.params.get("chat_id")) == str(GROUP)
            ),
        )
        telegram_api.push_update(
            group_reply(STAFF, "Klaim Anda sedang diverifikasi, mohon tunggu.", post_id)
        )
        await telegram_api.wait_for(
            "sendMessage", where=lambda c: "dikirim ke pengguna" in str(c.params.get("text"))
        )
        answer = await telegram_api.wait_for(
            "sendMessage",
            where=lambda c: (
                "Klaim Anda sedang diverifikasi" in str(c.params.get("text"))
                and str(c.params.get("chat_id")) == str(USER)
            ),
        )
        assert OFFICE in str(answer[0].params["text"])
        await eventually(lambda: _all_sent(bot.app, 1))
        refused = await bot.app.store.audit.recent(action_prefix="ticket.refused")
        assert [e.actor for e in refused] == [f"telegram:{OUTSIDER}"]

    # 3. Another restart: still one card and one answer.
    async with serving(settings, place_finder) as bot:
        await asyncio.sleep(0.3)  # many relay rounds
        ticket = await bot.app.store.tickets.get(1)
        assert ticket is not None and ticket.status == "answered"
        assert ticket.first_answer_at is not None and ticket.claimed_by == f"telegram:{STAFF}"
    assert len(texts_to(telegram_api, GROUP, "Tiket #1")) == 1
    assert len(texts_to(telegram_api, USER, "Klaim Anda sedang diverifikasi")) == 1
    assert texts_to(telegram_api, OUTSIDER, "") == []  # the outsider got nothing private


async def test_whatsapp_user_inside_and_outside_the_window(
    settings: Settings,
    place_finder: RegionFinder,
    telegram_api: FakeTelegramAPI,
    graph_api: FakeGraphApi,
) -> None:
    await _grant_staff(settings, place_finder)
    async with serving(settings, place_finder) as bot:
        await bot.whatsapp("mau bicara dengan petugas", "wamid.IN1", graph_api)
        await telegram_api.wait_for(
            "sendMessage", where=lambda c: "Tiket #1 · whatsapp" in str(c.params.get("text"))
        )
        # Inside the window: `/balas` in the staff group, answered on WhatsApp at once.
        telegram_api.push_update(
            message_update(
                STAFF,
                "/balas 1 Silakan bawa KTP ke kantor.",
                chat_id=GROUP,
                chat_type="supergroup",
            )
        )
        await eventually(lambda: _answer_on_whatsapp(graph_api, "Silakan bawa KTP", 1))

        # Outside the window: a second request, answered after the user went quiet.
        await bot.whatsapp("admin tolong balas lagi", "wamid.IN2", graph_api)
        await eventually(lambda: _open(bot.app))
        ticket = await bot.app.store.tickets.open_of(await _wa_user_id(bot.app))
        assert ticket is not None and ticket.id == 2
        await age_user(bot.app, await _wa_user_id(bot.app), timedelta(days=2))
        # This time a staff member answers from their own WhatsApp chat.
        await eventually(lambda: _cards_on_whatsapp(graph_api, 2))  # tickets 1 and 2
        await bot.whatsapp("/balas 2 Berkas Anda sudah lengkap.", "wamid.S1", graph_api, WA_STAFF)
        await eventually(lambda: _template_sent(graph_api))
        await eventually(lambda: _state(bot.app, 2, "waiting"))
        assert not await _answer_on_whatsapp(graph_api, "Berkas Anda sudah lengkap", 1)

    # The user writes again after a restart: the waiting answer goes out, once; no second
    # "waiting" template.
    async with serving(settings, place_finder) as bot:
        await bot.whatsapp("halo", "wamid.IN3", graph_api)
        await eventually(lambda: _answer_on_whatsapp(graph_api, "Berkas Anda sudah lengkap", 1))
        await asyncio.sleep(0.3)
    assert await _answer_on_whatsapp(graph_api, "Berkas Anda sudah lengkap", 1)
    assert await _answer_on_whatsapp(graph_api, "Silakan bawa KTP", 1)
    templates = [m for m in graph_api.messages if m.get("type") == "template"]
    assert [m["template"]["name"] for m in templates] == [WAITING_TEMPLATE]


async def _posted(app: App) -> bool:
    """Ticket 1 is posted in the Telegram staff group."""
    return any(post[0] == "telegram" for post in await app.store.tickets.posts(1))


async def _all_sent(app: App, ticket_id: int) -> bool:
    states = await app.store.ticket_relays.states(ticket_id)
    return set(states) == {"sent"}


async def _state(app: App, ticket_id: int, state: str) -> bool:
    return state in await app.store.ticket_relays.states(ticket_id)


async def _open(app: App) -> bool:
    return bool(await app.store.tickets.listing(open_only=True))


async def _wa_user_id(app: App) -> int:
    user = await app.store.people.find("whatsapp", WA_USER)
    assert user is not None
    return user.id


async def _template_sent(graph_api: FakeGraphApi) -> bool:
    return any(m.get("type") == "template" for m in graph_api.messages)


async def _answer_on_whatsapp(graph_api: FakeGraphApi, text: str, count: int) -> bool:
    found = [
        m
        for m in graph_api.messages
        if m.get("type") == "text" and text in m["text"]["body"] and m["to"] == WA_USER
    ]
    return len(found) == count


async def _cards_on_whatsapp(graph_api: FakeGraphApi, count: int) -> bool:
    cards = [
        m for m in graph_api.messages if m["to"] == WA_STAFF and m.get("type") == "interactive"
    ]
    return len(cards) == count
