"""PU and BPU contribution calculators on the shipped facts (reference worked examples)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.calculators.contributions import (
    BpuRates,
    PuRates,
    bpu_contributions,
    pu_contributions,
)
from tests.bot.calculators.shipped import TODAY, fact


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


@given(st.integers(min_value=1, max_value=10_000_000_000))
def test_pu_worker_share_is_jht_on_wage_plus_jp_on_capped_wage(wage: int) -> None:
    result = pu_contributions(Decimal(wage), pu_rates())
    cap = result.jp_cap.amount
    expected = Decimal(wage) * 2 / 100 + min(Decimal(wage), cap) / 100
    assert abs(result.worker_total - expected) <= 1
    assert result.employer_total(1) <= result.employer_total(5)


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


def test_bpu_discount_is_not_in_force_after_march_2027() -> None:
    with pytest.raises(AssertionError, match="no shipped fact"):
        fact("discount.bpu.percent", date(2027, 4, 1))


def test_bpu_income_below_lowest_band_uses_lowest_band() -> None:
    assert bpu_contributions(Decimal(500_000), bpu_rates()).base_total == 16_800


def test_bpu_income_above_lowest_band_is_an_estimate_capped_at_top_jkk() -> None:
    middle = bpu_contributions(Decimal(3_000_000), bpu_rates())
    assert [middle.jkk, middle.jht] == [30_000, 60_000]
    assert middle.estimate
    top = bpu_contributions(Decimal(50_000_000), bpu_rates())
    assert top.jkk == 207_000


@given(st.integers(min_value=0, max_value=10_000_000_000))
def test_bpu_never_below_the_lowest_package(income: int) -> None:
    result = bpu_contributions(Decimal(income), bpu_rates(discounted=True))
    assert result.base_total >= 16_800
    assert result.discounted_total <= result.base_total
    assert result.with_jht == result.base_total + result.jht
