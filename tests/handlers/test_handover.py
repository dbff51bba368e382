"""Asking for a person: one open ticket per user, cancel, follow-ups and reopening, staff-only
handling (refusals audited), /hapusdata, and an answered ticket turned into an FAQ that then
answers a paraphrase itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Settings
from bot.domain.roles import Role
from tests.conftest import Chat

STAFF_CHAT = "telegram:-100500"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        staff_chat=STAFF_CHAT,
        staff_direct=("whatsapp:6281100009999",),
        office_name="BPJS Ketenagakerjaan Cabang Pontianak",
        office_hours="00:00-23:59",
        office_days="1-7",
    )


async def _staff(app: App, user_id: str = "staff") -> Chat:
    staff = Chat(app, user_id=user_id)
    await staff.say("halo")
    user = await app.store.people.find("console", user_id)
    assert user is not None
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="cli:test")
    return staff


async def _user_id(app: App, chat: Chat) -> int:
    user = await app.store.people.find("console", chat.ref.user_id)
    assert user is not None
    return user.id


async def test_asking_for_a_person_opens_one_ticket_and_tells_what_happens_next(
    app: App, chat: Chat
) -> None:
    await chat.say("dokumen dikirim via kurir boleh")  # nothing answers this: context
    await chat.say("mau bicara dengan petugas")
    assert "tiket #1" in chat.text
    assert "BPJS Ketenagakerjaan Cabang Pontianak" in chat.text
    assert "NIK" in chat.text and "OTP" in chat.text and "kata sandi" in chat.text
    assert chat.button_titles == ["Batalkan permintaan"]

    ticket = await app.store.tickets.open_of(await _user_id(app, chat))
    assert ticket is not None and ticket.status == "open" and ticket.locale == "id"
    messages = await app.store.tickets.messages(ticket.id)
    assert ticket.question == "dokumen dikirim via kurir boleh"
    assert [(m.author, m.text) for m in messages] == [
        ("user", "dokumen dikirim via kurir boleh"),
        ("user", "mau bicara dengan petugas"),
    ]
    # One notification per staff destination, queued with the ticket.
    assert await app.store.ticket_relays.states(ticket.id) == {"pending": 2}

    await chat.say("admin tolong balas")
    assert "sudah punya" in chat.text and "tiket #1" in chat.text
    assert len(await app.store.tickets.listing()) == 1
    assert await app.store.ticket_relays.states(ticket.id) == {"pending": 2}


async def test_the_user_can_cancel_their_ticket(app: App, chat: Chat) -> None:
    await chat.say("mau bicara dengan petugas")
    await chat.press("Batalkan permintaan")
    assert "dibatalkan" in chat.text
    assert await app.store.tickets.open_of(await _user_id(app, chat)) is None
    assert await app.store.ticket_relays.states(1) == {"pending": 4}  # cards and "cancelled"
    audit = await app.store.audit.recent(action_prefix="ticket.")
    assert [entry.action for entry in audit] == ["ticket.cancel", "ticket.open"]
    await chat.say("mau bicara dengan petugas")  # a new request makes a new ticket
    assert "tiket #2" in chat.text


async def test_the_fallback_offers_staff_and_the_button_opens_a_ticket(
    app: App, chat: Chat
) -> None:
    await chat.say("dokumen dikirim via kurir boleh")
    assert chat.button_titles[0] == "Tanya petugas" and len(chat.button_titles) <= 10
    await chat.press("Tanya petugas")
    assert "tiket #1" in chat.text
    ticket = await app.store.tickets.get(1)
    assert ticket is not None and ticket.question == "dokumen dikirim via kurir boleh"


async def test_english_users_are_answered_in_english(app: App) -> None:
    chat = Chat(app, user_id="en-user")
    await chat.say("english")  # the language choice
    await chat.say("i want to talk to a human")
    assert "ticket #1" in chat.text and "password" in chat.text
    ticket = await app.store.tickets.get(1)
    assert ticket is not None and ticket.locale == "en"


async def test_follow_ups_join_the_open_ticket_and_reopen_an_answered_one(
    app: App, chat: Chat
) -> None:
    await chat.say("mau bicara dengan petugas")
    await chat.say("dokumen dikirim via kurir boleh")  # not understood: staff will answer
    assert "ditambahkan ke tiket #1" in chat.text
    await chat.say("berapa iuran bpu")  # understood: the bot answers, staff see it too
    assert "ditambahkan" not in chat.text
    messages = await app.store.tickets.messages(1)
    assert [m.text for m in messages if m.author == "user"][1:] == [
        "dokumen dikirim via kurir boleh",
        "berapa iuran bpu",
    ]

    staff = await _staff(app)
    await staff.say("/balas 1 Bisa, kirim ke alamat kantor cabang.")
    assert "dikirim ke pengguna" in staff.text
    answered = await app.store.tickets.get(1)
    assert answered is not None and answered.status == "answered"

    await chat.say("terima kasih")  # thanks do not reopen
    still = await app.store.tickets.get(1)
    assert still is not None and still.status == "answered"
    await chat.say("alamatnya di mana ya kantor cabangnya")
    reopened = await app.store.tickets.get(1)
    assert reopened is not None and reopened.status == "open" and reopened.reopened == 1


async def test_an_answer_older_than_the_reopen_period_is_not_reopened(
    app: App, chat: Chat
) -> None:
    await chat.say("mau bicara dengan petugas")
    staff = await _staff(app)
    await staff.say("/balas 1 Jawaban.")
    long_ago = (datetime.now(UTC) - timedelta(days=8)).isoformat()
    await app.store._db.execute("UPDATE tickets SET answered_at = ? WHERE id = 1", (long_ago,))
    await chat.say("dokumen dikirim via kurir boleh")
    ticket = await app.store.tickets.get(1)
    assert ticket is not None and ticket.status == "answered"
    assert "ditambahkan" not in chat.text


async def test_only_staff_handle_tickets_and_refusals_are_audited(app: App, chat: Chat) -> None:
    await chat.say("mau bicara dengan petugas")
    other = Chat(app, user_id="someone-else")
    for command in ("/balas 1 saya jawab", "/tutup 1", "/ambil 1", "/tiket 1", "/tiket"):
        await other.say(command)
        assert "Hanya petugas" in other.text, command
        assert "mau bicara" not in other.text
    ticket = await app.store.tickets.get(1)
    assert ticket is not None and ticket.status == "open"
    assert await app.store.ticket_relays.states(1) == {"pending": 2}  # no answer queued
    refused = await app.store.audit.recent(action_prefix="ticket.refused")
    assert len(refused) == 5 and {e.actor for e in refused} == {"console:someone-else"}


async def test_staff_claim_show_answer_close(app: App, chat: Chat) -> None:
    await chat.say("mau bicara dengan petugas")
    staff = await _staff(app)
    await staff.say("/tiket")
    assert "#1 [open]" in staff.text
    await staff.say("/ambil 1")
    assert "Anda ambil" in staff.text
    await staff.say("/tiket 1")
    assert "[claimed]" in staff.text and "mau bicara dengan petugas" in staff.text
    await staff.say("/balas 1 Silakan datang ke kantor cabang.")
    relays = await app.store.ticket_relays.states(1)
    assert relays == {"pending": 3}  # two notifications and the answer
    await staff.say("/tutup 1")
    assert "ditutup" in staff.text
    await staff.say("/balas 1 lagi")
    assert "sudah ditutup" in staff.text
    actions = [e.action for e in await app.store.audit.recent(action_prefix="ticket.")]
    assert actions == [
        "ticket.close",
        "ticket.answer",
        "ticket.show",
        "ticket.claim",
        "ticket.open",
    ]


async def test_deleting_ones_data_removes_ones_tickets(app: App, chat: Chat) -> None:
    await chat.say("mau bicara dengan petugas")
    user_id = await _user_id(app, chat)
    assert (await app.store.privacy.stored_rows(user_id)).get("tickets") == 1
    other = Chat(app, user_id="other")
    await other.say("mau bicara dengan petugas")
    await chat.say("/hapusdata")
    await chat.press("Ya, hapus")
    assert await app.store.tickets.get(1) is None
    assert await app.store.ticket_relays.states(1) == {}
    assert await app.store.tickets.get(2) is not None  # someone else's stays


async def test_without_a_staff_chat_the_bot_points_to_the_call_centre(
    tmp_path: Path, seeded_database: Path, place_finder: object
) -> None:
    from tests.conftest import copy_seeded

    settings = Settings(data_dir=tmp_path / "solo")
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings, place_finder=place_finder)  # type: ignore[arg-type]
    try:
        chat = Chat(app)
        await chat.say("mau bicara dengan petugas")
        assert "175" in chat.text and "tiket" not in chat.text
        assert await app.store.tickets.listing() == []
        await chat.say("dokumen dikirim via kurir boleh")
        assert "Tanya petugas" not in chat.button_titles
    finally:
        await app.close()


async def test_an_answered_ticket_becomes_an_faq_that_answers_a_paraphrase(
    app: App, chat: Chat
) -> None:
    await chat.say("apakah berkas bisa dikirim lewat pos")
    await chat.say("mau bicara dengan petugas")
    staff = await _staff(app)
    await staff.say("/faqtiket 1 | kirim dokumen klaim lewat kurir bisa tidak")
    assert "belum dijawab" in staff.text
    await staff.say("/balas 1 Bisa, kirim ke alamat kantor cabang dengan pos tercatat.")
    await staff.say("/faqtiket 1 | kirim dokumen klaim lewat kurir bisa tidak")
    assert "FAQ #1 ditambahkan dari tiket #1" in staff.text

    asker = Chat(app, user_id="asker")
    await asker.say("dokumen dikirim via kurir boleh")  # a third phrasing
    assert asker.text.startswith("Bisa, kirim ke alamat kantor cabang")
    assert "Jawaban petugas BPJS Ketenagakerjaan Cabang Pontianak, tiket #1" in asker.text


async def test_a_reply_to_an_ordinary_message_is_read_as_usual(app: App) -> None:
    """Telegram "reply" on any bot message: not a ticket's, so the question is answered."""
    from bot.domain.messages import ChatRef, Incoming

    chat = ChatRef(channel="telegram", user_id="5", chat_id="5")
    plain = await app.dispatcher.handle(Incoming(chat=chat, text="berapa iuran bpu"))
    replied = await app.dispatcher.handle(
        Incoming(chat=chat, text="berapa iuran bpu", reply_to="4242")
    )
    assert [r.text for r in replied] == [r.text for r in plain]
    assert await app.store.audit.recent(action_prefix="ticket.") == []
