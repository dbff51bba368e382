"""Staff add an FAQ in chat; from then on similar questions get its answer and source."""

from __future__ import annotations

from bot.app import App
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming
from bot.domain.roles import Role
from tests.conftest import Chat

# Questions the classifier cannot place (it falls back on them).
ADD = (
    "/faq tambah Kartu peserta hilang, bagaimana? | Tidak perlu kartu fisik: kartu digital ada"
    " di aplikasi JMO. | No physical card needed: the digital card is in the JMO app."
    " | Panduan JMO BPJS Ketenagakerjaan | kartu peserta hilang bagaimana; kartu bpjs tk saya"
    " hilang"
)


async def _staff(app: App, user_id: str = "staff") -> Chat:
    staff = Chat(app, user_id=user_id)
    await staff.say("halo")
    user = await app.store.people.find("console", user_id)
    assert user is not None
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="cli:test")
    return staff


async def test_faq_added_in_chat_is_understood_from_then_on(app: App, chat: Chat) -> None:
    await chat.say("kartu peserta hilang bagaimana ya")
    assert "kartu digital" not in chat.text

    staff = await _staff(app)
    await staff.say(ADD)
    assert "FAQ #1 ditambahkan" in staff.text

    await chat.say("kartu peserta hilang bagaimana ya")
    assert chat.text.startswith("Tidak perlu kartu fisik")
    assert "Sumber: Panduan JMO BPJS Ketenagakerjaan" in chat.text


async def test_english_users_get_the_english_answer(app: App) -> None:
    staff = await _staff(app)
    await staff.say(ADD)
    english = Chat(app, user_id="en")
    await english.say("halo")
    user = await app.store.people.find("console", "en")
    assert user is not None
    await app.store.people.set_locale(user.id, "en")
    await english.say("kartu peserta hilang bagaimana")
    assert english.text.startswith("No physical card needed")
    assert "Source: Panduan JMO" in english.text


async def test_faq_shows_up_in_eval_runs(app: App) -> None:
    await app.store.faqs.add(
        question="kartu peserta hilang bagaimana",
        answer_id="Tidak perlu kartu fisik.",
        source="Panduan JMO",
        examples=["kartu bpjs tk saya hilang"],
    )
    chat = ChatRef(channel="console", user_id="eval-0", chat_id="eval-0")
    outcome = await app.dispatcher.process(
        Incoming(chat=chat, text="Kartu peserta hilang, bagaimana?"), record=False
    )
    assert outcome.understanding is not None
    assert outcome.understanding.intent is Intent.FAQ
    assert outcome.replies[0].text.startswith("Tidak perlu kartu fisik.")


async def test_list_and_retire(app: App, chat: Chat) -> None:
    staff = await _staff(app)
    await staff.say("/faq")
    assert "Belum ada FAQ" in staff.text
    await staff.say(ADD)
    await staff.say("/faq")
    assert "#1 Kartu peserta hilang, bagaimana? (3 contoh)" in staff.text
    await staff.say("/faq hapus 1")
    assert "dinonaktifkan" in staff.text
    await staff.say("/faq hapus 1")
    assert "tidak ditemukan" in staff.text
    await chat.say("kartu peserta hilang bagaimana")
    assert "Panduan JMO" not in chat.text


async def test_malformed_add_gets_the_usage(app: App) -> None:
    staff = await _staff(app)
    await staff.say("/faq tambah hanya pertanyaan")
    assert "/faq tambah" in staff.text and "sumber" in staff.text
    await staff.say("/faq tambah q | | | sumber | contoh")
    assert "/faq tambah" in staff.text
    assert await app.store.faqs.active() == []


async def test_workers_cannot_manage_faqs(app: App, chat: Chat) -> None:
    await chat.say(ADD)
    assert "ditambahkan" not in chat.text
    assert await app.store.faqs.active() == []


async def test_a_stale_faq_button_is_answered_politely(app: App, chat: Chat) -> None:
    replies = await app.dispatcher.handle(Incoming(chat=chat.ref, payload="faq?option=99"))
    assert "tidak tersedia" in replies[0].text
    assert replies[0].buttons
