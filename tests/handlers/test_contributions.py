"""Contribution answers through the dispatcher: PU and BPU calculators with their rules."""

from __future__ import annotations

from datetime import date

import pytest

from bot.app import App
from bot.core.payload import decode
from bot.domain.intents import Intent
from bot.domain.understanding import Slots
from tests.handlers.asking import (
    ask,
    assert_unknown_without_figures,
    assert_well_formed,
    forget,
    forget_all,
    restate,
)


async def test_wage_3_5_million_gives_worker_jht_70000_and_jp_35000(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=3_500_000))
    text = answer.text
    assert "Rp 3.500.000" in text
    assert "JHT 5,7 %: pekerja Rp 70.000, pemberi kerja Rp 129.500" in text
    assert "JP 3 %: pekerja Rp 35.000, pemberi kerja Rp 70.000" in text
    assert "Rp 8.400–Rp 60.900" in text
    assert "JKM 0,3 %: pemberi kerja Rp 10.500" in text
    # JKP is 0,36 % of the wage: 0,22 % from the government plus 0,14 % taken from JKK
    assert "JKP 0,36 %: 0,22 % pemerintah + 0,14 % JKK" in text
    assert "Dipotong dari gaji: Rp 105.000" in text
    assert "*" not in text  # below the JP cap nothing depends on the secondary cap figure
    # Every rate is vetted, yet the answer ends with the regulations behind them.
    assert text.endswith("Sumber: PP 46/2015; PP 45/2015; PP 44/2015 Lampiran I; PP 6/2025 Ps 11")
    assert answer.titles[0] == "Selengkapnya"
    assert "Telat bayar iuran" in answer.titles
    assert_well_formed(answer)


async def test_without_a_wage_rates_and_example_buttons_are_offered(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_PU)
    assert "JHT: pemberi kerja 3,7 % + pekerja 2 %" in answer.text
    assert "JKK: pemberi kerja 0,24 %–1,74 %" in answer.text
    assert "tulis gaji anda" in answer.text.lower() and "gaji 4,5 juta" in answer.text
    assert "Gaji Rp 3,5 juta" in answer.titles
    sample = answer.payloads[answer.titles.index("Gaji Rp 3,5 juta")]
    assert decode(sample) == (Intent.CONTRIBUTION_PU, Slots(money=3_500_000))
    assert_well_formed(answer)


async def test_wage_above_jp_cap_uses_todays_cap_and_says_it_is_secondary(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=15_000_000))
    assert "pekerja Rp 110.863**" in answer.text
    assert "** Hanya sumber sekunder" in answer.text and "175" in answer.text
    assert answer.text.endswith("PP 6/2025 Ps 11; SE BPJS TK B/1226/022026")
    assert "Sumber: PP 46/2015; PP 45/2015; PP 44/2015 Lampiran I" in answer.text
    assert "batas upah" not in answer.text  # the cap is explained behind "Selengkapnya"
    assert_well_formed(answer)
    more = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=15_000_000, option="more"))
    assert "JP dihitung dari batas upah Rp 11.086.300**." in more.text
    assert "SE BPJS TK B/1226/022026" in more.text
    assert_well_formed(more)


@pytest.mark.parametrize("money", [12_000_000, 10**10])
async def test_pu_answers_above_the_jp_cap_stay_under_600_characters(app: App, money: int) -> None:
    for option in (None, "more", "risk5"):
        for locale in ("id", "en"):
            answer = await ask(
                app, Intent.CONTRIBUTION_PU, Slots(money=money, option=option), locale=locale
            )
            assert_well_formed(answer)
            assert "Sumber: " in answer.text or "Source: " in answer.text


async def test_jp_cap_of_the_day_asked_is_used(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=15_000_000), on=date(2024, 6, 1))
    assert "pekerja Rp 100.423, " in answer.text
    assert "*" not in answer.text
    more = await ask(
        app, Intent.CONTRIBUTION_PU, Slots(money=15_000_000, option="more"), on=date(2024, 6, 1)
    )
    assert "batas upah Rp 10.042.300." in more.text
    assert "BPJS Ketenagakerjaan 2024" in more.text


async def test_labour_intensive_industry_discount_is_shown_while_in_force(app: App) -> None:
    during = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=3_500_000), on=date(2025, 6, 1))
    assert "diskon JKK 50 % s.d. Januari 2026 (PP 7/2025; PP 36/2025)" in during.text
    after = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=3_500_000))
    assert "Industri padat karya" not in after.text


async def test_more_lists_all_risk_classes_and_a_class_can_be_chosen(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=3_500_000, option="more"))
    for line in ("sangat rendah 0,24 %: Rp 8.400", "sedang 0,89 %: Rp 31.150", "Rp 60.900"):
        assert line in answer.text
    assert len(answer.titles) == 5
    chosen = answer.payloads[answer.titles.index("Risiko sedang")]
    intent, slots = decode(chosen)
    assert (intent, slots.money, slots.option) == (Intent.CONTRIBUTION_PU, 3_500_000, "risk3")
    detail = await ask(app, intent, slots)
    assert "JKK risiko sedang 0,89 %: pemberi kerja Rp 31.150" in detail.text
    assert "Pemberi kerja: Rp 241.150." in detail.text


async def test_english_breakdown(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=3_500_000), locale="en")
    assert "worker Rp 70.000, employer Rp 129.500" in answer.text
    assert answer.text.endswith(
        "Source: PP 46/2015; PP 45/2015; PP 44/2015 Lampiran I; PP 6/2025 Ps 11"
    )
    assert "Deducted from your wage: Rp 105.000 a month." in answer.text
    assert answer.titles[0] == "More details"


