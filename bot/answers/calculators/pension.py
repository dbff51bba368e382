"""JP pension age: the age schedule in force each year, and when a birth year reaches it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from decimal import Decimal

from bot.store import Fact

# How far past the first scheduled age a search goes; the schedule ends well within it.
_SEARCH_YEARS = 30


@dataclass(frozen=True, slots=True)
class PensionStart:
    """The year a person reaches the pension age, the age then, and the rule that sets it."""

    year: int
    age: int
    rule: Fact


def age_in_year(schedule: Sequence[Fact], year: int) -> Fact | None:
    """The pension-age fact in force on 1 January of `year` (changes happen on 1 January),
    or, in the year the schedule starts, the one in force at the end of that year."""
    if not MINYEAR <= year <= MAXYEAR:
        return None
    for day in (date(year, 1, 1), date(year, 12, 31)):
        for fact in reversed(schedule):
            if fact.in_force(day):
                return fact
    return None


def pension_start(birth_year: int, schedule: Sequence[Fact]) -> PensionStart | None:
    """First year in which the person's age reaches the pension age in force that year.

    None when the schedule does not cover the years needed.
    """
    if not schedule:
        return None
    youngest = min(int(fact.amount) for fact in schedule)
    first = max(birth_year + youngest, min(fact.valid_from.year for fact in schedule))
    for year in range(first, first + _SEARCH_YEARS + 1):
        rule = age_in_year(schedule, year)
        if rule is None:
            continue
        if year - birth_year >= int(rule.amount):
            return PensionStart(year=year, age=year - birth_year, rule=rule)
    return None


def next_change(schedule: Sequence[Fact], on: date) -> Fact | None:
    """The next scheduled pension age after the one in force on `on`."""
    for fact in schedule:
        if fact.valid_from > on:
            return fact
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class PensionEstimate:
    """A monthly JP pension estimate: accrual % × years × wage (capped), within the bounds."""

    wage_used: Decimal  # the wage, or the wage cap when the wage is above it
    capped: bool
    raw: Decimal  # before the minimum and maximum benefit
    monthly: Decimal | None  # None below the minimum years: a lump sum, not a pension
    bound: str  # "min", "max" or "" when the minimum or maximum benefit applied


def estimate_pension(
    *,
    wage: Decimal,
    years: int,
    accrual_percent: Decimal,
    wage_cap: Decimal,
    min_years: int,
    min_benefit: Decimal,
    max_benefit: Decimal,
) -> PensionEstimate:
    """PP 45/2015 Ps 17: 1 % × (months of membership / 12) × average wage; the average wage is
    taken as today's wage (capped), so the estimate ignores indexation and wage history."""
    wage_used = min(wage, wage_cap)
    raw = (accrual_percent / Decimal(100) * Decimal(years) * wage_used).quantize(Decimal(1))
    if years < min_years:
        return PensionEstimate(
            wage_used=wage_used, capped=wage > wage_cap, raw=raw, monthly=None, bound=""
        )
    monthly, bound = raw, ""
    if raw < min_benefit:
        monthly, bound = min_benefit, "min"
    elif raw > max_benefit:
        monthly, bound = max_benefit, "max"
    return PensionEstimate(
        wage_used=wage_used, capped=wage > wage_cap, raw=raw, monthly=monthly, bound=bound
    )
