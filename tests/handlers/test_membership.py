"""Membership answers: who can join, registration, vulnerable/migrant/construction workers,
late contributions."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import App
from bot.core.i18n import Catalogues
from bot.domain.intents import Intent
from bot.domain.understanding import Slots
from handlers.membership import OCCUPATION_NAMES
from tests.handlers.asking import (
    ask,
    assert_no_figures_without_facts,
    assert_unknown_without_figures,
    assert_well_formed,
    forget,
)

INTENTS = (
    Intent.ELIGIBILITY,
    Intent.REGISTRATION_PU,
    Intent.REGISTRATION_BPU,
    Intent.VULNERABLE_WORKERS,
    Intent.MIGRANT_WORKERS,
    Intent.CONSTRUCTION_WORKERS,
    Intent.LATE_PAYMENT,
)


@pytest.mark.parametrize(
    ("occupation", "expected"),
    [
        ("ojol", "Sebagai pengemudi ojol/ojek, Anda ikut sebagai pekerja mandiri (BPU)"),
        ("petani", "Sebagai petani"),
        ("karyawan", "peserta penerima upah (PU)"),
        ("pekerja_migran", "Pekerja migran Indonesia (PMI) ikut skema khusus"),
        ("pekerja_konstruksi", "pendaftaran proyek oleh kontraktor"),
    ],
)
async def test_eligibility_by_occupation(app: App, occupation: str, expected: str) -> None:
    answer = await ask(app, Intent.ELIGIBILITY, Slots(occupation=occupation))
    assert expected in answer.text
    assert_well_formed(answer)


async def test_occupation_is_named_in_the_users_language(app: App) -> None:
    answer = await ask(app, Intent.ELIGIBILITY, Slots(occupation="nelayan"), locale="en")
    assert answer.text.startswith("Yes! As a fisher, you join as a self-employed worker (BPU)")


def test_every_mapped_occupation_has_a_name_in_both_languages() -> None:
    catalogues = Catalogues.load()
    for key in OCCUPATION_NAMES.values():
        assert catalogues.template("id", key) and catalogues.template("en", key), key


async def test_bpu_eligibility_states_the_lowest_contribution(app: App) -> None:
    answer = await ask(app, Intent.ELIGIBILITY, Slots(occupation="ojol"))
    assert "JKK + JKM mulai Rp 16.800 sebulan" in answer.text and "tanpa JP" in answer.text
    assert "Daftar mandiri" in answer.titles


async def test_eligibility_without_occupation_explains_categories(app: App) -> None:
    answer = await ask(app, Intent.ELIGIBILITY)
    assert "minimal 6 bulan" in answer.text and "BPU" in answer.text and "PU" in answer.text
    assert "saya petani" in answer.text
    assert "PP 49/2023 Ps 5" in answer.text


async def test_registration_pu_is_done_by_the_employer(app: App) -> None:
    answer = await ask(app, Intent.REGISTRATION_PU)
    assert "didaftarkan oleh pemberi kerja" in answer.text
    assert "tanggal 15" in answer.text and "175" in answer.text


async def test_registration_bpu_mentions_the_discount_only_while_in_force(app: App) -> None:
    now = await ask(app, Intent.REGISTRATION_BPU)
    assert "mulai Rp 16.800 sebulan" in now.text
    assert "diskon 50 % JKK+JKM untuk iuran sampai Maret 2027" in now.text
    later = await ask(app, Intent.REGISTRATION_BPU, on=date(2027, 6, 1))
    assert "diskon" not in later.text


async def test_vulnerable_workers_government_paid(app: App) -> None:
    answer = await ask(app, Intent.VULNERABLE_WORKERS)
    assert "Inpres 2/2021" in answer.text and "Rp 16.800 per orang sebulan" in answer.text
    assert "Anggaran daerah" in answer.titles and "Target desa saya" in answer.titles


async def test_migrant_worker_contributions(app: App) -> None:
    answer = await ask(app, Intent.MIGRANT_WORKERS)
    assert "sebelum bekerja: Rp 37.500" in answer.text
    assert "kontrak 24 bulan Rp 332.500; 12 bulan Rp 189.000; 6 bulan Rp 108.000" in answer.text
    assert "Rp 13.500" in answer.text and "Permenaker 4/2023" in answer.text


async def test_construction_rates_are_flagged_uncertain(app: App) -> None:
    answer = await ask(app, Intent.CONSTRUCTION_WORKERS)
    assert "14 hari kerja setelah SPK" in answer.text
    assert "0,24 %* untuk nilai sampai Rp 100.000.000*" in answer.text
    assert "Belum pasti" in answer.text and "Permenaker 44/2015" in answer.text


async def test_late_payment_is_honest_about_fines(app: App) -> None:
    answer = await ask(app, Intent.LATE_PAYMENT)
    assert "tanggal 15 bulan berikutnya" in answer.text
    assert "JHT Anda tetap bisa diklaim" in answer.text
    assert "maks. 6 bulan" in answer.text
    assert "Besar denda" in answer.text and "175" in answer.text
    assert "PP 6/2025 Ps 39A" in answer.text


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_membership_answers_are_well_formed(app: App, locale: str) -> None:
    for intent in INTENTS:
        for slots in (None, Slots(occupation="nelayan"), Slots(occupation="unknown_job")):
            answer = await ask(app, intent, slots, locale=locale)
            assert_well_formed(answer)
            assert "Sumber:" in answer.text or "Source" in answer.text


async def test_missing_bpu_rate_means_unknown(app: App) -> None:
    await forget(app, "bpu.jkm")
    answer = await ask(app, Intent.ELIGIBILITY, Slots(occupation="ojol"))
    assert_unknown_without_figures(answer)


async def test_empty_fact_store_never_gives_a_figure(app: App) -> None:
    await assert_no_figures_without_facts(app, INTENTS)
