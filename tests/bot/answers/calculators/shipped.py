"""The facts shipped in bot/store/seed/facts.csv, read without a database, by date."""

from __future__ import annotations

from datetime import date
from functools import cache

from bot.store import Fact
from bot.store.seeding import FACTS_FILE, parse_facts, read_seed_file

TODAY = date(2026, 11, 23)


@cache
def shipped() -> tuple[Fact, ...]:
    return tuple(parse_facts(read_seed_file(FACTS_FILE)))


def history(key: str) -> list[Fact]:
    return sorted((f for f in shipped() if f.key == key), key=lambda f: f.valid_from)


def fact(key: str, on: date = TODAY) -> Fact:
    """The shipped fact in force on `on` (fails the test when there is none)."""
    for candidate in reversed(history(key)):
        if candidate.in_force(on):
            return candidate
    raise AssertionError(f"no shipped fact {key} in force on {on}")
