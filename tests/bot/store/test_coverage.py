"""Coverage per region and year: the shipped Ketapang figures, upserts, and years."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from bot.store import CoverageRecord, Store
from bot.store.regional_seed import parse_coverage


async def test_ketapang_figures_ship_with_their_source(store: Store) -> None:
    rows = await store.coverage.for_region("61.04")
    assert [r.year for r in rows] == [2023, 2024]
    y2023, y2024 = rows
    assert (y2023.pu, y2023.bpu, y2023.coverage_percent) == (71405, 29647, Decimal("55.69"))
    assert (y2024.pu, y2024.bpu, y2024.coverage_percent) == (80101, 42217, Decimal("68.02"))
    assert (y2024.budget_rp, y2024.vulnerable_funded) == (4_300_000_000, 34400)
    assert y2023.budget_rp is None  # not reported for 2023: stays unknown
    assert "Equator" in y2024.source


async def test_kayong_utara_has_no_figures(store: Store) -> None:
    assert await store.coverage.for_region("61.11") == []


def _record(**changes: object) -> CoverageRecord:
    base = CoverageRecord(
        region_code="61.11",
        year=2024,
        pu=1200,
        bpu=None,
        coverage_percent=Decimal("41.5"),
        budget_rp=None,
        vulnerable_funded=None,
        source="Dinas Tenaga Kerja (contoh)",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


async def test_upsert_counts_changes_and_same_data_changes_nothing(store: Store) -> None:
    first = [_record(), _record(region_code="61.12", year=2023)]
    assert await store.coverage.upsert_many(first) == 2
    assert await store.coverage.upsert_many(first) == 0
    assert await store.coverage.upsert_many([_record(bpu=300)]) == 1
    assert (await store.coverage.for_region("61.11"))[0].bpu == 300


async def test_for_year_under_a_province(store: Store) -> None:
    await store.coverage.upsert_many([_record(year=2024), _record(region_code="32.01")])
    kalbar = await store.coverage.for_year(2024, parent_code="61")
    assert [r.region_code for r in kalbar] == ["61.04", "61.11"]
    assert {r.region_code for r in await store.coverage.for_year(2024)} == {
        "61.04",
        "61.11",
        "32.01",
    }
    assert await store.coverage.years("61") == [2024, 2023]


async def test_reseeding_never_overwrites_an_import(store: Store) -> None:
    imported = _record(region_code="61.04", year=2024, pu=90000, source="Kantor Cabang")
    assert await store.coverage.upsert_many([imported]) == 1
    await store.meta.set("seed.coverage.sha256", "stale")
    assert "coverage" in await store.seed()
    row = next(r for r in await store.coverage.for_region("61.04") if r.year == 2024)
    assert (row.pu, row.source) == (90000, "Kantor Cabang")


def test_parse_accepts_decimal_comma_and_empty_cells() -> None:
    raw = (
        b"kode_wilayah,tahun,pu,bpu,cakupan_persen,anggaran_rp,pekerja_rentan_dibiayai,sumber\n"
        b'61.11,2024,10,,"41,5",,,Contoh\n'
    )
    (record,) = parse_coverage(raw)
    assert record.coverage_percent == Decimal("41.5")
    assert (record.pu, record.bpu) == (10, None)


def test_parse_names_the_bad_line() -> None:
    raw = b"kode_wilayah,tahun,pu,bpu,cakupan_persen,anggaran_rp,pekerja_rentan_dibiayai,sumber\n"
    raw += b"61.11,2024,-5,,,,,Contoh\n"
    with pytest.raises(ValueError, match="line 2"):
        parse_coverage(raw)
