"""Load the shipped gazetteer and coverage seed into a database, once per version of the files.

The gazetteer (~92,000 rows) is parsed off the event loop and inserted with one executemany
in one transaction; a hash of the files (and of the loader version) in `meta` skips it on
every later start.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from bot.regions.model import Level, Region
from bot.store.coverage import CoverageRecord, CoverageRepository
from bot.store.meta import MetaRepository
from bot.store.regions import RegionRepository
from bot.store.seeding import read_seed_file

# Bump when the way rows are derived from the files changes, so databases reload.
_LOADER_VERSION = b"regions-loader-3"
REGION_FILES: tuple[tuple[str, Level, str | None], ...] = (
    ("regions/provinces.csv", "province", None),
    ("regions/regencies.csv", "regency", "province_code"),
    ("regions/districts.csv", "district", "regency_code"),
    ("regions/villages.csv", "village", "district_code"),
)
COVERAGE_FILE = "coverage.csv"
COVERAGE_COLUMNS = (
    "kode_wilayah",
    "tahun",
    "pu",
    "bpu",
    "cakupan_persen",
    "anggaran_rp",
    "pekerja_rentan_dibiayai",
    "sumber",
)


def _read_region_files() -> tuple[str, list[bytes]]:
    digest = hashlib.sha256(_LOADER_VERSION)
    files = []
    for name, _, _ in REGION_FILES:
        raw = read_seed_file(name)
        digest.update(raw)
        files.append(raw)
    return digest.hexdigest(), files


def parse_regions(files: list[bytes]) -> Iterator[Region]:
    """The four shipped CSVs (in `REGION_FILES` order) as regions, provinces first."""
    for raw, (_, level, parent_column) in zip(files, REGION_FILES, strict=True):
        for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
            yield Region(
                code=row["code"],
                name=row["name"],
                level=level,
                parent_code=row[parent_column] if parent_column else None,
            )


async def seed_regions(regions: RegionRepository, meta: MetaRepository) -> bool:
    """Replace the gazetteer when the shipped files changed; True if it was loaded."""
    digest, files = await asyncio.to_thread(_read_region_files)
    if await meta.get("seed.regions.sha256") == digest:
        return False
    await regions.replace_all(parse_regions(files))  # parsed batch by batch, off the loop
    await meta.set("seed.regions.sha256", digest)
    return True


def _whole(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    value = int(text)
    if value < 0:
        raise ValueError(f"negative number {text}")
    return value


def _decimal(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text}") from exc


def parse_coverage(raw: bytes, *, name: str = COVERAGE_FILE) -> list[CoverageRecord]:
    """Parse a coverage CSV in the staff layout; a bad row raises ValueError with its line."""
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    if tuple(reader.fieldnames or ()) != COVERAGE_COLUMNS:
        raise ValueError(f"{name}: columns must be {','.join(COVERAGE_COLUMNS)}")
    records = []
    for line, row in enumerate(reader, start=2):
        try:
            records.append(
                CoverageRecord(
                    region_code=row["kode_wilayah"].strip(),
                    year=int(row["tahun"]),
                    pu=_whole(row["pu"]),
                    bpu=_whole(row["bpu"]),
                    coverage_percent=_decimal(row["cakupan_persen"]),
                    budget_rp=_whole(row["anggaran_rp"]),
                    vulnerable_funded=_whole(row["pekerja_rentan_dibiayai"]),
                    source=row["sumber"].strip(),
                )
            )
        except (KeyError, ValueError, AttributeError) as exc:
            raise ValueError(f"{name} line {line}: {exc}") from exc
    return records


async def seed_coverage(coverage: CoverageRepository, meta: MetaRepository) -> bool:
    """Load the shipped coverage rows when the file changed (staff imports are kept)."""
    raw = await asyncio.to_thread(read_seed_file, COVERAGE_FILE)
    digest = hashlib.sha256(raw).hexdigest()
    if await meta.get("seed.coverage.sha256") == digest:
        return False
    await coverage.delete_origin("seed")
    await coverage.upsert_many(parse_coverage(raw), origin="seed")
    await meta.set("seed.coverage.sha256", digest)
    return True
