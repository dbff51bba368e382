"""Information answers: programs, contacts, legal basis, balance check, Paritrana Award."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.domain.intents import Intent
from bot.domain.understanding import Slots
from tests.conftest import Chat
from tests.handlers.asking import (
    ask,
    assert_no_figures_without_facts,
    assert_unknown_without_figures,
    assert_well_formed,
    forget,
)

INTENTS = (
    Intent.PROGRAM_OVERVIEW,
    Intent.CONTACT,
    Intent.REGULATION,
    Intent.BALANCE_CHECK,
    Intent.PARITRANA_AWARD,
)


async def test_program_overview_lists_programs_with_buttons(app: App) -> None:
    answer = await ask(app, Intent.PROGRAM_OVERVIEW)
    for program in ("JKK", "JKM", "JHT", "JP", "JKP", "BPU"):
        assert program in answer.text
    assert "UU 40/2004" in answer.text
    assert {"Manfaat JKK", "Pensiun (JP)", "Siapa bisa ikut?"} <= set(answer.titles)


async def test_contact_gives_call_centre_from_the_facts(app: App) -> None:
    answer = await ask(app, Intent.CONTACT)
    assert "Call center: 175" in answer.text
    assert "JMO" in answer.text and "siapkerja.kemnaker.go.id" in answer.text
    assert "WhatsApp resmi belum bisa saya pastikan" in answer.text


async def test_regulation_lists_the_legal_basis_per_program(app: App) -> None:
    answer = await ask(app, Intent.REGULATION)
    assert "JKP: UU 6/2023; PP 37/2021 jo. PP 6/2025" in answer.text
    assert "JP: PP 45/2015" in answer.text
    assert "Inpres 2/2021" in answer.text and "Permenaker 4/2023" in answer.text


async def test_balance_check_never_asks_for_personal_data(app: App) -> None:
    answer = await ask(app, Intent.BALANCE_CHECK)
    assert "jangan kirim NIK, nomor KPJ atau tanggal lahir" in answer.text
    assert "aplikasi JMO" in answer.text and "call center 175" in answer.text
    english = await ask(app, Intent.BALANCE_CHECK, locale="en")
    assert "do not send your NIK" in english.text


async def test_paritrana_award_and_its_details(app: App) -> None:
    answer = await ask(app, Intent.PARITRANA_AWARD)
    assert "sejak 2017" in answer.text and "Kemenko PMK" in answer.text
    assert answer.titles[0] == "Selengkapnya"
    more = await ask(app, Intent.PARITRANA_AWARD, Slots(option="more"))
    assert "ke-7" in more.text and "12 September 2024" in more.text
    assert "Ketapang juara pertama" in more.text
    assert "Harian Equator" in more.text


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_information_answers_are_well_formed(app: App, locale: str) -> None:
    for intent in INTENTS:
        for slots in (None, Slots(option="more")):
            answer = await ask(app, intent, slots, locale=locale)
            assert_well_formed(answer)


async def test_missing_call_centre_fact_points_to_a_branch(app: App) -> None:
    await forget(app, "contact.call_centre")
    answer = await ask(app, Intent.CONTACT)
    assert "kantor cabang" in answer.text
    assert not any(ch.isdigit() for ch in answer.text)


async def test_missing_regulation_fact_means_unknown(app: App) -> None:
    await forget(app, "regulation.jkp")
    answer = await ask(app, Intent.REGULATION)
    assert_unknown_without_figures(answer)


async def test_empty_fact_store_never_gives_a_figure(app: App) -> None:
    await assert_no_figures_without_facts(app, INTENTS)


async def test_paritrana_winner_in_kalbar_from_the_seed_facts(chat: Chat) -> None:
    await chat.say("paritrana 2025 kalbar yg menang siapa")
    assert "juara pertama Kabupaten Ketapang" in chat.text
    assert "Pontianak pada 24 September 2025" in chat.text
    assert "Sumber: Harian Equator (24 Sep 2025)" in chat.text
    assert "penghargaan tahunan pemerintah" not in chat.text  # not the generic definition


async def test_ketapang_first_place_confirmed(chat: Chat) -> None:
    await chat.say("ketapang juara paritrana ya")
    assert chat.text.startswith("Ya. Kabupaten Ketapang juara pertama Paritrana Award 2025")
    assert "Provinsi Kalimantan Barat" in chat.text and "24 September 2025" in chat.text


async def test_kayong_utara_nominee_and_village_head_instruction(chat: Chat) -> None:
    await chat.say("kayong utara masuk nominasi?")
    text = chat.text
    assert "Kayong Utara masuk nominasi (calon penerima) Paritrana Award 2025" in text
    assert "setiap kepala desa mendaftarkan pekerja rentan" in text
    assert "Sumber: Kalbarnews.co.id (September 2025)" in text
    assert "Belum ada data" not in text


async def test_regional_paritrana_without_its_fact_falls_back(app: App) -> None:
    await forget(app, "paritrana.kayong_utara_2025")
    answer = await ask(app, Intent.PARITRANA_AWARD, Slots(region="61.11"))
    assert "nominasi" not in answer.text
    assert "Paritrana Award" in answer.text
