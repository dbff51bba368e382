"""JKP, JKM, JKK and scholarship amounts on the shipped facts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.answers.calculators.benefits import (
    JkpRules,
    Level,
    jkk_cash,
    jkm_cash,
    jkp_cash,
    scholarship,
)
from tests.bot.answers.calculators.shipped import TODAY, fact


def jkp_rules(on: date = TODAY) -> JkpRules:
    return JkpRules(
        percent=fact("jkp.benefit_percent", on),
        months=fact("jkp.benefit_months", on),
        later_percent=fact("jkp.later_percent", on),
        later_months=fact("jkp.later_months", on),
        wage_cap=fact("jkp.wage_cap", on),
    )


def test_jkp_for_a_4_million_wage_is_2_4_million_a_month() -> None:
    cash = jkp_cash(Decimal(4_000_000), jkp_rules())
    assert cash.monthly == 2_400_000
    assert cash.months == 6
    assert cash.total == 14_400_000
    assert not cash.capped
    assert jkp_rules().percent.source == "PP 6/2025 Ps 21(1)"


def test_jkp_wage_is_capped_at_5_million() -> None:
    cash = jkp_cash(Decimal(9_000_000), jkp_rules())
    assert cash.capped and cash.base == 5_000_000
    assert cash.monthly == 3_000_000
    assert cash.total == 18_000_000


def test_jkp_before_pp_6_2025_paid_45_then_25_percent() -> None:
    cash = jkp_cash(Decimal(5_000_000), jkp_rules(date(2024, 12, 1)))
    assert cash.monthly == 2_250_000
    assert cash.months == 3
    assert cash.later_monthly == 1_250_000
    assert cash.later_months == 3
    assert cash.total == 10_500_000


@given(st.integers(min_value=1, max_value=10_000_000_000))
def test_jkp_monthly_never_exceeds_60_percent_of_the_cap(wage: int) -> None:
    cash = jkp_cash(Decimal(wage), jkp_rules())
    assert cash.monthly <= 3_000_000
    assert cash.total == cash.monthly * 6


def test_jkm_pays_42_million_now_and_24_million_before_pp_82_2019() -> None:
    now = jkm_cash(
        lump_sum=fact("jkm.lump_sum"), periodic=fact("jkm.periodic"), funeral=fact("jkm.funeral")
    )
    assert now.total == 42_000_000
    assert now.lump_sum.source == "PP 82/2019"
    before = date(2019, 1, 1)
    old = jkm_cash(
        lump_sum=fact("jkm.lump_sum", before),
        periodic=fact("jkm.periodic", before),
        funeral=fact("jkm.funeral", before),
    )
    assert old.total == 24_000_000
    assert old.periodic.status == "uncertain"  # Rp 4,8 jt vs Rp 6 jt in the sources


def test_jkk_death_at_the_lowest_bpu_band_plus_scholarship_is_244_million() -> None:
    cash = jkk_cash(
        Decimal(1_000_000),
        death_multiple=fact("jkk.death_wage_multiple"),
        disability_multiple=fact("jkk.disability_wage_multiple"),
        periodic=fact("jkk.periodic"),
        funeral=fact("jkk.funeral"),
    )
    assert cash.death == 70_000_000  # 48 jt + 12 jt + 10 jt
    assert cash.disability == 68_000_000  # 56 jt + 12 jt
    assert cash.death + fact("scholarship.max_total").amount == 244_000_000


def _levels(on: date = TODAY) -> tuple[Level, ...]:
    return tuple(
        Level(name, fact(f"scholarship.{name}.amount", on), fact(f"scholarship.{name}.years", on))
        for name in ("tk", "sd", "smp", "sma", "pt")
    )


def test_scholarship_is_87_million_per_child_and_174_million_for_two() -> None:
    result = scholarship(
        _levels(),
        children=fact("scholarship.max_children"),
        max_total=fact("scholarship.max_total"),
    )
    assert [level.total for level in result.levels] == [
        3_000_000,
        9_000_000,
        6_000_000,
        9_000_000,
        60_000_000,
    ]
    assert result.per_child == 87_000_000
    assert result.total == 174_000_000


def test_scholarship_before_april_2021_was_one_child_12_million() -> None:
    before = date(2021, 3, 1)
    assert fact("scholarship.max_children", before).amount == 1
    assert fact("scholarship.max_total", before).amount == 12_000_000
