"""Regional coverage: `kode_wilayah,tahun,pu,bpu,cakupan_persen,anggaran_rp,
pekerja_rentan_dibiayai,sumber`; empty cells where a figure is not known."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from decimal import Decimal

from bot.imports import cells
from bot.imports.problems import ProblemKind
from bot.imports.validation import RowReader
from bot.store.coverage import CoverageRecord
from bot.store.regional_seed import COVERAGE_COLUMNS

COLUMNS = COVERAGE_COLUMNS  # the same columns as the shipped seed file
_REGION_PARTS = (1, 2)  # a province ("61") or a regency/city ("61.04")
_HUNDRED = Decimal(100)


class CoverageKind:
    name: str = "coverage"
    columns: tuple[str, ...] = COLUMNS

    def read_row(self, row: RowReader, today: date) -> CoverageRecord | None:
        code = row.region_code("kode_wilayah", _REGION_PARTS, ProblemKind.NOT_A_REGION)
        year = row.required("tahun", cells.year)
        if year is not None and year > today.year:
            row.problem(ProblemKind.BAD_YEAR, "tahun", str(year))
        pu = row.optional("pu", cells.whole_number)
        bpu = row.optional("bpu", cells.whole_number)
        percent = row.optional("cakupan_persen", cells.decimal_number)
        if percent is not None and percent > _HUNDRED:
            row.problem(ProblemKind.PERCENT_RANGE, "cakupan_persen", cells.text(percent))
        budget = row.optional("anggaran_rp", cells.whole_number)
        funded = row.optional("pekerja_rentan_dibiayai", cells.whole_number)
        source = row.required("sumber", cells.text)
        figures = ("pu", "bpu", "cakupan_persen", "anggaran_rp", "pekerja_rentan_dibiayai")
        if all(cells.is_blank(row.raw(column)) for column in figures):
            row.problem(ProblemKind.NO_FIGURES)
        if code is None or year is None or not source or row.failed:
            return None
        return CoverageRecord(
            region_code=code,
            year=year,
            pu=pu,
            bpu=bpu,
            coverage_percent=percent,
            budget_rp=budget,
            vulnerable_funded=funded,
            source=source,
        )

    def key(self, record: CoverageRecord) -> Hashable:
        return (record.region_code, record.year)

    def code(self, record: CoverageRecord) -> str:
        return record.region_code

    def code_column(self) -> str:
        return "kode_wilayah"
