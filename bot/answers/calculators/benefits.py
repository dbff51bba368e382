"""Benefit amounts: JKP cash for a wage, JKM and JKK sums, scholarship per level."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.answers.calculators.money import percent_of, whole
from bot.store import Fact


@dataclass(frozen=True, slots=True, kw_only=True)
class JkpRules:
    percent: Fact  # of the capped wage, for the first `months`
    months: Fact
    later_percent: Fact  # a second stage (PP 37/2021); 0 months when there is none
    later_months: Fact
    wage_cap: Fact


@dataclass(frozen=True, slots=True, kw_only=True)
class JkpCash:
    base: Decimal  # the wage used, capped
    capped: bool
    monthly: Decimal
    months: int
    later_monthly: Decimal
    later_months: int

    @property
    def total(self) -> Decimal:
        return self.monthly * self.months + self.later_monthly * self.later_months


def jkp_cash(wage: Decimal, rules: JkpRules) -> JkpCash:
    """Cash benefit per month for the last reported wage, the wage counted up to the cap."""
    if wage <= 0:
        raise ValueError("wage must be positive")
    base = min(wage, rules.wage_cap.amount)
    return JkpCash(
        base=base,
        capped=wage > rules.wage_cap.amount,
        monthly=percent_of(base, rules.percent),
        months=int(rules.months.amount),
        later_monthly=percent_of(base, rules.later_percent),
        later_months=int(rules.later_months.amount),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class JkmCash:
    lump_sum: Fact
    periodic: Fact
    funeral: Fact

    @property
    def total(self) -> Decimal:
        return self.lump_sum.amount + self.periodic.amount + self.funeral.amount


def jkm_cash(*, lump_sum: Fact, periodic: Fact, funeral: Fact) -> JkmCash:
    """Cash to heirs for a death not caused by work (scholarship comes on top)."""
    return JkmCash(lump_sum=lump_sum, periodic=periodic, funeral=funeral)


@dataclass(frozen=True, slots=True, kw_only=True)
class JkkCash:
    wage: Decimal
    death: Decimal  # death from a work accident: multiple of the wage + periodic + funeral
    disability: Decimal  # total permanent disability: multiple of the wage + periodic


def jkk_cash(
    wage: Decimal,
    *,
    death_multiple: Fact,
    disability_multiple: Fact,
    periodic: Fact,
    funeral: Fact,
) -> JkkCash:
    if wage <= 0:
        raise ValueError("wage must be positive")
    return JkkCash(
        wage=wage,
        death=whole(wage * death_multiple.amount) + periodic.amount + funeral.amount,
        disability=whole(wage * disability_multiple.amount) + periodic.amount,
    )


@dataclass(frozen=True, slots=True)
class Level:
    """One school level: a yearly amount per child for at most `years` years."""

    name: str
    amount: Fact
    years: Fact

    @property
    def total(self) -> Decimal:
        return self.amount.amount * self.years.amount


@dataclass(frozen=True, slots=True, kw_only=True)
class Scholarship:
    levels: tuple[Level, ...]
    children: Fact
    max_total: Fact

    @property
    def per_child(self) -> Decimal:
        return sum((level.total for level in self.levels), Decimal(0))

    @property
    def total(self) -> Decimal:
        """All levels for the maximum number of children, never above the stated maximum."""
        return min(self.per_child * self.children.amount, self.max_total.amount)


def scholarship(levels: tuple[Level, ...], *, children: Fact, max_total: Fact) -> Scholarship:
    return Scholarship(levels=levels, children=children, max_total=max_total)
