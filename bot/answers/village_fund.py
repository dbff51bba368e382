"""Village-fund helper: how many vulnerable workers a sum protects, from the BPU base rate.

The monthly base contribution is JKK of the lowest BPU income band plus JKM, both read
from the fact store (never a literal). PP 50/2025's discount is not applied: it excludes
BPU whose contributions are paid from government budgets, as a village fund is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.core.context import HandlerContext
from bot.domain.messages import Reply
from bot.store import Unknown

JKK_KEY = "bpu.jkk.min"
JKM_KEY = "bpu.jkm"
MONTHS_PER_YEAR = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class FundCoverage:
    monthly: Decimal  # contribution per worker per month
    worker_months: int  # e.g. 2,976 = 248 workers for 12 months
    workers_for_year: int


def fund_coverage(amount: Decimal | int, monthly: Decimal) -> FundCoverage:
    if monthly <= 0:
        raise ValueError("monthly contribution must be positive")
    total = Decimal(amount)
    return FundCoverage(
        monthly=monthly,
        worker_months=int(total // monthly),
        workers_for_year=int(total // (monthly * MONTHS_PER_YEAR)),
    )


def fund_reply(ctx: HandlerContext, amount: int) -> Reply:
    """The answer to "dana desa Rp 50 juta cukup untuk berapa pekerja rentan?".

    Also meant for the `region_budget` handler when the question carries a sum of money.
    """
    jkk, jkm = ctx.fact(JKK_KEY), ctx.fact(JKM_KEY)
    if isinstance(jkk, Unknown) or isinstance(jkm, Unknown) or amount <= 0:
        return Reply(text=ctx.unknown_text())
    coverage = fund_coverage(amount, jkk.amount + jkm.amount)
    money = ctx.fmt.money_short(amount)
    if coverage.worker_months == 0:
        text = ctx.t(
            "villages.fund.too_small", amount=money, monthly=ctx.fmt.money(coverage.monthly)
        )
    else:
        text = ctx.t(
            "villages.fund.answer",
            amount=money,
            workers=ctx.fmt.number(coverage.workers_for_year),
            worker_months=ctx.fmt.number(coverage.worker_months),
            monthly=ctx.fmt.money(coverage.monthly),
            jkk=ctx.fmt.money(jkk.amount),
            jkm=ctx.fmt.money(jkm.amount),
        )
    return Reply(text=f"{text}\n{ctx.source_line(jkk, jkm)}")
