"""Village registration targets with their history, and a village's standing among its peers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from bot.store.database import Database, Row

_COLUMNS = "village_code, year, as_of, target, registered, source"
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True, kw_only=True)
class VillageTarget:
    """How many vulnerable workers a village should register in `year`, and how many it had
    registered on `as_of`."""

    village_code: str
    year: int
    as_of: date
    target: int
    registered: int
    source: str

    @property
    def district_code(self) -> str:
        return district_of(self.village_code)

    @property
    def regency_code(self) -> str:
        return regency_of(self.village_code)

    @property
    def remaining(self) -> int:
        return max(self.target - self.registered, 0)

    @property
    def percent(self) -> Decimal | None:
        """Registered as a percentage of the target (two decimals); None for a zero target."""
        if self.target <= 0:
            return None
        return (Decimal(self.registered) * _HUNDRED / Decimal(self.target)).quantize(
            _CENT, rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Rank:
    """Place among the villages of an area that have figures for the same year (1 = best)."""

    area_code: str
    position: int
    of: int


@dataclass(frozen=True, slots=True, kw_only=True)
class VillageStanding:
    current: VillageTarget
    previous: VillageTarget | None
    district: Rank | None
    regency: Rank | None
    upcoming: VillageTarget | None = None  # a later year's target, shown as a note


def district_of(village_code: str) -> str:
    return village_code.rsplit(".", 1)[0]


def regency_of(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _target(row: Row) -> VillageTarget:
    return VillageTarget(
        village_code=row["village_code"],
        year=int(row["year"]),
        as_of=date.fromisoformat(row["as_of"]),
        target=int(row["target"]),
        registered=int(row["registered"]),
        source=row["source"],
    )


def rank_of(village_code: str, peers: Iterable[VillageTarget], area_code: str) -> Rank | None:
    """Competition ranking by percent reached (ties share a place); None if not ranked."""
    scored = [(p.percent, p.village_code) for p in peers if p.percent is not None]
    mine = next((score for score, code in scored if code == village_code), None)
    if mine is None:
        return None
    better = sum(1 for score, _ in scored if score > mine)
    return Rank(area_code=area_code, position=better + 1, of=len(scored))


def _shown_year(years: Sequence[int], year: int) -> int:
    """`year` if it has figures, else the latest before it, else the first after it."""
    if year in years:
        return year
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else min(years)


class TargetRepository:
    def __init__(self, db: Database):
        self._db = db

    async def upsert_many(self, rows: Sequence[VillageTarget]) -> int:
        """Insert or correct rows keyed by (village, year, as_of); returns rows changed.

        The same data again changes nothing (0); a newer as-of date adds a row next to the
        older ones, which stay as history.
        """
        now = datetime.now(UTC).isoformat()
        params = [
            (
                r.village_code,
                district_of(r.village_code),
                regency_of(r.village_code),
                r.year,
                r.as_of.isoformat(),
                r.target,
                r.registered,
                r.source,
                now,
            )
            for r in rows
        ]
        async with self._db.transaction() as tx:
            return await tx.executemany(
                "INSERT INTO village_targets (village_code, district_code, regency_code, year,"
                " as_of, target, registered, source, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (village_code, year, as_of) DO UPDATE SET"
                " target = excluded.target, registered = excluded.registered,"
                " source = excluded.source, imported_at = excluded.imported_at"
                " WHERE village_targets.target != excluded.target"
                " OR village_targets.registered != excluded.registered"
                " OR village_targets.source != excluded.source",
                params,
            )

    async def latest(self, village_code: str, year: int | None = None) -> VillageTarget | None:
        """The newest figures of a village (for `year`, or its latest year)."""
        if year is None:
            row = await self._db.fetch_one(
                f"SELECT {_COLUMNS} FROM village_targets WHERE village_code = ?"
                " ORDER BY year DESC, as_of DESC LIMIT 1",
                (village_code,),
            )
        else:
            row = await self._db.fetch_one(
                f"SELECT {_COLUMNS} FROM village_targets WHERE village_code = ? AND year = ?"
                " ORDER BY as_of DESC LIMIT 1",
                (village_code, year),
            )
        return _target(row) if row else None

    async def history(self, village_code: str, year: int | None = None) -> list[VillageTarget]:
        """Every import of a village, oldest first."""
        if year is None:
            rows = await self._db.fetch_all(
                f"SELECT {_COLUMNS} FROM village_targets WHERE village_code = ?"
                " ORDER BY year, as_of",
                (village_code,),
            )
        else:
            rows = await self._db.fetch_all(
                f"SELECT {_COLUMNS} FROM village_targets WHERE village_code = ? AND year = ?"
                " ORDER BY as_of",
                (village_code, year),
            )
        return [_target(row) for row in rows]

    async def latest_in(self, area_code: str, year: int) -> list[VillageTarget]:
        """The newest figures of every village of a district or regency for `year`."""
        column = "district_code" if area_code.count(".") == 2 else "regency_code"
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM village_targets t WHERE t.{column} = ? AND t.year = ?"
            " AND t.as_of = (SELECT MAX(u.as_of) FROM village_targets u"
            " WHERE u.village_code = t.village_code AND u.year = t.year)"
            " ORDER BY t.village_code",
            (area_code, year),
        )
        return [_target(row) for row in rows]

    async def standing(self, village_code: str, year: int | None = None) -> VillageStanding | None:
        """Latest figures, the import before them, and the ranks in district and regency.

        With `year` (this year), that year's figures come first even when a later year's
        target was already imported; the later one is kept as `upcoming`. Without figures for
        `year`, the latest earlier year is shown, else the earliest later one.
        """
        years = await self._years(village_code)
        if not years:
            return None
        shown = max(years) if year is None else _shown_year(years, year)
        current = await self.latest(village_code, shown)
        if current is None:
            return None
        later = [y for y in years if y > shown]
        upcoming = await self.latest(village_code, min(later)) if later else None
        history = await self.history(village_code, current.year)
        previous = history[-2] if len(history) >= 2 else None
        regency_peers = await self.latest_in(current.regency_code, current.year)
        district_peers = [p for p in regency_peers if p.district_code == current.district_code]
        return VillageStanding(
            current=current,
            previous=previous,
            district=rank_of(village_code, district_peers, current.district_code),
            regency=rank_of(village_code, regency_peers, current.regency_code),
            upcoming=upcoming,
        )

    async def _years(self, village_code: str) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT DISTINCT year FROM village_targets WHERE village_code = ? ORDER BY year",
            (village_code,),
        )
        return [int(row[0]) for row in rows]

    async def regencies(self) -> set[str]:
        """The regencies with any village target imported."""
        rows = await self._db.fetch_all("SELECT DISTINCT regency_code FROM village_targets")
        return {str(row[0]) for row in rows}

    async def count(self) -> int:
        row = await self._db.fetch_one("SELECT COUNT(*) FROM village_targets")
        return int(row[0]) if row else 0
