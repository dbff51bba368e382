"""The gazetteer: Kemendagri provinces, regencies/cities, districts and villages."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

from bot.regions.index import near_names
from bot.regions.model import LEVELS, Level, Region, RegionName, ancestor_codes
from bot.regions.names import query_names, search_name
from bot.store.database import Database, Writer

_COLUMNS = "code, name, level, parent_code"
_BATCH = 900  # bound parameters per IN (...) query, below SQLite's limit
_LOAD_BATCH = 10_000


def _level(value: str) -> Level:
    for level in LEVELS:
        if level == value:
            return level
    raise ValueError(f"unknown region level {value!r}")


def _region(row: Mapping[str, str | None]) -> Region:
    return Region(
        code=str(row["code"]),
        name=str(row["name"]),
        level=_level(str(row["level"])),
        parent_code=row["parent_code"],
    )


class RegionRepository:
    """Read access to the gazetteer; the shipped CSVs are loaded by `replace_all`."""

    def __init__(self, db: Database):
        self._db = db

    async def get(self, code: str) -> Region | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM regions WHERE code = ?", (code,))
        return _region(dict(row)) if row else None

    async def get_many(self, codes: Iterable[str]) -> dict[str, Region]:
        found: dict[str, Region] = {}
        wanted = list(dict.fromkeys(codes))
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(batch))
            rows = await self._db.fetch_all(
                f"SELECT {_COLUMNS} FROM regions WHERE code IN ({marks})", batch
            )
            for row in rows:
                region = _region(dict(row))
                found[region.code] = region
        return found

    async def existing(self, codes: Iterable[str]) -> set[str]:
        """The subset of `codes` that are in the gazetteer (validating imports)."""
        found: set[str] = set()
        wanted = list(set(codes))
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(batch))
            rows = await self._db.fetch_all(
                f"SELECT code FROM regions WHERE code IN ({marks})", batch
            )
            found.update(str(row["code"]) for row in rows)
        return found

    async def children(self, code: str) -> list[Region]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM regions WHERE parent_code = ? ORDER BY code", (code,)
        )
        return [_region(dict(row)) for row in rows]

    async def lineage(self, code: str) -> list[Region]:
        """The region and everything above it, province first ([] for an unknown code)."""
        codes = ancestor_codes(code)
        found = await self.get_many(codes)
        if code not in found:
            return []
        return [found[c] for c in codes if c in found]

    async def villages_under(self, code: str) -> list[Region]:
        """Every village inside a province, regency or district (by code prefix)."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM regions WHERE code > ? AND code < ? AND level = 'village'"
            " ORDER BY code",
            (f"{code}.", f"{code}/"),  # "/" sorts right after ".": the prefix range
        )
        return [_region(dict(row)) for row in rows]

    async def provinces(self) -> list[Region]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM regions WHERE level = 'province' ORDER BY code"
        )
        return [_region(dict(row)) for row in rows]

    async def search(self, name: str, *, level: Level | None = None) -> list[Region]:
        """Regions whose folded name equals the folded `name` ("kab." or "desa" ignored)."""
        names = query_names(name)
        marks = ", ".join("?" * len(names))
        sql = f"SELECT {_COLUMNS} FROM regions WHERE search_name IN ({marks})"
        if level is None:
            rows = await self._db.fetch_all(f"{sql} ORDER BY code", names)
        else:
            rows = await self._db.fetch_all(f"{sql} AND level = ? ORDER BY code", [*names, level])
        return [_region(dict(row)) for row in rows]

    async def near(self, name: str, *, level: Level) -> list[tuple[Region, int]]:
        """Regions at `level` one or two typos from `name` ("telok melano" → Teluk Melano),
        nearest first, with their edit distance."""
        folded = query_names(name)[-1]
        if not folded:
            return []
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS}, search_name FROM regions"
            " WHERE level = ? AND search_name >= ? AND search_name < ?",
            (level, folded[0], chr(ord(folded[0]) + 1)),
        )
        by_name: dict[str, list[Region]] = {}
        for row in rows:
            by_name.setdefault(row["search_name"], []).append(_region(dict(row)))
        return [
            (region, distance)
            for found, distance in near_names(folded, by_name)
            for region in by_name[found]
        ]

    async def count(self) -> int:
        row = await self._db.fetch_one("SELECT count(*) FROM regions")
        return int(row[0]) if row else 0

    async def all(self) -> list[Region]:
        """The whole gazetteer (~92,000 rows), in code order: for building in-memory indexes."""
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM regions ORDER BY code")
        return [
            Region(code=row[0], name=row[1], level=_level(row[2]), parent_code=row[3])
            for row in rows
        ]

    async def names_page(self, after: str = "", limit: int = 10_000) -> list[RegionName]:
        """The next `limit` regions in code order after `after`, as compact name entries.

        Paging keeps memory flat while an index of the whole gazetteer is built.
        """
        rows = await self._db.fetch_all(
            "SELECT code, level, search_name, name LIKE 'Kota %' FROM regions"
            " WHERE code > ? ORDER BY code LIMIT ?",
            (after, limit),
        )
        return [
            RegionName(code=row[0], level=_level(row[1]), search_name=row[2], city=bool(row[3]))
            for row in rows
        ]

    async def replace_all(self, regions: Iterable[Region]) -> int:
        """Replace the whole gazetteer in one transaction (bulk insert, 10,000 rows a batch).

        `regions` may be a generator (e.g. parsing the shipped CSVs): it is advanced in a
        worker thread, batch by batch, so neither parsing nor memory piles up.
        """
        source = iter(regions)
        count = 0
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM regions")
            while rows := await asyncio.to_thread(_rows, source, _LOAD_BATCH):
                await _insert(tx, rows)
                count += len(rows)
        return count


def _rows(regions: Iterator[Region], limit: int) -> list[tuple[str | None, ...]]:
    return [
        (r.code, r.name, r.level, r.parent_code, search_name(r.name, r.level))
        for r in islice(regions, limit)
    ]


async def _insert(tx: Writer, rows: list[tuple[str | None, ...]]) -> None:
    await tx.executemany(
        "INSERT INTO regions (code, name, level, parent_code, search_name) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
