"""Rupiah arithmetic: percentages of an amount, rounded to whole rupiah."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from bot.store import Fact

_HUNDRED = Decimal(100)
_RUPIAH = Decimal(1)


def whole(amount: Decimal) -> Decimal:
    """Round to whole rupiah, halves up (as payroll does)."""
    return amount.quantize(_RUPIAH, rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, rate: Fact) -> Decimal:
    """`rate` (a percent fact, e.g. 2 for 2 %) of `base`, in whole rupiah."""
    return whole(base * rate.amount / _HUNDRED)


def less_percent(amount: Decimal, discount: Fact) -> Decimal:
    """`amount` after a percent discount, in whole rupiah."""
    return whole(amount * (_HUNDRED - discount.amount) / _HUNDRED)
