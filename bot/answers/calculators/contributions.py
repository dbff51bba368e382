"""Monthly contributions: wage earners (PU) per program and payer, non-wage earners (BPU)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from bot.answers.calculators.money import less_percent, percent_of
from bot.store import Fact

Payer = Literal["employer", "worker"]

_HUNDRED: Final = Decimal(100)


@dataclass(frozen=True, slots=True)
class Share:
    """One program's contribution paid by one party: `rate` applied to `base`."""

    program: str
    payer: Payer
    rate: Fact
    base: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class PuRates:
    jht_employer: Fact
    jht_worker: Fact
    jp_employer: Fact
    jp_worker: Fact
    jp_wage_cap: Fact
    jkm: Fact
    jkk_classes: tuple[Fact, ...]  # risk class 1 (very low) .. 5 (very high)


@dataclass(frozen=True, slots=True, kw_only=True)
class PuContributions:
    wage: Decimal
    jht: tuple[Share, Share]  # employer, worker
    jp: tuple[Share, Share]  # employer, worker, on the wage capped at `jp_cap`
    jp_cap: Fact
    jp_capped: bool
    jkm: Share
    jkk: tuple[Share, ...]  # one per risk class, employer only

    @property
    def worker_total(self) -> Decimal:
        return self.jht[1].amount + self.jp[1].amount

    def employer_total(self, risk_class: int) -> Decimal:
        """Employer's monthly total for risk class `risk_class` (1-based)."""
        fixed = self.jht[0].amount + self.jp[0].amount + self.jkm.amount
        return fixed + self.jkk[risk_class - 1].amount


def pu_contributions(wage: Decimal, rates: PuRates) -> PuContributions:
    """JHT has no wage cap; JP uses the wage up to the cap in force; JKK and JKM are employer's."""
    if wage <= 0:
        raise ValueError("wage must be positive")
    jp_base = min(wage, rates.jp_wage_cap.amount)

    def share(program: str, payer: Payer, rate: Fact, base: Decimal) -> Share:
        return Share(program, payer, rate, base, percent_of(base, rate))

    return PuContributions(
        wage=wage,
        jht=(
            share("jht", "employer", rates.jht_employer, wage),
            share("jht", "worker", rates.jht_worker, wage),
        ),
        jp=(
            share("jp", "employer", rates.jp_employer, jp_base),
            share("jp", "worker", rates.jp_worker, jp_base),
        ),
        jp_cap=rates.jp_wage_cap,
        jp_capped=wage > rates.jp_wage_cap.amount,
        jkm=share("jkm", "employer", rates.jkm, wage),
        jkk=tuple(share("jkk", "employer", rate, wage) for rate in rates.jkk_classes),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class BpuRates:
    min_income: Fact  # lowest declared income band
    jkk_rate: Fact
    jkk_min: Fact
    jkk_max: Fact
    jkm: Fact
    jht_rate: Fact
    discount: Fact | None = None  # percent off JKK and JKM while in force


@dataclass(frozen=True, slots=True, kw_only=True)
class BpuContributions:
    income: Decimal  # the declared income used: between the lowest and the top band
    raised: bool  # the income given was below the lowest band, which is used instead
    capped: bool  # the income given was above the top band, which is used instead
    jkk: Decimal
    jkm: Decimal
    jht: Decimal
    estimate: bool  # above the lowest band: the official band table is not confirmed
    discount: Fact | None
    jkk_discounted: Decimal
    jkm_discounted: Decimal

    @property
    def base_total(self) -> Decimal:
        """JKK + JKM, the base package."""
        return self.jkk + self.jkm

    @property
    def with_jht(self) -> Decimal:
        return self.base_total + self.jht

    @property
    def discounted_total(self) -> Decimal:
        return self.jkk_discounted + self.jkm_discounted

    @property
    def discounted_with_jht(self) -> Decimal:
        return self.discounted_total + self.jht


def bpu_top_income(rates: BpuRates) -> Decimal:
    """The top declared income band: the income whose JKK percent is the top JKK."""
    return rates.jkk_max.amount * _HUNDRED / rates.jkk_rate.amount


def bpu_contributions(income: Decimal | None, rates: BpuRates) -> BpuContributions:
    """JKK (a percent) and optional JHT (a percent) of the declared income band, JKM flat.

    The income used lies between the lowest band and the top band (the income where JKK reaches
    its maximum), so JKK and JHT are capped alike; a discount in force cuts JKK and JKM, never
    JHT. The bands in between are not confirmed (reference 3.2): such sums are estimates.
    """
    lowest, top = rates.min_income.amount, bpu_top_income(rates)
    given = income if income is not None else lowest
    declared = min(max(given, lowest), top)
    jkk = min(
        max(percent_of(declared, rates.jkk_rate), rates.jkk_min.amount), rates.jkk_max.amount
    )
    jkm = rates.jkm.amount
    discount = rates.discount
    return BpuContributions(
        income=declared,
        raised=given < lowest,
        capped=given > top,
        jkk=jkk,
        jkm=jkm,
        jht=percent_of(declared, rates.jht_rate),
        estimate=declared > lowest,
        discount=discount,
        jkk_discounted=less_percent(jkk, discount) if discount else jkk,
        jkm_discounted=less_percent(jkm, discount) if discount else jkm,
    )
