"""Facts with effective dates: the rule in force on a given day, with its source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.store import Fact, Store, Unknown
from bot.store.seeding import parse_facts


def _cap(value: int, start: date, end: date | None, source: str) -> Fact:
    return Fact(
        key="test.jp.wage_cap",
        value=Decimal(value),
        unit="IDR",
        valid_from=start,
        valid_to=end,
        status="vetted",
        source=source,
    )


async def test_the_rule_in_force_on_a_date_is_chosen(store: Store) -> None:
    await store.facts.add(_cap(10_042_300, date(2024, 3, 1), date(2025, 2, 28), "BPJS 2024"), "t")
    await store.facts.add(_cap(10_547_400, date(2025, 3, 1), None, "BPJS 2025"), "t")

    old = store.facts.current("test.jp.wage_cap", date(2024, 12, 31))
    new = store.facts.current("test.jp.wage_cap", date(2026, 11, 23))
    before = store.facts.current("test.jp.wage_cap", date(2023, 1, 1))

    assert isinstance(old, Fact) and old.amount == 10_042_300 and old.source == "BPJS 2024"
    assert isinstance(new, Fact) and new.amount == 10_547_400 and new.year == 2025
    assert before == Unknown("test.jp.wage_cap")
    assert [f.valid_from.year for f in store.facts.history("test.jp.wage_cap")] == [2024, 2025]


async def test_facts_written_are_read_back_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "facts.sqlite3"
    store = await Store.open(path)
    await store.facts.add(_cap(1, date(2025, 1, 1), None, "Uji"), "staff")
    await store.close()

    reopened = await Store.open(path)
    try:
        fact = reopened.facts.current("test.jp.wage_cap", date(2026, 1, 1))
        assert isinstance(fact, Fact) and fact.source == "Uji"
    finally:
        await reopened.close()


async def test_missing_fact_is_unknown_not_zero(store: Store) -> None:
    assert store.facts.current("no.such.fact", date(2026, 1, 1)) == Unknown("no.such.fact")


async def test_shipped_call_centre_fact_has_a_source(store: Store) -> None:
    fact = store.facts.current("contact.call_centre", date(2026, 11, 23))
    assert isinstance(fact, Fact)
    assert fact.amount == 175
    assert fact.source


def test_a_bad_seed_row_names_its_line() -> None:
    raw = (
        b"key,value,unit,valid_from,valid_to,status,source,refs,note\n"
        b"ok.fact,1,IDR,2025-01-01,,vetted,PP 1/2025,,\n"
        b"bad.fact,1,IDR,not-a-date,,vetted,PP 1/2025,,\n"
    )
    with pytest.raises(ValueError, match="line 3"):
        parse_facts(raw)
