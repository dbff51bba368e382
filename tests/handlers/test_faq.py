"""Staff add an FAQ in chat; from then on similar questions get its answer and source."""

from __future__ import annotations

from bot.app import App
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming
from bot.domain.roles import Role
from tests.conftest import Chat

# Questions the classifier cannot place (it falls back on them).
ADD = (
    "/faq tambah Kapan senam bersama? | Senam bersama tiap Jumat pukul tujuh pagi di halaman"
    " kantor. | Group exercise every Friday at seven in the morning in the office yard."
    " | Pengumuman Kantor Cabang Ketapang | kapan jadwal senam bersama di halaman kantor; senam"
    " jumat pagi jam berapa"
)


async def _staff(app: App, user_id: str = "staff") -> Chat:
    staff = Chat(app, user_id=user_id)
    await staff.say("halo")
    user = await app.store.people.find("console", user_id)
    assert user is not None
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="cli:test")
    return staff


async def test_faq_added_in_chat_is_understood_from_then_on(app: App, chat: Chat) -> None:
    await chat.say("kapan jadwal senam bersama di halaman kantor ya")
    assert "Senam bersama tiap Jumat" not in chat.text

    staff = await _staff(app)
    await staff.say(ADD)
    assert "FAQ #1 ditambahkan" in staff.text

    await chat.say("kapan jadwal senam bersama di halaman kantor ya")
    assert chat.text.startswith("Senam bersama tiap Jumat")
    assert "Sumber: Pengumuman Kantor Cabang Ketapang" in chat.text


async def test_english_users_get_the_english_answer(app: App) -> None:
    staff = await _staff(app)
    await staff.say(ADD)
    english = Chat(app, user_id="en")
    await english.say("halo")
    user = await app.store.people.find("console", "en")
    assert user is not None
    await app.store.people.set_locale(user.id, "en")
    await english.say("kapan jadwal senam bersama di halaman kantor")
    assert english.text.startswith("Group exercise every Friday")
    assert "Source: Pengumuman Kantor Cabang" in english.text


async def test_faq_shows_up_in_eval_runs(app: App) -> None:
    await app.store.faqs.add(
        question="kapan jadwal senam bersama di halaman kantor",
        answer_id="Senam bersama tiap Jumat.",
        source="Pengumuman Kantor Cabang Ketapang",
        examples=["senam jumat pagi jam berapa"],
    )
    chat = ChatRef(channel="console", user_id="eval-0", chat_id="eval-0")
    outcome = await app.dispatcher.process(
        Incoming(chat=chat, text="Kapan jadwal senam bersama di halaman kantor?"), record=False
    )
    assert outcome.understanding is not None
    assert outcome.understanding.intent is Intent.FAQ
    assert outcome.replies[0].text.startswith("Senam bersama tiap Jumat.")


async def test_list_and_retire(app: App, chat: Chat) -> None:
    staff = await _staff(app)
    await staff.say("/faq")
    assert "Belum ada FAQ" in staff.text
    await staff.say(ADD)
    await staff.say("/faq")
    assert "#1 Kapan senam bersama? (3 contoh)" in staff.text
    await staff.say("/faq hapus 1")
    assert "dinonaktifkan" in staff.text
    await staff.say("/faq hapus 1")
    assert "tidak ditemukan" in staff.text
    await chat.say("kapan jadwal senam bersama di halaman kantor")
    assert "Pengumuman Kantor Cabang" not in chat.text


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
