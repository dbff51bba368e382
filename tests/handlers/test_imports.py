from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.app import App
from bot.domain.messages import Attachment, Incoming, Reply
from bot.domain.roles import Role
from tests.conftest import Chat

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


async def send_file(chat: Chat, path: Path, caption: str) -> list[Reply]:
    """What a channel hands over after downloading a document the user sent."""
    msg = Incoming(
        chat=chat.ref, text=caption, attachment=Attachment(path=path, filename=path.name)
    )
    chat.last = await chat.app.dispatcher.handle(msg)
    return chat.last


@pytest.fixture
async def staff(app: App) -> Chat:
    user = await app.store.people.touch("console", "staff-1")
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="test")
    return Chat(app, user_id="staff-1")


async def test_valid_spreadsheet_is_stored_and_resend_changes_nothing(
    app: App, staff: Chat, tmp_path: Path
) -> None:
    upload = tmp_path / "upload.xlsx"
    shutil.copyfile(EXAMPLES / "contoh-target-desa.xlsx", upload)
    await send_file(staff, upload, "impor target")
    assert "Berkas upload.xlsx (target desa): 8 baris data." in staff.text
    assert "sudah disimpan (8 baris baru atau berubah)" in staff.text
    assert await app.store.targets.count() == 8
    await send_file(staff, upload, "Impor Target")
    assert "tidak ada perubahan" in staff.text
    entries = await app.store.audit.recent(action_prefix="import.")
    assert [e.action for e in entries] == ["import.targets", "import.targets"]


async def test_check_only_caption_stores_nothing(app: App, staff: Chat) -> None:
    await send_file(staff, EXAMPLES / "contoh-cakupan.csv", "cek cakupan")
    assert "Ini uji coba: belum ada yang disimpan" in staff.text
    before = await app.store.coverage.for_region("61.04")
    await send_file(staff, EXAMPLES / "contoh-cakupan.csv", "impor cakupan")
    assert "Semua baris valid" in staff.text
    after = {r.year: r for r in await app.store.coverage.for_region("61.04")}
    assert after[2024].source == "Harian Equator (Ketapang), September 2025"
    assert len(after) >= len(before)


async def test_invalid_file_lists_rows_and_stores_nothing(
    app: App, staff: Chat, tmp_path: Path
) -> None:
    bad = tmp_path / "target.csv"
    lines = ["kode_desa;tahun;target;terdaftar;per_tanggal;sumber"]
    lines += [f"61.11.01.{2001 + i};2025;-{i + 1};0;2025-06-30;Dinas PMD" for i in range(12)]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    await send_file(staff, bad, "impor target")
    text = staff.text
    assert "❌ 12 kesalahan:" in text
    assert 'Baris 2: target "-1" tidak boleh negatif.' in text
    assert "… dan 2 lainnya." in text
    assert "Tidak ada yang disimpan" in text
    assert await app.store.targets.count() == 0


async def test_caption_without_kind_explains_usage(staff: Chat) -> None:
    await send_file(staff, EXAMPLES / "contoh-cakupan.csv", "")
    assert "impor target" in staff.text and "impor cakupan" in staff.text


async def test_worker_sending_a_file_gets_the_polite_unsupported_reply(
    app: App, chat: Chat
) -> None:
    replies = await send_file(chat, EXAMPLES / "contoh-target-desa.csv", "impor target")
    expected = app.dispatcher.catalogues.translator("id")("input.unsupported")
    assert replies[0].text == expected
    assert await app.store.targets.count() == 0
