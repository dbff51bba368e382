"""`/dasbor` in chat: staff get a one-time link to the web dashboard; workers get nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Settings
from bot.domain.roles import Role
from bot.store.dashboard import LinkRefusal
from tests.conftest import Chat


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The shared `app` fixture with a WhatsApp admin (admins come from configuration)."""
    return Settings(data_dir=tmp_path / "data", admins=("whatsapp:6281200000009",))


LINK = re.compile(r"(http://127\.0\.0\.1:8080/dasbor/masuk/)([A-Za-z0-9_-]+)")


async def test_staff_get_a_link_that_opens_once(app: App) -> None:
    chat = Chat(app, user_id="555", channel="telegram")
    await chat.say("halo")
    user = await app.store.people.find("telegram", "555")
    assert user is not None
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="test")
    await chat.say("/dasbor")
    found = LINK.search(chat.text)
    assert found, chat.text
    assert "10 menit" in chat.text
    token = found.group(2)
    assert await app.store.dashboard.redeem_link(token) == user.id
    assert await app.store.dashboard.redeem_link(token) is LinkRefusal.USED


async def test_workers_get_no_link(app: App) -> None:
    chat = Chat(app, user_id="556", channel="telegram")
    await chat.say("/dasbor")
    assert "/dasbor/masuk/" not in chat.text


async def test_the_link_uses_the_public_url_in_english_too(app: App) -> None:
    app.dispatcher.settings = app.dispatcher.settings.model_copy(
        update={"public_url": "https://bot.example.id/"}
    )
    chat = Chat(app, user_id="557", channel="telegram")
    await chat.say("/english")
    user = await app.store.people.find("telegram", "557")
    assert user is not None
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="test")
    await app.store.people.set_locale(user.id, "en")
    await chat.say("/dashboard")
    assert "https://bot.example.id/dasbor/masuk/" in chat.text
    assert "works once" in chat.text


async def test_an_admin_on_whatsapp_gets_a_link_too(app: App) -> None:
    chat = Chat(app, user_id="6281200000009", channel="whatsapp")
    await chat.say("/dasbor")
    found = LINK.search(chat.text)
    assert found, chat.text
    user = await app.store.people.find("whatsapp", "6281200000009")
    assert user is not None
    assert await app.store.dashboard.redeem_link(found.group(2)) == user.id
