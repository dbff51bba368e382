"""Claim answers: documents for the user's situation, and JMO app or branch office."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import App
from bot.core.payload import decode
from bot.domain.intents import Intent
from bot.domain.understanding import Slots
from tests.handlers.asking import (
    ask,
    assert_no_figures_without_facts,
    assert_unknown_without_figures,
    assert_well_formed,
    forget,
)

INTENTS = (
    Intent.JHT_CLAIM,
    Intent.JKK_CLAIM,
    Intent.JKM_CLAIM,
    Intent.JP_CLAIM,
    Intent.JKP_CLAIM,
)


async def test_jht_claim_offers_situations_and_says_jmo_up_to_its_limit(app: App) -> None:
    answer = await ask(app, Intent.JHT_CLAIM)
    text = answer.text
    assert "masa tunggu 1 bulan" in text and "usia 56" in text
    # The Rp15 jt limit and JMO's conditions are official since the FAQ (services §17.1).
    assert "Lewat JMO (sendiri): bila sudah nonaktif, data sudah dikinikan" in text
    assert "saldo di bawah Rp 15.000.000;" in text and "Lapak Asik" in text
    assert "kantor cabang" in text
    assert "Belum pasti" not in text and "*" not in text
    assert "Sumber: PP 46/2015 jo. PP 60/2015; Permenaker 4/2022" in text
    assert "FAQ BPJS Ketenagakerjaan (Jul 2025)" in text
    assert answer.titles[:3] == ["Resign", "Kena PHK", "Usia 56"]
    assert "Cek saldo JHT" in answer.titles
    assert_well_formed(answer)


async def test_pressing_a_situation_gives_its_document_checklist(app: App) -> None:
    first = await ask(app, Intent.JHT_CLAIM, Slots(money=8_000_000))
    intent, slots = decode(first.payloads[first.titles.index("Resign")])
    assert (slots.option, slots.money) == ("resign", 8_000_000)
    answer = await ask(app, intent, slots)
    assert "KPJ, KTP, dan bukti berhenti" in answer.text
    assert "paklaring bukan syarat resmi" in answer.text  # services §17.4
    assert "Saldo Rp 8.000.000 di bawah Rp 15.000.000: bila status sudah nonaktif" in answer.text
    assert "JMO" in answer.text
    assert "Cair 5 hari kerja" in answer.text and "Rp 50 juta" in answer.text
    assert_well_formed(answer)


async def test_large_balance_after_phk_goes_to_a_branch_office(app: App) -> None:
    answer = await ask(app, Intent.JHT_CLAIM, Slots(option="phk", money=20_000_000))
    assert "Disnaker" in answer.text and "perjanjian bersama" in answer.text
    assert "tidak di bawah batas JMO Rp 15.000.000: ajukan lewat Lapak Asik" in answer.text
    assert "JKP (kena PHK)" in answer.titles


async def test_jmo_limit_was_10_million_before_may_2025(app: App) -> None:
    answer = await ask(app, Intent.JHT_CLAIM, Slots(money=12_000_000), on=date(2025, 3, 1))
    assert "tidak di bawah batas JMO Rp 10.000.000: ajukan lewat Lapak Asik" in answer.text
    assert "*" not in answer.text
    assert "FAQ" not in answer.text  # the FAQ's JMO conditions are cited from May 2025 only


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("age", "mencapai usia 56"),
        ("partial", "10 % untuk persiapan pensiun"),
        ("abroad", "paspor"),
        ("disability", "dokter penasihat"),
        ("death", "akta kematian"),
    ],
)
async def test_each_situation_has_its_documents(app: App, option: str, expected: str) -> None:
    answer = await ask(app, Intent.JHT_CLAIM, Slots(option=option))
    assert expected in answer.text
    assert_well_formed(answer)


async def test_jkk_claim_reports_and_documents(app: App) -> None:
    answer = await ask(app, Intent.JKK_CLAIM)
    assert "paling lambat 48 jam" in answer.text
    assert "kuitansi asli" in answer.text and "laporan polisi" in answer.text
    assert "Prosedur klaim JKK" in answer.text
    more = await ask(app, Intent.JKK_CLAIM, Slots(option="more"))
    assert "paling lambat 30 hari" in more.text and "175" in more.text


async def test_jkm_claim_documents_for_heirs(app: App) -> None:
    answer = await ask(app, Intent.JKM_CLAIM)
    for document in ("akta kematian", "Kartu Keluarga", "surat keterangan ahli waris"):
        assert document in answer.text
    assert "kantor cabang" in answer.text


async def test_jp_claim_lump_sum_under_15_years(app: App) -> None:
    answer = await ask(app, Intent.JP_CLAIM)
    assert "iuran sudah 15 tahun" in answer.text and "dibayar sekaligus" in answer.text
    assert "kini 59 tahun" in answer.text
    assert "belum bisa saya pastikan" in answer.text and "175" in answer.text


async def test_jkp_claim_via_siapkerja(app: App) -> None:
    answer = await ask(app, Intent.JKP_CLAIM, locale="en")
    assert "siapkerja.kemnaker.go.id" in answer.text
    assert "within 6 months of the layoff" in answer.text


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_claim_answers_are_well_formed(app: App, locale: str) -> None:
    for intent in INTENTS:
        for slots in (None, Slots(option="phk", money=30_000_000), Slots(option="more")):
            assert_well_formed(await ask(app, intent, slots, locale=locale))


async def test_missing_jmo_limit_means_unknown(app: App) -> None:
    await forget(app, "jmo.jht_limit")
    answer = await ask(app, Intent.JHT_CLAIM, Slots(money=5_000_000))
    assert_unknown_without_figures(answer)


async def test_empty_fact_store_never_gives_a_figure(app: App) -> None:
    await assert_no_figures_without_facts(app, INTENTS)
