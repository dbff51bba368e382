"""Benefit and contribution facts: the rule in force on a date, with its source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from bot.store.database import Database, Writer
from bot.store.models import Fact, FactStatus, Unknown

_COLUMNS = "key, value, unit, valid_from, valid_to, status, source, refs, note"


def _status(value: str) -> FactStatus:
    if value == "vetted":
        return "vetted"
    if value == "secondary":
        return "secondary"
    if value == "uncertain":
        return "uncertain"
    raise ValueError(f"unknown fact status {value!r}")


def fact_from_mapping(row: Mapping[str, str | None]) -> Fact:
    """Build a Fact from text fields (a seed CSV row or a database row)."""
    value = row.get("value")
    valid_to = row.get("valid_to")
    return Fact(
        key=str(row["key"]),
        value=Decimal(value) if value not in (None, "") else None,
        unit=str(row["unit"]),
        valid_from=date.fromisoformat(str(row["valid_from"])),
        valid_to=date.fromisoformat(valid_to) if valid_to else None,
        status=_status(str(row["status"])),
        source=str(row["source"]),
        refs=str(row.get("refs") or ""),
        note=str(row.get("note") or ""),
    )


class FactRepository:
    """Facts are few and read on every answer, so they are held in memory after `load()`.

    Every write goes through this repository, which reloads afterwards, so the copy in
    memory never drifts from the table.
    """

    def __init__(self, db: Database):
        self._db = db
        self._by_key: dict[str, list[Fact]] = {}

    async def load(self) -> None:
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM facts ORDER BY key, valid_from")
        by_key: dict[str, list[Fact]] = {}
        for row in rows:
            fact = fact_from_mapping(dict(row))
            by_key.setdefault(fact.key, []).append(fact)
        self._by_key = by_key

    def current(self, key: str, on: date) -> Fact | Unknown:
        """The fact in force on `on`; the latest start date wins when periods overlap."""
        for fact in reversed(self._by_key.get(key, ())):
            if fact.in_force(on):
                return fact
        return Unknown(key)

    def history(self, key: str) -> list[Fact]:
        return list(self._by_key.get(key, ()))

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(k for k in self._by_key if k.startswith(prefix))

    def all(self) -> list[Fact]:
        return [fact for facts in self._by_key.values() for fact in facts]

    async def replace_origin(self, origin: str, facts: Iterable[Fact]) -> int:
        """Replace every fact of one origin (e.g. the shipped seed) in one transaction."""
        rows = [_to_row(fact, origin) for fact in facts]
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM facts WHERE origin = ?", (origin,))
            await _insert(tx, rows)
        await self.load()
        return len(rows)

    async def add(self, fact: Fact, origin: str) -> None:
        """Add or replace one fact (same key and start date)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM facts WHERE key = ? AND valid_from = ?",
                (fact.key, fact.valid_from.isoformat()),
            )
            await _insert(tx, [_to_row(fact, origin)])
        await self.load()


def _to_row(fact: Fact, origin: str) -> tuple[str | None, ...]:
    return (
        fact.key,
        str(fact.value) if fact.value is not None else None,
        fact.unit,
        fact.valid_from.isoformat(),
        fact.valid_to.isoformat() if fact.valid_to else None,
        fact.status,
        fact.source,
        fact.refs,
        fact.note,
        origin,
    )


async def _insert(tx: Writer, rows: list[tuple[str | None, ...]]) -> None:
    await tx.executemany(
        f"INSERT INTO facts ({_COLUMNS}, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )
