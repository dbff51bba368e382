"""Staff tools as branch staff use them: the /staf list, region names in /umumkan, a long
announcement under the default input limit, and imports asked for without a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.core.dispatcher import DOCUMENT_COMMAND
from bot.domain.messages import Attachment, Incoming
from bot.domain.roles import Role
from handlers import ROUTERS
from tests.conftest import Chat


@pytest.fixture
async def staff(app: App) -> Chat:
    user = await app.store.people.touch("console", "staff-1")
    await app.store.roles.grant(user.id, Role.STAFF, granted_by="test")
    return Chat(app, user_id="staff-1")


def staff_commands() -> dict[object, list[str]]:
    """Every command workers may not use, grouped by handler (a name and its aliases)."""
    grouped: dict[object, list[str]] = {}
    for router in ROUTERS:
        for name, command in router.commands.items():
            if Role.WORKER not in command.roles and name != DOCUMENT_COMMAND:
                grouped.setdefault(command.handler, []).append(name)
    return grouped


async def test_staf_lists_every_staff_command(staff: Chat) -> None:
    await staff.say("/staf")
    text = staff.text
    grouped = staff_commands()
    assert len(grouped) >= 12  # umumkan*, statistik, verifikasi, faq, impor, staf* ...
    missing = [names for names in grouped.values() if not any(f"/{n}" in text for n in names)]
    assert not missing, missing
    assert '"impor target"' in text and '"impor cakupan"' in text  # imports by caption


async def test_umumkan_accepts_region_names(staff: Chat) -> None:
    await staff.say("/umumkan wilayah:ketapang Pendaftaran pekerja rentan dibuka.")
    assert "Sasaran: pelanggan di Kabupaten Ketapang (61.04)" in staff.text
    await staff.say("/umumkan wilayah:kayong_utara untuk:kades Halo kepala desa")
    assert "Kabupaten Kayong Utara (61.11), hanya kepala desa" in staff.text
    await staff.say("/umumkan wilayah:kalbar Halo Kalimantan Barat")
    assert "Sasaran: pelanggan di Kalimantan Barat (61)" in staff.text
    await staff.say("/umumkan wilayah:61.04 Kode juga tetap bisa")
    assert "Kabupaten Ketapang (61.04)" in staff.text


async def test_umumkan_ambiguous_or_unknown_region_name(staff: Chat) -> None:
    await staff.say("/umumkan wilayah:sukadana Halo")
    assert "wilayah:61.11.01" in staff.text and "Tulis kodenya" in staff.text
    assert "Pratinjau" not in staff.text
    await staff.say("/umumkan wilayah:zzzqx Halo")
    assert 'Wilayah "zzzqx" tidak ditemukan' in staff.text


async def test_long_announcement_is_accepted_under_the_default_limit(
    app: App, staff: Chat
) -> None:
    assert app.settings.max_message_chars == 5000  # the default limit for questions
    body = ("Pendaftaran pekerja rentan dibuka di kantor desa. " * 80)[:4000]
    await staff.say(f"/umumkan wilayah:ketapang {body}")
    assert "Pratinjau pengumuman #1" in staff.text
    assert "pertanyaan singkat" not in staff.text


async def test_long_text_is_still_refused_for_questions_and_non_staff(chat: Chat) -> None:
    body = "Pendaftaran pekerja rentan dibuka. " * 150  # over the 5,000-character limit
    await chat.say(body)
    assert "terlalu panjang" in chat.text
    await chat.say(f"/umumkan {body}")  # not a command for a worker: a too-long question
    assert "terlalu panjang" in chat.text


async def test_impor_target_without_a_file_explains_how(staff: Chat) -> None:
    for typed in ("impor target", "/impor target", "/impor"):
        await staff.say(typed)
        assert "sebagai dokumen/lampiran" in staff.text, typed
        assert "maks. 50 MB" in staff.text
        assert '"impor target"' in staff.text


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes on paper that takes no disk space."""
    with path.open("wb") as handle:
        handle.truncate(size)
    assert path.stat().st_size == size
    return path


async def test_import_of_a_missing_or_too_large_file_says_so(
    app: App, staff: Chat, tmp_path: Path
) -> None:
    gone = tmp_path / "hilang.csv"
    msg = Incoming(
        chat=staff.ref, text="impor target", attachment=Attachment(path=gone, filename="t.csv")
    )
    text = "\n".join(r.text for r in await app.dispatcher.handle(msg))
    assert "Berkas tidak ditemukan atau tidak terunduh" in text
    big = sparse_file(tmp_path / "besar.csv", 51 * 1024 * 1024)
    msg = Incoming(
        chat=staff.ref, text="impor target", attachment=Attachment(path=big, filename="b.csv")
    )
    text = "\n".join(r.text for r in await app.dispatcher.handle(msg))
    assert "Berkas terlalu besar: batasnya 50 MB" in text
    assert "tidak bisa dibaca" not in text
    assert await app.store.targets.count() == 0


async def test_workers_typing_impor_target_get_no_staff_text(chat: Chat) -> None:
    await chat.say("impor target")
    assert "sebagai dokumen/lampiran" not in chat.text
