from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.config import Settings
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply
from handlers import ROUTERS
from tests.conftest import Chat, copy_seeded


async def test_greeting_gets_welcome_and_main_menu(chat: Chat) -> None:
    await chat.say("halo")
    assert "jamsosbot" in chat.text
    assert "Cairkan JHT" in chat.button_titles
    assert len(chat.button_titles) == 10


async def test_menu_word_shows_menu(chat: Chat) -> None:
    await chat.say("Menu")
    assert chat.text.startswith("Pilih topik")
    assert "Langganan info" in chat.button_titles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Pesan Anda kosong"),
        ("   \n\t ", "Pesan Anda kosong"),
        ("a" * 20_000, "terlalu panjang"),
        ("🙂🙂🙏", "hanya bisa membaca teks"),
        ("\x00\x01\x02\ufffe\x7f", "Pesan Anda kosong"),
        ("?!?!...", "hanya bisa membaca teks"),
    ],
)
async def test_bad_input_gets_short_polite_reply(chat: Chat, text: str, expected: str) -> None:
    replies = await chat.say(text)
    assert len(replies) == 1
    assert expected in replies[0].text
    assert len(replies[0].text) < 200


async def test_binary_junk_is_answered_without_traceback(chat: Chat) -> None:
    junk = bytes(range(256)).decode("latin-1") * 3
    replies = await chat.say(junk)
    assert replies and all(reply.text for reply in replies)
    assert "Traceback" not in chat.text


async def test_unanswerable_question_is_logged_for_staff(chat: Chat) -> None:
    await chat.say("cuaca besok gimana")
    assert "dicatat" in chat.text
    questions = await chat.app.store.questions.unanswered()
    assert [q.text for q in questions] == ["cuaca besok gimana"]


async def test_stale_button_payload_is_refused_politely(chat: Chat) -> None:
    replies = await chat.app.dispatcher.handle(Incoming(chat=chat.ref, payload="no_such_intent"))
    assert "tidak berlaku" in replies[0].text
    assert replies[0].buttons


async def test_language_choice_is_stored_and_used(chat: Chat) -> None:
    await chat.say("ganti bahasa")
    await chat.press("English")
    assert "English" in chat.text
    await chat.say("menu")
    assert chat.text.startswith("Pick a topic")
    user = await chat.app.store.people.find("console", "u1")
    assert user is not None and user.locale == "en"


async def test_handler_crash_becomes_localized_apology(app: App) -> None:
    broken = Router("broken")

    @broken.intent(Intent.GREETING)
    async def explode(msg: Incoming, ctx: object) -> list[Reply]:
        raise RuntimeError("boom")

    rest = Router("rest")
    for router in ROUTERS:
        for intent, handler in router.intents.items():
            if intent is not Intent.GREETING:
                rest.intent(intent)(handler)
    from bot.core.dispatcher import Dispatcher

    dispatcher = Dispatcher(
        store=app.store,
        understander=app.dispatcher.understander,
        catalogues=app.dispatcher.catalogues,
        routers=(broken, rest),
    )
    chat = Chat(app)
    replies = await dispatcher.handle(Incoming(chat=chat.ref, text="halo"))
    assert replies == [Reply(text=app.dispatcher.catalogues.translator("id")("error.apology"))]


async def test_staff_command_is_normal_text_for_workers(app: App) -> None:
    staff = Router("staff-test")

    @staff.command("rahasia", roles={"staff"})  # type: ignore[arg-type]
    async def secret(msg: Incoming, ctx: object, args: str) -> list[Reply]:
        return [Reply(text="staff only")]

    from bot.core.dispatcher import Dispatcher

    dispatcher = Dispatcher(
        store=app.store,
        understander=app.dispatcher.understander,
        catalogues=app.dispatcher.catalogues,
        routers=(*ROUTERS, staff),
    )
    worker = Chat(app, user_id="worker")
    replies = await dispatcher.handle(Incoming(chat=worker.ref, text="/rahasia"))
    assert replies[0].text != "staff only"
    user = await app.store.people.find("console", "worker")
    assert user is not None
    from bot.domain.roles import Role

    await app.store.roles.grant(user.id, Role.STAFF, granted_by="test")
    replies = await dispatcher.handle(Incoming(chat=worker.ref, text="/rahasia"))
    assert replies[0].text == "staff only"


async def test_a_new_users_app_language_is_used_until_they_choose(chat: Chat) -> None:
    english = Incoming(chat=chat.ref, text="halo", platform_locale="en-GB")
    replies = await chat.app.dispatcher.handle(english)
    assert replies[0].text.startswith("Hello! I am jamsosbot")

    user = await chat.app.store.people.find(chat.ref.channel, chat.ref.user_id)
    assert user is not None
    await chat.app.store.people.set_locale(user.id, "id")  # their own choice wins
    replies = await chat.app.dispatcher.handle(english)
    assert replies[0].text.startswith("Halo! Saya jamsosbot")


async def test_the_configured_default_language(settings: Settings, seeded_database: Path) -> None:
    configured = settings.model_copy(update={"default_locale": "en"})
    copy_seeded(seeded_database, configured.database_path)
    app = await App.create(configured)
    try:
        replies = await Chat(app).say("halo")
    finally:
        await app.close()
    assert replies[0].text.startswith("Hello! I am jamsosbot")


async def test_documents_are_accepted_for_the_document_commands_roles_only(app: App) -> None:
    from bot.core.dispatcher import Dispatcher
    from bot.domain.roles import Role

    accepts = {role: app.dispatcher.accepts_documents(role) for role in Role}
    assert accepts == {
        Role.ADMIN: True,
        Role.STAFF: True,
        Role.VILLAGE_HEAD: False,
        Role.WORKER: False,
    }
    heads = Router("heads-test")

    @heads.command("document", roles={Role.VILLAGE_HEAD})
    async def upload(msg: Incoming, ctx: object, args: str) -> list[Reply]:
        return []

    no_imports = [r for r in ROUTERS if "document" not in r.commands]
    dispatcher = Dispatcher(
        store=app.store,
        understander=app.dispatcher.understander,
        catalogues=app.dispatcher.catalogues,
        routers=(*no_imports, heads),
    )
    assert [role for role in Role if dispatcher.accepts_documents(role)] == [Role.VILLAGE_HEAD]
    without = Dispatcher(
        store=app.store,
        understander=app.dispatcher.understander,
        catalogues=app.dispatcher.catalogues,
        routers=no_imports,
    )
    assert not any(without.accepts_documents(role) for role in Role)
