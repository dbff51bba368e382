"""The pension answer (JP) through the dispatcher: the age schedule in force each year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.answers.calculators.pension import PensionEstimate, estimate_pension
from bot.app import App
from bot.domain.intents import Intent
from bot.domain.understanding import Slots
from handlers.pension import membership_years
from tests.conftest import Chat
from tests.handlers.asking import (
    ask,
    assert_no_figures_without_facts,
    assert_unknown_without_figures,
    assert_well_formed,
    forget,
)


async def test_jp_pension_age_for_a_birth_year(app: App) -> None:
    answer = await ask(app, Intent.JP_BENEFIT, Slots(birth_year=1970))
    assert "Usia pensiun sekarang 59 tahun" in answer.text
    assert "Mulai 2028 usia pensiun menjadi 60 tahun." in answer.text
    assert "Lahir 1970: Anda mencapai usia pensiun pada 2030, di usia 60 tahun." in answer.text
    assert "maks. Rp 4.932.300*" in answer.text and "sumber sekunder" in answer.text
    assert "PP 45/2015" in answer.text
    assert_well_formed(answer)


async def test_jp_pension_age_from_an_age(app: App) -> None:
    answer = await ask(app, Intent.JP_BENEFIT, Slots(age=40))
    assert "Jika lahir sekitar 1986" in answer.text
    assert "2051, di usia 65 tahun" in answer.text


async def test_jp_pension_age_in_a_given_year(app: App) -> None:
    answer = await ask(app, Intent.JP_BENEFIT, Slots(year=2032))
    assert "Tahun 2032: usia pensiun 61 tahun." in answer.text


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        (Slots(birth_year=2030), "Tahun lahir itu belum lewat"),
        (Slots(age=200), "sudah terlewati saat program JP dimulai (2015)"),
        (Slots(birth_year=1962), "Lahir 1962: usia pensiun sudah tercapai pada 2018, di usia 56"),
    ],
)
async def test_jp_odd_birth_years_get_sensible_answers(
    app: App, slots: Slots, expected: str
) -> None:
    answer = await ask(app, Intent.JP_BENEFIT, slots)
    assert expected in answer.text
    assert_well_formed(answer)


async def test_jp_schedule_of_another_year(app: App) -> None:
    answer = await ask(app, Intent.JP_BENEFIT, on=date(2024, 6, 1))
    assert "Usia pensiun sekarang 58 tahun" in answer.text
    assert "Mulai 2025 usia pensiun menjadi 59 tahun." in answer.text
    assert "maks. Rp 4.718.200 sebulan" in answer.text


async def test_jp_more_lists_the_schedule(app: App) -> None:
    answer = await ask(app, Intent.JP_BENEFIT, Slots(option="more"))
    assert "2025: 59, 2028: 60, 2031: 61" in answer.text and "2043: 65" in answer.text
    assert "3 tahun setelah usia pensiun" in answer.text


@pytest.mark.parametrize("locale", ["id", "en"])
async def test_pension_answers_are_well_formed(app: App, locale: str) -> None:
    for slots in (None, Slots(birth_year=1980, year=2040), Slots(age=30), Slots(option="more")):
        answer = await ask(app, Intent.JP_BENEFIT, slots, locale=locale)
        assert_well_formed(answer)
        assert "PP 45/2015" in answer.text


async def test_missing_pension_age_means_unknown(app: App) -> None:
    await forget(app, "jp.pension_age")
    answer = await ask(app, Intent.JP_BENEFIT, Slots(birth_year=1970))
    assert_unknown_without_figures(answer)


async def test_empty_fact_store_never_gives_a_figure(app: App) -> None:
    await assert_no_figures_without_facts(app, [Intent.JP_BENEFIT], Slots(birth_year=1970))


async def test_jp_estimate_for_a_wage_and_years_cites_the_rule(chat: Chat) -> None:
    await chat.say("berapa pensiun JP saya kalau gaji 5 juta dan sudah 20 tahun ikut")
    text = chat.text
    assert "1 % × 20 tahun × Rp 5.000.000 = Rp 1.000.000 sebulan" in text
    assert "Perkiraan pensiun bulanan: Rp 1.000.000" in text
    assert text.endswith("Sumber: PP 45/2015 Ps 17")  # the accrual rule


async def test_jp_estimate_uses_the_wage_cap_of_the_day(app: App, chat: Chat) -> None:
    app.dispatcher.today = lambda: date(2026, 11, 23)  # type: ignore[method-assign]
    await chat.say("estimasi jaminan pensiun upah 15 juta masa iuran 30 tahun")
    text = chat.text
    # the cap in force since March 2026 (secondary source: marked **)
    assert "batas upah JP hari ini (Rp 11.086.300**)" in text
    assert "1 % × 30 tahun × Rp 11.086.300** = Rp 3.325.890** sebulan" in text
    assert "SE BPJS TK B/1226/022026" in text  # the secondary cap is cited


async def test_jp_estimate_below_15_years_is_a_lump_sum(chat: Chat) -> None:
    await chat.say("pensiun JP gaji 4 juta sudah 10 tahun ikut")
    assert "kurang dari 15 tahun: tidak ada pensiun bulanan" in chat.text
    assert "Perkiraan pensiun bulanan" not in chat.text


def test_estimate_is_bounded_by_the_minimum_and_maximum() -> None:
    def common(wage: int, years: int) -> PensionEstimate:
        return estimate_pension(
            wage=Decimal(wage),
            years=years,
            accrual_percent=Decimal(1),
            wage_cap=Decimal(11_086_300),
            min_years=15,
            min_benefit=Decimal(411_400),
            max_benefit=Decimal(4_932_300),
        )

    low = common(2_000_000, 15)
    assert low.raw == Decimal(300_000) and low.monthly == Decimal(411_400) and low.bound == "min"
    high = common(50_000_000, 45)
    assert high.capped and high.wage_used == Decimal(11_086_300)
    assert high.monthly == Decimal(4_932_300) and high.bound == "max"
    short = common(5_000_000, 14)
    assert short.monthly is None


def test_membership_years_read_from_the_text() -> None:
    assert membership_years("sudah 20 tahun ikut") == 20
    assert membership_years("masa iuran 10 thn") == 10
    assert membership_years("umur 40 tahun gaji 5 juta") is None
