"""Babel formatting per locale: what users read on their phones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.formatting import Formatter


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (16_800, "Rp 16.800"),
        (3_500_000, "Rp 3.500.000"),
        (0, "Rp 0"),
        (Decimal(36_800), "Rp 36.800"),
    ],
)
def test_money_in_indonesian(amount: int | Decimal, expected: str) -> None:
    assert Formatter("id").money(amount) == expected


def test_large_sums_in_words() -> None:
    fmt = Formatter("id")
    assert fmt.money_short(4_300_000_000) == "Rp 4,3 miliar"
    assert fmt.money_short(42_000_000) == "Rp 42 juta"
    assert fmt.money_short(750_000) == "Rp 750.000"


def test_english_speakers_read_the_same_rupiah_grouping() -> None:
    fmt = Formatter("en")
    assert fmt.money(16_800) == "Rp 16.800"
    assert fmt.money_short(4_300_000_000) == "Rp 4,3 billion"


def test_percent_and_numbers() -> None:
    fmt = Formatter("id")
    assert fmt.percent(68.02) == "68,02 %"
    assert fmt.percent(Decimal("0.24")) == "0,24 %"
    assert fmt.number(12_345) == "12.345"


def test_dates_are_localized() -> None:
    assert Formatter("id").date(date(2026, 3, 1)) == "1 Maret 2026"
    assert Formatter("en").date(date(2026, 3, 1)) == "1 March 2026"
    assert Formatter("id").month_year(date(2026, 11, 23)) == "November 2026"


def test_clock_times_stored_as_hours_dot_minutes() -> None:
    assert Formatter("id").clock(Decimal("15.30")) == "15.30"
    assert Formatter("en").clock(Decimal("8.00")) == "08.00"
    assert Formatter("id").clock(Decimal("20")) == "20.00"
