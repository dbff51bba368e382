"""Answering a whole message: several questions in order, settings and odd amounts confirmed
first, English answered in English (through the real dispatcher, store and handlers)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App
from bot.core.formatting import Formatter
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming, Reply
from tests.conftest import Chat


async def replies_to(app: App, text: str, user: str) -> list[Reply]:
    chat = ChatRef(channel="console", user_id=user, chat_id=user)
    outcome = await app.dispatcher.process(Incoming(chat=chat, text=text), record=False)
    return outcome.replies


async def test_several_questions_are_each_answered_in_order(app: App) -> None:
    first = await replies_to(app, "cara cairin jht gimana", "alone-1")
    second = await replies_to(app, "iuran bpu pekerja mandiri berapa sebulan", "alone-2")
    both = await replies_to(
        app,
        "Selamat pagi min. Saya kena PHK bulan lalu dari pabrik sepatu. Uang JHT saya bisa "
        "dicairkan sekarang? Terus iuran BPU buat pekerja mandiri berapa sebulan? Makasih.",
        "both",
    )
    assert [r.text for r in both] == [r.text for r in first + second]


async def test_a_greeting_alone_still_gets_the_welcome(chat: Chat) -> None:
    await chat.say("selamat pagi min")
    assert chat.last[0].buttons  # the menu
    welcome = chat.text
    await chat.say("selamat pagi min, cara cairin jht gimana ya?")
    assert chat.text != welcome and "JHT" in chat.text


async def test_a_setting_in_words_is_confirmed_before_it_changes(chat: Chat) -> None:
    await chat.say("tolong kabarin saya kalau ada info baru")
    assert "Tekan Ya" in chat.text
    user = await chat.app.store.people.find("console", "u1")
    assert user is not None and await chat.app.store.people.subscriptions(user.id) == []
    await chat.press("Ya")
    assert await chat.app.store.people.subscriptions(user.id) == [None]


async def test_stop_alone_unsubscribes_at_once(chat: Chat) -> None:
    await chat.say("langganan")
    user = await chat.app.store.people.find("console", "u1")
    assert user is not None and await chat.app.store.people.subscriptions(user.id) == [None]
    await chat.say("STOP")
    assert await chat.app.store.people.subscriptions(user.id) == []


async def test_long_messages_that_mention_settings_change_nothing(chat: Chat) -> None:
    people = chat.app.store.people
    await chat.say("langganan")
    user = await people.find("console", "u1")
    assert user is not None
    for text in (
        "aplikasi jmo minta update terus, sudah saya update tetap saja tidak bisa masuk, "
        "tolong dibantu",
        "kartu lama saya katanya sudah dinonaktifkan, stop dipakai, saldonya pindah ke "
        "kartu baru atau hilang?",
        "berapa jumlah peserta BPJS di Indonesia, saya perlu data dalam bahasa inggris",
        "Can I get more info about this?",
    ):
        await chat.say(text)
        after = await people.find("console", "u1")
        assert after is not None and after.locale is None, text
        assert await people.subscriptions(user.id) == [None], text


async def test_a_mistyped_wage_is_asked_back_then_used(chat: Chat) -> None:
    await chat.say("gaji 4500 iuran bpjs tk nya berapa")
    amount = Formatter("id").money(4_500_000)
    assert f"Maksud Anda {amount}?" in chat.text
    await chat.press("Ya")
    assert amount in chat.text and "Maksud Anda" not in chat.text


async def test_an_english_question_is_answered_in_english_without_switching(chat: Chat) -> None:
    await chat.say("How do I withdraw my JHT after I resign?")
    assert "type ENGLISH" in chat.text
    assert "Maaf" not in chat.text
    user = await chat.app.store.people.find("console", "u1")
    assert user is not None and user.locale is None
    await chat.say("cara cairin jht gimana")
    assert "type ENGLISH" not in chat.text  # Indonesian again for an Indonesian question


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(min_size=1, max_size=5000))
async def test_any_text_up_to_5000_characters_is_answered(app: App, text: str) -> None:
    chat = ChatRef(channel="console", user_id="any", chat_id="any")
    outcome = await app.dispatcher.process(Incoming(chat=chat, text=text), record=False)
    assert outcome.replies and all(reply.text for reply in outcome.replies)
    if outcome.understanding is not None:
        found = outcome.understanding
        assert len(found.more) <= 2 and isinstance(found.intent, Intent)
