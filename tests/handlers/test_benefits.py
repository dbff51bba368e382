"""Benefit answers through the dispatcher: figures from the facts in force, with sources."""

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
    Intent.JKK_BENEFIT,
    Intent.JKM_BENEFIT,
    Intent.JHT_BENEFIT,
    Intent.JKP_BENEFIT,
    Intent.SCHOLARSHIP,
)


async def test_jkp_for_a_4_million_wage_is_2_4_million_a_month(app: App) -> None:
    answer = await ask(app, Intent.JKP_BENEFIT, Slots(money=4_000_000))
    text = answer.text
    assert "60 % dari upah terakhir selama 6 bulan" in text
    assert "upah maks. Rp 5.000.000, jadi paling banyak Rp 3.000.000 sebulan" in text
    assert "Untuk upah Rp 4.000.000: Rp 2.400.000 sebulan × 6 bulan = Rp 14.400.000." in text
    # Whether PP 6/2025 changed the 12-in-24 rule is not confirmed: starred and said so.
    assert "iuran 12* bulan dalam 24* bulan" in text and "Belum pasti" in text
    assert "PP 37/2021 jo. PP 6/2025" in text
    assert "Klaim JKP" in answer.titles and answer.titles[0] == "Selengkapnya"
    assert_well_formed(answer)


async def test_jkp_wage_above_the_cap(app: App) -> None:
    answer = await ask(app, Intent.JKP_BENEFIT, Slots(money=8_000_000))
    assert "Untuk upah Rp 8.000.000 (dihitung Rp 5.000.000): Rp 3.000.000 sebulan" in answer.text


async def test_jkp_before_pp_6_2025_had_two_stages(app: App) -> None:
    answer = await ask(app, Intent.JKP_BENEFIT, Slots(money=4_000_000), on=date(2024, 6, 1))
    assert "45 % dari upah terakhir selama 3 bulan" in answer.text
    assert "Lalu 25 % selama 3 bulan berikutnya." in answer.text
    assert "Rp 1.800.000 sebulan × 3 bulan = Rp 8.400.000" in answer.text


async def test_jkp_more_gives_deadline_and_funding(app: App) -> None:
    answer = await ask(app, Intent.JKP_BENEFIT, Slots(option="more"))
    assert "paling lambat 6 bulan setelah PHK" in answer.text
    assert "0,22 % dari pemerintah pusat + 0,14 %" in answer.text
    assert_well_formed(answer)


async def test_jkm_pays_42_million(app: App) -> None:
    answer = await ask(app, Intent.JKM_BENEFIT)
    assert "ahli waris menerima Rp 42.000.000" in answer.text
    for part in ("Rp 20.000.000", "Rp 12.000.000", "Rp 10.000.000", "Rp 174 juta"):
        assert part in answer.text
    assert "minimal 3 tahun" in answer.text
    assert "Sumber: PP 44/2015 jo. PP 82/2019" in answer.text
    assert "Klaim JKM" in answer.titles


async def test_jkk_with_a_wage_computes_death_and_disability(app: App) -> None:
    answer = await ask(app, Intent.JKK_BENEFIT, Slots(money=1_000_000))
    assert "48× upah" in answer.text
    assert "meninggal Rp 70.000.000" in answer.text
    assert "cacat total tetap Rp 68.000.000" in answer.text
    # The STMB scheme is disputed between sources.
    assert "100 %* selama 12* bulan pertama, lalu 50 %*" in answer.text
    assert "Belum pasti" in answer.text
    assert_well_formed(answer)


async def test_jkk_more_details(app: App) -> None:
    answer = await ask(app, Intent.JKK_BENEFIT, Slots(option="more"))
    assert "darat maks. Rp 5 juta, laut Rp 2 juta, udara Rp 10 juta" in answer.text
    assert "30 hari" in answer.text and "175" in answer.text


async def test_jht_benefit_explains_and_computes_monthly_savings(app: App) -> None:
    answer = await ask(app, Intent.JHT_BENEFIT, Slots(money=3_500_000))
    assert "pemberi kerja 3,7 % + pekerja 2 %" in answer.text
    assert "usia 56" in answer.text and "masa tunggu 1 bulan" in answer.text
    assert "Rp 199.500 masuk JHT tiap bulan (Rp 70.000 dari gaji Anda)" in answer.text
    assert "Permenaker 4/2022" in answer.text
    assert "Cairkan JHT" in answer.titles


async def test_scholarship_per_level(app: App) -> None:
    answer = await ask(app, Intent.SCHOLARSHIP)
    for line in ("TK: Rp 1.500.000 (maks. 2 tahun)", "SMA: Rp 3.000.000 (maks. 3 tahun)"):
        assert line in answer.text
    assert "Per anak maks. Rp 87 juta; total maks. Rp 174 juta" in answer.text
    assert "Sumber: PP 82/2019; Permenaker 5/2021" in answer.text


async def test_english_scholarship(app: App) -> None:
    answer = await ask(app, Intent.SCHOLARSHIP, locale="en")
    assert "Per child at most Rp 87 million; total at most Rp 174 million" in answer.text
    assert "Source" in answer.text


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_benefit_answers_are_well_formed(app: App, locale: str) -> None:
    for intent in INTENTS:
        for slots in (None, Slots(money=5_500_000, birth_year=1980), Slots(option="more")):
            answer = await ask(app, intent, slots, locale=locale)
            assert_well_formed(answer)
            assert "Sumber:" in answer.text or "Source" in answer.text


async def test_more_button_re_asks_with_option_more(app: App) -> None:
    answer = await ask(app, Intent.JKK_BENEFIT, Slots(money=2_000_000))
    intent, slots = decode(answer.payloads[answer.titles.index("Selengkapnya")])
    assert (intent, slots.option, slots.money) == (Intent.JKK_BENEFIT, "more", 2_000_000)


async def test_missing_jkp_cap_means_unknown(app: App) -> None:
    await forget(app, "jkp.wage_cap")
    answer = await ask(app, Intent.JKP_BENEFIT, Slots(money=4_000_000))
    assert "belum bisa saya pastikan" in answer.text
    assert_unknown_without_figures(answer)


async def test_empty_fact_store_never_gives_a_figure(app: App) -> None:
    await assert_no_figures_without_facts(app, INTENTS, Slots(money=4_000_000, birth_year=1970))


async def test_jkp_source_line_names_each_regulation_once(app: App) -> None:
    answer = await ask(app, Intent.JKP_BENEFIT, Slots(money=8_000_000))
    assert answer.text.endswith("Sumber: UU 6/2023; PP 37/2021 jo. PP 6/2025; Permenaker 15/2021")
    assert answer.text.count("PP 37/2021") == 1
    assert_well_formed(answer)


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("money", [3_000_000, 10**10])
async def test_jkk_and_jkp_with_a_wage_stay_short(app: App, locale: str, money: int) -> None:
    for intent in (Intent.JKK_BENEFIT, Intent.JKP_BENEFIT):
        assert_well_formed(await ask(app, intent, Slots(money=money), locale=locale))
