"""JP pension age: the schedule in force each year, and when a birth year reaches it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers.calculators.pension import age_in_year, next_change, pension_start
from tests.bot.answers.calculators.shipped import history

SCHEDULE = history("jp.pension_age")


@pytest.mark.parametrize(
    ("year", "age"),
    [
        (2015, 56),
        (2018, 56),
        (2019, 57),
        (2024, 58),
        (2026, 59),
        (2027, 59),
        (2028, 60),
        (2031, 61),
        (2043, 65),
        (2060, 65),
    ],
)
def test_age_in_force_each_year(year: int, age: int) -> None:
    rule = age_in_year(SCHEDULE, year)
    assert rule is not None and rule.amount == age
    assert rule.source == "PP 45/2015 Ps 15"


@pytest.mark.parametrize(
    ("birth_year", "year", "age"),
    [
        (1962, 2018, 56),  # 56 in 2018, when 56 applies
        (1963, 2020, 57),  # 56 in 2019 is too young (57 applies); 57 in 2020
        (1967, 2026, 59),  # 58 in 2025 is too young; 59 in 2026
        (1968, 2027, 59),
        (1969, 2029, 60),  # 59 in 2028, when 60 applies; 60 in 2029
        (1970, 2030, 60),
        (1971, 2032, 61),
        (1990, 2055, 65),
    ],
)
def test_pension_start_for_a_birth_year(birth_year: int, year: int, age: int) -> None:
    start = pension_start(birth_year, SCHEDULE)
    assert start is not None
    assert (start.year, start.age) == (year, age)


@pytest.mark.parametrize("year", [-5, 0, 10_000, 10**9])
def test_years_outside_the_calendar_have_no_answer(year: int) -> None:
    assert age_in_year(SCHEDULE, year) is None
    start = pension_start(year, SCHEDULE)  # never raises; far-off years have no answer
    assert start is None or start.age > start.rule.amount


def test_without_a_schedule_there_is_no_answer() -> None:
    assert pension_start(1970, []) is None
    assert age_in_year([], 2026) is None


def test_next_change_after_today_is_60_in_2028() -> None:
    upcoming = next_change(SCHEDULE, date(2026, 11, 23))
    assert upcoming is not None
    assert upcoming.valid_from == date(2028, 1, 1)
    assert upcoming.amount == 60
    assert next_change(SCHEDULE, date(2043, 1, 2)) is None
