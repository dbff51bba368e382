"""Participation per region and year: PU, BPU, coverage %, budget for vulnerable workers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from bot.store.database import Database

_FIGURES = ("pu", "bpu", "coverage_percent", "budget_rp", "vulnerable_funded")
_COLUMNS = "region_code, year, pu, bpu, coverage_percent, budget_rp, vulnerable_funded, source"


@dataclass(frozen=True, slots=True, kw_only=True)
class CoverageRecord:
    """Figures as reported by `source` for one region and year; None = not reported.

    `coverage_percent` is in percent units (68.02 means 68.02 %) and is never recomputed.
    """

    region_code: str
    year: int
    pu: int | None
    bpu: int | None
    coverage_percent: Decimal | None
    budget_rp: int | None
    vulnerable_funded: int | None
    source: str

    @property
    def has_figures(self) -> bool:
        return any(getattr(self, name) is not None for name in _FIGURES)


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _record(row: Mapping[str, object]) -> CoverageRecord:
    percent = row["coverage_percent"]
    return CoverageRecord(
        region_code=str(row["region_code"]),
        year=int(str(row["year"])),
        pu=_int(row["pu"]),
        bpu=_int(row["bpu"]),
        coverage_percent=Decimal(str(percent)) if percent is not None else None,
        budget_rp=_int(row["budget_rp"]),
        vulnerable_funded=_int(row["vulnerable_funded"]),
        source=str(row["source"]),
    )


def _params(record: CoverageRecord, origin: str, now: str) -> tuple[object, ...]:
    percent = record.coverage_percent
    return (
        record.region_code,
        record.year,
        record.pu,
        record.bpu,
        str(percent) if percent is not None else None,
        record.budget_rp,
        record.vulnerable_funded,
        record.source,
        origin,
        now,
    )


_CHANGED = " OR ".join(f"coverage.{name} IS NOT excluded.{name}" for name in (*_FIGURES, "source"))
_UPSERT = f"""
INSERT INTO coverage ({_COLUMNS}, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (region_code, year) DO UPDATE SET
    pu = excluded.pu, bpu = excluded.bpu, coverage_percent = excluded.coverage_percent,
    budget_rp = excluded.budget_rp, vulnerable_funded = excluded.vulnerable_funded,
    source = excluded.source, origin = excluded.origin, updated_at = excluded.updated_at
WHERE ({_CHANGED})"""
# Shipped rows never overwrite what staff imported for the same region and year.
_SEED_GUARD = " AND coverage.origin = 'seed'"


class CoverageRepository:
    def __init__(self, db: Database):
        self._db = db

    async def upsert_many(
        self, records: Iterable[CoverageRecord], *, origin: str = "import"
    ) -> int:
        """Insert or update by (region, year) in one transaction; returns the rows changed.

        Importing the same data again changes nothing (returns 0).
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        params = [_params(record, origin, now) for record in records]
        sql = _UPSERT + (_SEED_GUARD if origin == "seed" else "")
        async with self._db.transaction() as tx:
            return await tx.executemany(sql, params)

    async def for_region(self, code: str) -> list[CoverageRecord]:
        """Every year reported for one region, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM coverage WHERE region_code = ? ORDER BY year", (code,)
        )
        return [_record(dict(row)) for row in rows]

    async def for_year(self, year: int, parent_code: str | None = None) -> list[CoverageRecord]:
        """One year's rows, optionally only the regions directly under `parent_code`."""
        if parent_code is None:
            rows = await self._db.fetch_all(
                f"SELECT {_COLUMNS} FROM coverage WHERE year = ? ORDER BY region_code", (year,)
            )
        else:
            rows = await self._db.fetch_all(
                f"SELECT {_COLUMNS} FROM coverage WHERE year = ? AND region_code IN"
                " (SELECT code FROM regions WHERE parent_code = ?) ORDER BY region_code",
                (year, parent_code),
            )
        return [_record(dict(row)) for row in rows]

    async def years(self, parent_code: str | None = None) -> list[int]:
        """Years with any row (under `parent_code` when given), newest first."""
        if parent_code is None:
            rows = await self._db.fetch_all(
                "SELECT DISTINCT year FROM coverage ORDER BY year DESC"
            )
        else:
            rows = await self._db.fetch_all(
                "SELECT DISTINCT year FROM coverage WHERE region_code IN"
                " (SELECT code FROM regions WHERE parent_code = ?) ORDER BY year DESC",
                (parent_code,),
            )
        return [int(row[0]) for row in rows]

    async def delete_origin(self, origin: str) -> int:
        return await self._db.execute("DELETE FROM coverage WHERE origin = ?", (origin,))