async def test_bpu_lowest_band_16800_with_jht_36800_and_current_discount(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_BPU)
    text = answer.text
    assert "Rp 1.000.000" in text
    assert "JKK 1 %: Rp 10.000" in text and "JKM: Rp 6.800" in text
    assert "= Rp 16.800 sebulan (PP 44/2015 Lampiran II)" in text
    assert "jadi Rp 36.800 sebulan" in text
    assert "Diskon 50 % JKK+JKM s.d. Maret 2027 (PP 50/2025 Ps 2-4)" in text
    assert "Rp 8.400, atau Rp 28.400 dengan JHT" in text
    assert "Belum pasti" in text  # who the discount covers is not settled in the sources
    assert "penghasilan 2 juta" in text
    assert "Pendapatan Rp 2 juta" in answer.titles
    assert_well_formed(answer)


async def test_bpu_without_discount_outside_its_dates(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_BPU, on=date(2025, 6, 1))
    assert "Rp 16.800" in answer.text
    assert "Diskon" not in answer.text


async def test_bpu_income_above_lowest_band_is_marked_as_estimate(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_BPU, Slots(money=3_000_000))
    assert "JKK 1 %: Rp 30.000*" in answer.text
    assert "Rp 96.800*" in answer.text
    assert "Belum pasti" in answer.text


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize(
    "slots", [None, Slots(money=3_500_000), Slots(money=25_000_000, option="risk5")]
)
async def test_contribution_answers_are_well_formed(
    app: App, locale: str, slots: Slots | None
) -> None:
    for intent in (Intent.CONTRIBUTION_PU, Intent.CONTRIBUTION_BPU):
        assert_well_formed(await ask(app, intent, slots, locale=locale))


async def test_missing_rate_means_unknown_and_call_centre_never_a_number(app: App) -> None:
    await forget(app, "jht.rate.worker")
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=3_500_000))
    assert "belum bisa saya pastikan" in answer.text
    assert_unknown_without_figures(answer)
    assert "Kontak & kantor" in answer.titles


async def test_empty_fact_store_gives_no_figures(app: App) -> None:
    await forget_all(app)
    for intent in (Intent.CONTRIBUTION_PU, Intent.CONTRIBUTION_BPU):
        answer = await ask(app, intent, Slots(money=4_000_000))
        assert "kantor cabang" in answer.text  # without the call-centre fact either
        assert not any(ch.isdigit() for ch in answer.text)


@pytest.mark.parametrize("money", [1, 999, 1_000_000, 11_086_299, 11_086_300, 11_086_301, 10**10])
async def test_any_amount_gets_a_well_formed_answer(app: App, money: int) -> None:
    for intent in (Intent.CONTRIBUTION_PU, Intent.CONTRIBUTION_BPU, Intent.JKP_BENEFIT):
        answer = await ask(app, intent, Slots(money=money))
        assert_well_formed(answer)
        assert "Rp" in answer.text


async def test_absurd_amount_is_still_computed_without_error(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=10**15))
    assert "Rp 1.000.000.000.000.000" in answer.text
    assert "pekerja Rp 20.000.000.000.000" in answer.text


async def test_bpu_income_below_the_lowest_band_says_it_is_raised(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_BPU, Slots(money=500_000))
    assert "untuk penghasilan Rp 500.000 sebulan" in answer.text
    assert "dihitung pada golongan terendah (Rp 1.000.000)" in answer.text
    assert "= Rp 16.800 sebulan" in answer.text
    assert_well_formed(answer)
    english = await ask(app, Intent.CONTRIBUTION_BPU, Slots(money=500_000), locale="en")
    assert "computed on the lowest band (Rp 1.000.000)" in english.text
    at_band = await ask(app, Intent.CONTRIBUTION_BPU, Slots(money=1_000_000))
    assert "golongan" not in at_band.text


async def test_bpu_income_above_the_top_band_caps_jht_like_jkk(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_BPU, Slots(money=50_000_000))
    text = answer.text
    assert "untuk penghasilan Rp 50.000.000 sebulan" in text
    assert "dihitung pada golongan tertinggi (Rp 20.700.000*)" in text
    assert "JKK 1 %: Rp 207.000*" in text
    assert "JHT 2 % (opsional): Rp 414.000*, jadi Rp 627.800* sebulan" in text
    assert "Rp 1.000.000" not in text  # not 2 % of the income above the top band
    assert "Belum pasti" in text  # the bands are not confirmed: capped sums are estimates
    assert_well_formed(answer)


async def test_uncertain_and_secondary_figures_get_their_own_marks_and_notes(app: App) -> None:
    await restate(app, "jht.rate.worker", "uncertain")
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=15_000_000))
    assert "pekerja Rp 300.000*, " in answer.text  # JHT: uncertain rate
    assert "pekerja Rp 110.863**, " in answer.text  # JP: secondary wage cap
    assert "* Belum pasti (sumber berbeda-beda); ** hanya sumber sekunder; hubungi" in answer.text
    assert answer.text.count("175") == 1
    assert_well_formed(answer)
    english = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=15_000_000), locale="en")
    assert "* Not certain (sources differ); ** only from secondary sources;" in english.text


async def test_jkp_line_before_2025_names_the_jkm_share(app: App) -> None:
    answer = await ask(app, Intent.CONTRIBUTION_PU, Slots(money=3_500_000), on=date(2024, 6, 1))
    assert "JKP 0,46 %: 0,22 % pemerintah + 0,14 % JKK + 0,1 % JKM" in answer.text
