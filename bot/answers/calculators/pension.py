"""JP pension age: the age schedule in force each year, and when a birth year reaches it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date

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
