"""Finding one's village: typos, "desa X kab Y", the user's own regency first, codes without
dots, a kecamatan's villages, this year's target before next year's, "peringkat desa saya"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.app import App
from bot.imports.runner import import_file
from tests.conftest import Chat

SUTERA = "61.11.01.2001"  # Desa Sutera, Kec. Sukadana, Kab. Kayong Utara
PAMPANG_HARAPAN = "61.11.01.2007"
TELUK_MELANO = "61.11.02.2001"  # Kec. Simpang Hilir, Kab. Kayong Utara
TELOK_KATINGAN = "62.06.05.2004"  # Desa Telok, Kab. Katingan (Kalimantan Tengah)
PADANG_KARIMATA = "61.11.06.2003"  # Desa Padang, Kec. Kepulauan Karimata, Kab. Kayong Utara
KALI_NILAM = "61.04.16.2007"  # Kab. Ketapang
SUKADANA_KU = "61.11.01"  # Kecamatan Sukadana, Kab. Kayong Utara

ROWS = [
    f"{SUTERA},2026,114,72,2026-06-30,Disnaker Kayong Utara",
    f"{SUTERA},2026,114,108,2026-09-30,Disnaker Kayong Utara",
    f"{SUTERA},2027,300,0,2026-10-31,Disnaker Kayong Utara",
    "61.11.01.2002,2026,96,15,2026-09-30,Disnaker Kayong Utara",
    f"{PAMPANG_HARAPAN},2026,87,55,2026-09-30,Disnaker Kayong Utara",
    f"{TELUK_MELANO},2026,235,196,2026-09-30,Disnaker Kayong Utara",
    f"{PADANG_KARIMATA},2026,90,0,2026-09-30,Disnaker Kayong Utara",
]


async def import_kayong_utara(app: App, folder: Path) -> None:
    path = folder / "target-kayong-utara.csv"
    header = "kode_desa,tahun,target,terdaftar,per_tanggal,sumber"
    path.write_text("\n".join([header, *ROWS]) + "\n", encoding="utf-8")
    report = await import_file(app.store, "targets", path, today=date(2026, 11, 23))
    assert report.ok and report.written == len(ROWS), report


async def linked_head(app: App, user: str, village: str) -> None:
    person = await app.store.people.touch("console", user)
    await app.store.village_heads.link(person.id, village)
    assert await app.store.village_heads.verify(person.id, village, "test")


async def test_typo_does_not_land_in_another_province(
    app: App, chat: Chat, tmp_path: Path
) -> None:
    await import_kayong_utara(app, tmp_path)
    await chat.say("desa telok melano")
    text = chat.text
    # both places are offered, each with where it lies; the Kayong Utara one (with targets) first
    assert "Kec. Simpang Hilir, Kab. Kayong Utara" in text
    assert "Kab. Katingan" in text
    assert chat.button_titles[0].startswith("Teluk Melano")
    assert not any("Ini desa saya" in title for title in chat.button_titles)
    assert "Belum ada data" not in text  # no answer for Desa Telok on a guess
    await chat.press(chat.button_titles[0])
    assert "Desa Teluk Melano, Kec. Simpang Hilir, Kabupaten Kayong Utara" in chat.text
    assert "Target: 235 orang" in chat.text


async def test_desa_x_kab_y_answers_for_the_village(app: App, chat: Chat) -> None:
    await chat.say("desa kali nilam kab ketapang")
    assert "Desa Kali Nilam, Kec. Delta Pawan, Kabupaten Ketapang" in chat.text
    assert "Peringkat cakupan kabupaten" not in chat.text
    assert f"/desa {KALI_NILAM}" in [b.payload for r in chat.last for b in r.buttons]


async def test_desa_x_kec_y_answers_for_the_village(app: App, chat: Chat, tmp_path: Path) -> None:
    await import_kayong_utara(app, tmp_path)
    await chat.say("desa sutera kec sukadana")
    assert "Desa Sutera, Kec. Sukadana, Kabupaten Kayong Utara" in chat.text
    assert "Target: 114 orang" in chat.text


async def test_own_regency_first_among_same_named_villages(
    app: App, chat: Chat, tmp_path: Path
) -> None:
    await import_kayong_utara(app, tmp_path)
    await linked_head(app, "u1", SUTERA)
    await chat.say("target desa padang")
    assert chat.button_titles[0] == "Padang (Kalbar)"
    assert chat.last[0].buttons[0].payload.endswith(f"village={PADANG_KARIMATA}")
    assert "Padang (Kalbar): Kec. Kepulauan Karimata, Kab. Kayong Utara" in chat.text
    assert all(len(title) <= 20 for title in chat.button_titles)


async def test_kecamatan_of_own_regency_offered_for_a_name_with_no_village_there(
    app: App, chat: Chat, tmp_path: Path
) -> None:
    await import_kayong_utara(app, tmp_path)
    await linked_head(app, "u1", SUTERA)
    await chat.say("capaian desa sukadana")
    assert "Sukadana (Kalbar): kecamatan di Kab. Kayong Utara" in chat.text
    first = chat.last[0].buttons[0]
    assert first.payload.endswith(f"village={SUKADANA_KU}")
    # every shown label is explained by where it lies: "Sukadana (Jabar)" is not left alone
    assert "Sukadana (Jabar): Kec. Pagerageung, Kab. Tasikmalaya" in chat.text
    await chat.press(chat.button_titles[0])
    assert "Desa mana di Kecamatan Sukadana, Kabupaten Kayong Utara?" in chat.text
    assert chat.button_titles[:3] == ["Sutera", "Pangkalan Buton", "Pampang Harapan"]


async def test_kecamatan_named_lists_its_villages(app: App, chat: Chat, tmp_path: Path) -> None:
    await import_kayong_utara(app, tmp_path)
    await linked_head(app, "u1", SUTERA)
    await chat.say("target desa kec sukadana")
    assert "Desa mana di Kecamatan Sukadana, Kabupaten Kayong Utara?" in chat.text
    assert "8 dari 10 desa" in chat.text
    assert len(chat.button_titles) == 8 and "Sutera" in chat.button_titles
    await chat.press("Pampang Harapan")
    assert "Desa Pampang Harapan, Kec. Sukadana" in chat.text
    await chat.say("capaian kec sukadana")
    assert "Desa mana di Kecamatan Sukadana, Kabupaten Kayong Utara?" in chat.text


async def test_codes_without_dots(app: App, chat: Chat, tmp_path: Path) -> None:
    await import_kayong_utara(app, tmp_path)
    await chat.say("desa 6111012007")
    assert "Desa Pampang Harapan, Kec. Sukadana, Kabupaten Kayong Utara" in chat.text
    assert "Target: 87 orang" in chat.text
    await chat.say("/desa 6111012001")
    assert "Tercatat: Anda terhubung dengan Desa Sutera" in chat.text
    person = await app.store.people.find("console", "u1")
    assert person is not None
    link = await app.store.village_heads.get(person.id)
    assert link is not None and link.village_code == SUTERA


async def test_next_year_target_does_not_hide_this_year(
    app: App, chat: Chat, tmp_path: Path
) -> None:
    await import_kayong_utara(app, tmp_path)
    await chat.say("target desa sutera")
    text = chat.text
    assert "target 2026" in text
    assert "Target: 114 orang" in text and "Sudah terdaftar: 108" in text
    assert "ke-1 dari 3 desa di Kec. Sukadana" in text  # 2026 peers, not "1 dari 1" of 2027
    assert "Naik 36 orang sejak data 30 Juni 2026" in text
    assert "Target tahun 2027 sudah ada: 300 orang." in text


async def test_peringkat_desa_saya_for_a_linked_head(app: App, chat: Chat, tmp_path: Path) -> None:
    await import_kayong_utara(app, tmp_path)
    await linked_head(app, "u1", SUTERA)
    await chat.say("peringkat desa saya")
    assert "Wilayah mana?" not in chat.text
    assert "Desa Sutera" in chat.text and "ke-1 dari 3 desa di Kec. Sukadana" in chat.text


async def test_typo_heading_names_what_was_typed(app: App, chat: Chat, tmp_path: Path) -> None:
    await import_kayong_utara(app, tmp_path)
    await chat.say("desa teluk melanu")
    assert chat.text.startswith('Desa "Teluk Melanu" tidak ada persis. Yang mana maksud Anda?')
    assert chat.last[0].buttons[0].payload.endswith(f"village={TELUK_MELANO}")


async def test_link_command_with_a_typo_offers_near_names_with_where(app: App, chat: Chat) -> None:
    await chat.say("/desa telok melano")
    assert 'Desa "telok melano" tidak ditemukan persis' in chat.text
    assert "• Desa Teluk Melano, Kec. Simpang Hilir, Kabupaten Kayong Utara" in chat.text
    person = await app.store.people.find("console", "u1")
    assert person is not None
    assert await app.store.village_heads.get(person.id) is None  # nothing linked on a guess
    await chat.press(chat.button_titles[0])
    assert "Tercatat: Anda terhubung dengan Desa Teluk Melano" in chat.text


async def test_village_with_its_regency_read_as_a_comparison(
    app: App, chat: Chat, tmp_path: Path
) -> None:
    await import_kayong_utara(app, tmp_path)
    await chat.say("desa padang kayong utara")
    assert "Desa Padang, Kec. Kepulauan Karimata, Kabupaten Kayong Utara" in chat.text
    assert "Target: 90 orang" in chat.text
    assert "Sudah terdaftar: 0 (0 %)" in chat.text


async def test_a_bare_code_with_or_without_dots_is_the_village(
    app: App, chat: Chat, tmp_path: Path
) -> None:
    await import_kayong_utara(app, tmp_path)
    for typed in ("6111012007", "61.11.01.2007"):
        await chat.say(typed)
        assert "Desa Pampang Harapan, Kec. Sukadana, Kabupaten Kayong Utara" in chat.text, typed
        assert "Iuran BPU" not in chat.text and "Dasar hukum" not in chat.text
    await chat.say("9911012007")  # shaped like a village code, but no such village
    assert "tidak ditemukan" in chat.text and "Iuran BPU" not in chat.text


async def test_earlier_questions_put_their_regency_first(app: App, chat: Chat) -> None:
    # Ketapang has coverage figures, Kayong Utara none: a stranger sees Ketapang's Padang first
    stranger = Chat(app, user_id="u2")
    await stranger.say("target desa padang")
    assert stranger.button_titles[0] == "Padang (Ketapang)"
    await chat.say("cakupan kayong utara")  # an earlier question about Kayong Utara
    await chat.say("manfaat jkm apa saja")  # another topic in between
    await chat.say("target desa padang")
    assert chat.button_titles[0] == "Padang (Kalbar)"
    assert chat.last[0].buttons[0].payload.endswith(f"village={PADANG_KARIMATA}")
