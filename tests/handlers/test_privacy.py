"""Personal data: see it (/datasaya), delete it with confirmation (/hapusdata), start afresh;
every table that holds a person's rows cascades; the bot never asks for NIK, KPJ or birth date."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.pofile import read_po

from bot.app import App
from bot.core.i18n import LOCALES_DIR, SUPPORTED
from bot.domain.roles import Role
from bot.store.broadcasts import Audience
from tests.conftest import Chat


def _user_references(path: Path) -> list[tuple[str, str, str]]:
    """(table, column, on_delete) of every foreign key to users, straight from SQLite."""
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = []
        for table in tables:
            for key in db.execute(f'PRAGMA foreign_key_list("{table}")'):
                if key[2] == "users":
                    found.append((table, key[3], key[6]))
    return found


def _rows_of(path: Path, user_id: int) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        counts = {
            table: db.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?', (user_id,)
            ).fetchone()[0]
            for table, column, _ in _user_references(path)
        }
        counts["users"] = db.execute(
            "SELECT count(*) FROM users WHERE id = ?", (user_id,)
        ).fetchone()[0]
    return counts


def test_every_reference_to_a_user_cascades_on_delete(app: App) -> None:
    references = _user_references(app.store.path)
    tables = {table for table, _, _ in references}
    assert {"subscriptions", "roles", "questions", "conversation_state"} <= tables
    not_cascading = [ref for ref in references if ref[2] != "CASCADE"]
    assert not not_cascading, f"these keep a person's rows after /hapusdata: {not_cascading}"


def test_every_user_id_column_is_a_foreign_key_to_users(app: App) -> None:
    references = {(table, column) for table, column, _ in _user_references(app.store.path)}
    with sqlite3.connect(app.store.path) as db:
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        user_columns = [
            (table, row[1])
            for table in tables
            for row in db.execute(f'PRAGMA table_info("{table}")')
            if row[1] == "user_id"
        ]
    unlinked = [col for col in user_columns if col not in references]
    assert user_columns and not unlinked, f"user_id without ON DELETE CASCADE key: {unlinked}"


async def test_store_lists_the_same_references(app: App) -> None:
    listed = await app.store.privacy.user_references()
    assert sorted((r.table, r.column, r.on_delete) for r in listed) == sorted(
        _user_references(app.store.path)
    )


async def _fill_in(app: App, chat: Chat) -> int:
    await chat.say("halo")
    user = await app.store.people.find("console", chat.ref.user_id)
    assert user is not None
    await app.store.people.set_region(user.id, "61.04")
    await app.store.people.subscribe(user.id, "61.04")
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="cli:test")
    await chat.say("cuaca besok gimana")  # logged as unanswered
    now = datetime.now(UTC).isoformat()
    with sqlite3.connect(app.store.path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        broadcast = db.execute(
            "INSERT INTO broadcasts (created_by, text_id, status, created_at)"
            " VALUES ('cli:test', 'Info', 'done', ?)",
            (now,),
        ).lastrowid
        db.execute(
            "INSERT INTO outbox (broadcast_id, user_id, channel, chat_id, locale, state,"
            " updated_at) VALUES (?, ?, 'console', ?, 'id', 'sent', ?)",
            (broadcast, user.id, chat.ref.chat_id, now),
        )
    return user.id


async def test_hapusdata_deletes_everything_after_confirmation_and_the_bot_still_works(
    app: App, chat: Chat
) -> None:
    user_id = await _fill_in(app, chat)
    before = _rows_of(app.store.path, user_id)
    for table in ("users", "subscriptions", "roles", "questions", "outbox"):
        assert before[table] >= 1, table

    await chat.say("/hapusdata")
    assert "tidak bisa dikembalikan" in chat.text
    assert chat.button_titles == ["Ya, hapus", "Batal"]
    assert _rows_of(app.store.path, user_id) == before  # nothing happens before confirming
    deleted_at = datetime.now(UTC)
    await chat.press("Ya, hapus")
    assert "sudah dihapus" in chat.text

    after = _rows_of(app.store.path, user_id)
    assert after == dict.fromkeys(after, 0), after

    await chat.say("halo")
    assert "jamsosbot" in chat.text and chat.button_titles
    fresh = await app.store.people.find("console", chat.ref.user_id)
    assert fresh is not None and fresh.created_at >= deleted_at  # a new row, not the old one
    assert fresh.region_code is None and fresh.locale is None
    assert await app.store.roles.role_of(fresh.id) is Role.WORKER
    assert await app.store.people.subscriptions(fresh.id) == []


async def test_cancel_keeps_the_data(app: App, chat: Chat) -> None:
    user_id = await _fill_in(app, chat)
    before = _rows_of(app.store.path, user_id)
    await chat.say("hapus data saya")
    await chat.press("Batal")
    assert "tidak dihapus" in chat.text
    assert _rows_of(app.store.path, user_id) == before


async def test_plain_phrasing_asks_for_confirmation_in_english_too(app: App, chat: Chat) -> None:
    await chat.say("halo")
    user = await app.store.people.find("console", chat.ref.user_id)
    assert user is not None
    await app.store.people.set_locale(user.id, "en")
    await chat.say("delete my data")
    assert "cannot be restored" in chat.text
    assert chat.button_titles == ["Yes, delete", "Cancel"]


async def test_datasaya_shows_what_is_stored_without_logging_the_request(
    app: App, chat: Chat
) -> None:
    user_id = await _fill_in(app, chat)
    questions_before = _rows_of(app.store.path, user_id)["questions"]
    await chat.say("/datasaya")
    text = chat.text
    assert "Saluran: console" in text
    assert "Ketapang" in text  # the region, by name
    assert "Riwayat pertanyaan: 2" in text  # "halo" and the unanswered question
    assert "Langganan info: Kabupaten Ketapang" in text
    assert "Peran (petugas/kepala desa): 1" in text
    assert "tidak pernah meminta NIK" in text
    assert "Hapus data saya" in chat.button_titles
    await chat.say("lihat data saya")
    assert "Saluran: console" in chat.text
    assert _rows_of(app.store.path, user_id)["questions"] == questions_before


# A sentence that asks the user to give one of these; warnings ("jangan kirim NIK") are fine.
_ASK = re.compile(
    r"\b(kirim\w*|ketik\w*|masukkan|tulis\w*|sebutkan|beri\w*|isi\w*|balas\w*|cantumkan"
    r"|send|type|enter|provide|give|tell|share|reply)\b[^.?!\n]{0,60}"
    r"\b(nik|kpj|nomor peserta|tanggal lahir|tgl lahir|birth ?date|date of birth|birthday"
    r"|membership number)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(jangan|tidak pernah|tidak perlu|tak perlu|bukan|never|do not|don't|no need)\b",
    re.IGNORECASE,
)


def test_no_message_asks_for_nik_kpj_number_or_birth_date() -> None:
    offending = []
    checked = 0
    for locale in SUPPORTED:
        for po_path in sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po")):
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            for message in catalog:
                if not message.id or not isinstance(message.string, str):
                    continue
                checked += 1
                for sentence in re.split(r"(?<=[.?!\n])", message.string):
                    if _ASK.search(sentence) and not _NEGATED.search(sentence):
                        offending.append(f"{po_path.name} {message.id}: {sentence.strip()}")
    assert checked > 50
    assert not offending, "\n".join(offending)


def test_the_scan_recognizes_a_request() -> None:
    assert _ASK.search("Silakan kirim NIK Anda untuk cek saldo.")
    assert _ASK.search("Please enter your date of birth.")
    assert not _ASK.search("Bawa KTP dan kartu peserta ke kantor cabang.")
    sentence = "Jangan kirim NIK atau nomor KPJ di chat ini."
    assert _ASK.search(sentence) and _NEGATED.search(sentence)


async def test_numbers_a_worker_volunteers_are_not_kept_in_the_question_log(
    app: App, chat: Chat
) -> None:
    await chat.say("saldo jht saya berapa, NIK 3201234567890001 hp 0812-3456-7890")
    with sqlite3.connect(app.store.path) as db:
        texts = [row[0] for row in db.execute("SELECT text FROM questions")]
    assert texts == ["saldo jht saya berapa, NIK <number> hp <number>"]


def _columns_holding(path: Path, needle: str) -> list[str]:
    """Every `table.column` (any column of any table) whose value contains `needle`."""
    found = []
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            for column in [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]:
                hits = db.execute(
                    f'SELECT count(*) FROM "{table}" WHERE instr(CAST("{column}" AS TEXT), ?) > 0',
                    (needle,),
                ).fetchone()[0]
                if hits:
                    found.append(f"{table}.{column}")
    return found


async def test_no_column_of_any_table_keeps_the_phone_number_after_hapusdata(app: App) -> None:
    phone = "6281234567890"
    address = f"whatsapp:{phone}"
    chat = Chat(app, user_id=phone, channel="whatsapp")
    await chat.say("halo")
    user = await app.store.people.find("whatsapp", phone)
    other = await app.store.people.touch("telegram", "777")
    assert user is not None
    await app.store.people.subscribe(user.id, "61.04")
    # Named by address: granted a role, grants one, drafts an announcement, is audited.
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="cli:test")
    await app.store.roles.grant(other.id, Role.STAFF, granted_by=address)
    await app.store.broadcasts.create(
        created_by=address,
        text_id="Info",
        text_en=None,
        audience=Audience(region_code="61.04"),
        send_at=None,
        recipients=1,
    )
    await app.store.audit.record(actor=address, action="broadcast.refused", subject=address)
    await app.store.whatsapp.claim_inbound(["wamid.A"])
    await app.store.whatsapp.finish_inbound(
        "wamid.A", external_id=phone, wa_id=phone, bsuid=None, update_contact=True, sent=["w1"]
    )
    assert "whatsapp_contacts.wa_id" in _columns_holding(app.store.path, phone)
    assert "audit_log.actor" in _columns_holding(app.store.path, phone)

    await chat.say("/hapusdata")
    await chat.press("Ya, hapus")
    assert "sudah dihapus" in chat.text

    assert _columns_holding(app.store.path, phone) == []
    # The log still tells who did what, under a pseudonym; the other person keeps their role.
    entries = await app.store.audit.recent(50)
    pseudonyms = {e.actor for e in entries if e.actor.startswith("deleted:")}
    assert len(pseudonyms) == 1
    assert any(e.subject in pseudonyms for e in entries if e.action == "role.grant")
    assert await app.store.roles.role_of(other.id) is Role.STAFF
    grants = await app.store.roles.granted(Role.STAFF)
    assert [g.granted_by for g in grants] == list(pseudonyms)
