from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

from bot.app import App
from bot.domain.messages import Incoming
from bot.domain.roles import Role
from bot.imports.runner import import_file
from tests.conftest import Chat

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SUTERA = "61.11.01.2001"  # Desa Sutera, Kec. Sukadana, Kab. Kayong Utara


async def load_example_targets(app: App) -> None:
    report = await import_file(
        app.store, "targets", EXAMPLES / "contoh-target-desa.csv", today=date(2026, 11, 23)
    )
    assert report.ok and report.written == 8


async def test_progress_rank_and_change_in_one_message(app: App, chat: Chat) -> None:
    await load_example_targets(app)
    replies = await chat.say("target desa sutera")
    assert len(replies) == 1
    text = chat.text
    assert "Desa Sutera, Kec. Sukadana, Kabupaten Kayong Utara" in text
    assert "Target: 120 orang" in text
    assert "Sudah terdaftar: 66 (55 %)" in text
    assert "Belum terdaftar: 54 orang lagi" in text
    # Sukadana: Pangkalan Buton 67 %, Sutera 55 %, Simpang Tiga 35 %, Sejahtera 25 %;
    # the regency adds Teluk Melano (Simpang Hilir) at 75 %.
    assert "ke-2 dari 4 desa di Kec. Sukadana" in text
    assert "ke-3 dari 5 desa di Kabupaten Kayong Utara" in text
    assert "Naik 18 orang sejak data 30 Juni 2025" in text
    assert "Data per 30 September 2025. Sumber: CONTOH - bukan data resmi" in text
    assert "diverifikasi" not in text  # nobody is linked: nothing personal in a forwardable text
    assert len(text) < 600
    assert chat.button_titles == ["Lihat grafik", "Ini desa saya"]


async def test_link_is_unverified_until_staff_verify_it(app: App, chat: Chat) -> None:
    await load_example_targets(app)
    await chat.say("target desa sutera")
    await chat.press("Ini desa saya")
    assert "Tercatat: Anda terhubung dengan Desa Sutera" in chat.text
    await chat.say("capaian desa saya")
    assert "Sudah terdaftar: 66" in chat.text
    assert "belum diverifikasi petugas" in chat.text
    assert "Ini desa saya" not in chat.button_titles

    staff = Chat(app, user_id="staff-1")
    await staff.say("halo")
    staff_user = await app.store.people.find("console", "staff-1")
    head = await app.store.people.find("console", "u1")
    assert staff_user is not None and head is not None
    await app.store.roles.grant(staff_user.id, Role.STAFF, granted_by="test")
    await staff.say("/verifikasi")
    assert f"#{head.id} console:u1 → Desa Sutera" in staff.text
    await staff.press(f"Verifikasi #{head.id}")
    assert f"Terverifikasi: pengguna {head.id} untuk Desa Sutera" in staff.text
    assert await app.store.roles.role_of(head.id) is Role.VILLAGE_HEAD

    await chat.say("capaian desa saya")
    assert "belum diverifikasi" not in chat.text
    await chat.say("/desa")
    assert "Desa Anda: Desa Sutera, Kec. Sukadana, Kabupaten Kayong Utara (sudah" in chat.text


async def test_workers_cannot_verify(app: App, chat: Chat) -> None:
    await chat.say("/desa Sutera")
    user = await app.store.people.find("console", "u1")
    assert user is not None
    await chat.say(f"/verifikasi {user.id} {SUTERA}")
    assert "Terverifikasi" not in chat.text
    link = await app.store.village_heads.get(user.id)
    assert link is not None and not link.verified


async def test_village_without_data_gets_no_figure(app: App, chat: Chat) -> None:
    await load_example_targets(app)
    await chat.say("target desa benawai agung")
    text = chat.text
    assert "Belum ada data target pekerja rentan untuk Desa Benawai Agung" in text
    assert "Target:" not in text and "terdaftar:" not in text
    assert "175" in text  # who to ask


async def test_no_village_linked_asks_which(chat: Chat) -> None:
    await chat.say("capaian desa saya")
    assert "Desa mana?" in chat.text
    assert "/desa" in chat.text


async def test_ambiguous_name_offers_buttons_then_links(app: App, chat: Chat) -> None:
    user = await app.store.people.touch("console", "u1")
    await app.store.people.set_region(user.id, "18.07")  # Kabupaten Lampung Timur
    await chat.say("/desa Sukadana")
    assert "Ada beberapa desa bernama Sukadana" in chat.text
    titles = chat.button_titles
    assert 2 <= len(titles) <= 5 and all(len(title) <= 20 for title in titles)
    assert titles[0] == "Sukadana (Sukadana)"  # the user's own regency comes first
    await chat.press(titles[0])
    assert "Tercatat: Anda terhubung dengan Desa Sukadana, Kec. Sukadana" in chat.text
    link = await app.store.village_heads.get(user.id)
    assert link is not None and not link.verified
    assert link.village_code == "18.07.01.2001"


async def test_unknown_village_name(chat: Chat) -> None:
    await chat.say("/desa Zzyzxqw")
    assert 'Desa "Zzyzxqw" tidak ditemukan' in chat.text


async def test_chart_is_a_png_in_the_data_dir(app: App, chat: Chat) -> None:
    await load_example_targets(app)
    await chat.say("target desa sutera")
    replies = await chat.press("Lihat grafik")
    image = replies[0].image
    assert image is not None
    assert image.path.parent == app.settings.data_dir / "charts"
    data = image.path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (480, 640)  # portrait: full bubble width
    assert 5_000 < len(data) <= 60_000
    assert "Grafik capaian Desa Sutera" in image.caption


async def test_village_fund_counts_workers_from_the_bpu_facts(app: App, chat: Chat) -> None:
    replies = await app.dispatcher.handle(
        Incoming(chat=chat.ref, payload="village_target?money=50000000")
    )
    text = replies[0].text
    # JKK Rp 10.000 + JKM Rp 6.800 = Rp 16.800 a month; 50 juta / (16.800 x 12) = 248 workers.
    assert "248 pekerja rentan selama 12 bulan" in text
    assert "2.976 bulan-pekerja" in text
    assert "Rp 16.800" in text
    assert "PP 44/2015" in text


async def test_english_progress(app: App, chat: Chat) -> None:
    await load_example_targets(app)
    user = await app.store.people.touch("console", "u1")
    await app.store.people.set_locale(user.id, "en")
    await chat.app.dispatcher.handle(
        Incoming(chat=chat.ref, payload=f"village_target?village={SUTERA}")
    )
    replies = await chat.app.dispatcher.handle(
        Incoming(chat=chat.ref, payload=f"village_target?village={SUTERA}")
    )
    assert "Rank: 2 of 4 villages in Sukadana district" in replies[0].text


async def test_ambiguous_name_in_a_question_asks_which_village(chat: Chat) -> None:
    await chat.say("target desa sukadana")
    assert "tempat bernama Sukadana" in chat.text  # 22 villages: pick one or add the regency
    titles = chat.button_titles
    assert len(titles) >= 2 and all(len(title) <= 20 for title in titles)
    await chat.press(titles[0])
    assert "Belum ada data target pekerja rentan untuk" in chat.text
    assert "Sukadana" in chat.text
