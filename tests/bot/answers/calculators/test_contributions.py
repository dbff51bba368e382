"""PU and BPU contribution calculators on the shipped facts (reference worked examples)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.answers.calculators.contributions import (
    BpuRates,
    PuRates,
    bpu_contributions,
    pu_contributions,
)
from bot.app import App
from bot.domain.intents import Intent
from bot.store import Unknown
from tests.bot.answers.calculators.shipped import TODAY, fact
from tests.handlers.asking import ask


def pu_rates(on: date = TODAY) -> PuRates:
    return PuRates(
        jht_employer=fact("jht.rate.employer", on),
        jht_worker=fact("jht.rate.worker", on),
        jp_employer=fact("jp.rate.employer", on),
        jp_worker=fact("jp.rate.worker", on),
        jp_wage_cap=fact("jp.wage_cap", on),
        jkm=fact("pu.jkm.rate", on),
        jkk_classes=tuple(fact(f"pu.jkk.class{n}", on) for n in range(1, 6)),
    )


def bpu_rates(on: date = TODAY, *, discounted: bool = False) -> BpuRates:
    return BpuRates(
        min_income=fact("bpu.min_income", on),
        jkk_rate=fact("bpu.jkk.rate", on),
        jkk_min=fact("bpu.jkk.min", on),
        jkk_max=fact("bpu.jkk.max", on),
        jkm=fact("bpu.jkm", on),
        jht_rate=fact("bpu.jht.rate", on),
        discount=fact("discount.bpu.percent", on) if discounted else None,
    )


def test_wage_3_5_million_worker_pays_jht_70000_and_jp_35000() -> None:
    result = pu_contributions(Decimal(3_500_000), pu_rates())
    employer_jht, worker_jht = result.jht
    employer_jp, worker_jp = result.jp
    assert worker_jht.amount == 70_000
    assert worker_jp.amount == 35_000
    assert employer_jht.amount == 129_500
    assert employer_jp.amount == 70_000
    assert result.worker_total == 105_000
    assert not result.jp_capped
    assert worker_jht.rate.source == "PP 46/2015"
    assert worker_jp.rate.source == "PP 45/2015"


def test_reference_example_wage_10_million_medium_risk() -> None:
    """Reference §3.1: worker JHT 200.000 + JP 100.000; employer JHT 370.000, JKK 89.000,
    JKM 30.000, JP 200.000 (cap not reached)."""
    result = pu_contributions(Decimal(10_000_000), pu_rates())
    assert [share.amount for share in result.jht] == [370_000, 200_000]
    assert [share.amount for share in result.jp] == [200_000, 100_000]
    assert result.jkk[2].amount == 89_000
    assert result.jkm.amount == 30_000
    assert result.employer_total(3) == 370_000 + 200_000 + 89_000 + 30_000


def test_jkk_covers_all_five_risk_classes() -> None:
    result = pu_contributions(Decimal(3_500_000), pu_rates())
    assert [share.amount for share in result.jkk] == [8_400, 18_900, 31_150, 44_450, 60_900]
    assert all(share.payer == "employer" for share in result.jkk)


def test_jp_uses_the_wage_cap_in_force_on_the_day() -> None:
    wage = Decimal(15_000_000)
    now = pu_contributions(wage, pu_rates(TODAY))
    assert now.jp_capped and now.jp_cap.amount == 11_086_300
    assert now.jp[1].amount == 110_863  # 1 % of the 2026 cap
    assert now.jp_cap.status == "secondary"
    mid_2024 = pu_contributions(wage, pu_rates(date(2024, 6, 1)))
    assert mid_2024.jp[1].amount == 100_423  # 1 % of Rp 10.042.300
    assert mid_2024.jp_cap.status == "vetted"
    # January and February keep the previous year's cap.
    assert pu_rates(date(2026, 2, 15)).jp_wage_cap.amount == 10_547_400


def test_wage_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        pu_contributions(Decimal(0), pu_rates())


def test_reference_rules_wage_20_million_jht_uncapped_jp_on_the_2026_cap() -> None:
    """Reference §3.1 and §1.5: JHT has no cap (2 % + 3,7 % of Rp 20 jt); JP is 1 % + 2 % of
    the 2026 cap Rp 11.086.300."""
    result = pu_contributions(Decimal(20_000_000), pu_rates())
    assert [share.amount for share in result.jht] == [740_000, 400_000]
    assert [share.amount for share in result.jp] == [221_726, 110_863]
    assert result.worker_total == 510_863
    assert result.jkm.amount == 60_000
    assert result.employer_total(1) == 740_000 + 221_726 + 60_000 + 48_000


def test_jp_cap_boundary_wage_equal_to_the_cap_is_not_capped() -> None:
    at_cap = pu_contributions(Decimal(11_086_300), pu_rates())
    assert not at_cap.jp_capped and at_cap.jp[1].amount == 110_863
    above = pu_contributions(Decimal(11_086_301), pu_rates())
    assert above.jp_capped and above.jp[1].amount == 110_863
    assert above.jht[1].amount == 221_726  # 2 % of the whole wage, rounded half up


def test_bpu_lowest_band_16800_and_36800_with_jht() -> None:
    result = bpu_contributions(None, bpu_rates())
    assert result.income == 1_000_000
    assert [result.jkk, result.jkm, result.jht] == [10_000, 6_800, 20_000]
    assert result.base_total == 16_800
    assert result.with_jht == 36_800
    assert not result.estimate


def test_bpu_transport_discount_halves_jkk_and_jkm_not_jht() -> None:
    result = bpu_contributions(None, bpu_rates(discounted=True))
    assert result.discounted_total == 8_400
    assert result.discounted_with_jht == 28_400
    discount = fact("discount.bpu.percent")
    assert discount.source.startswith("PP 50/2025")
    assert (discount.valid_from, discount.valid_to) == (date(2026, 1, 1), date(2027, 3, 31))


async def test_bpu_discount_is_not_in_force_after_march_2027(app: App) -> None:
    last_day, after = date(2027, 3, 31), date(2027, 4, 1)
    assert isinstance(app.store.facts.current("discount.bpu.percent", after), Unknown)
    during = await ask(app, Intent.CONTRIBUTION_BPU, on=last_day)
    assert "Diskon 50 % JKK+JKM s.d. Maret 2027" in during.text
    answer = await ask(app, Intent.CONTRIBUTION_BPU, on=after)
    assert "= Rp 16.800 sebulan" in answer.text and "jadi Rp 36.800 sebulan" in answer.text
    assert "Diskon" not in answer.text and "Rp 8.400" not in answer.text


def test_bpu_income_below_lowest_band_uses_lowest_band() -> None:
    result = bpu_contributions(Decimal(500_000), bpu_rates())
    assert result.base_total == 16_800 and result.with_jht == 36_800
    assert result.income == 1_000_000 and result.raised and not result.capped


def test_bpu_income_above_lowest_band_is_an_estimate_capped_at_top_jkk() -> None:
    middle = bpu_contributions(Decimal(3_000_000), bpu_rates())
    assert [middle.jkk, middle.jht] == [30_000, 60_000]
    assert middle.estimate
    top = bpu_contributions(Decimal(50_000_000), bpu_rates())
    assert top.jkk == 207_000
    # Reference §3.2: JHT is 2 % of the declared band; the top band is where JKK (1 %) reaches
    # Rp 207.000, i.e. Rp 20.700.000, so JHT stops at Rp 414.000 (not 2 % of Rp 50 jt).
    assert top.income == 20_700_000 and top.capped and not top.raised
    assert top.jht == 414_000
    assert top.with_jht == 207_000 + 6_800 + 414_000
    at_top = bpu_contributions(Decimal(20_700_000), bpu_rates())
    assert at_top.jkk == 207_000 and at_top.jht == 414_000 and not at_top.capped


@given(st.integers(min_value=0, max_value=10_000_000_000))
def test_bpu_never_below_the_lowest_package(income: int) -> None:
    result = bpu_contributions(Decimal(income), bpu_rates(discounted=True))
    assert result.base_total >= 16_800
    assert result.discounted_total <= result.base_total
    assert result.with_jht == result.base_total + result.jht
    assert result.jht <= 414_000  # never above 2 % of the top band
