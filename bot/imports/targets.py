"""Village targets: `kode_desa,tahun,target,terdaftar,per_tanggal,sumber` (one row per village
and as-of date)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from bot.imports import cells
from bot.imports.problems import ProblemKind
from bot.imports.validation import RowReader
from bot.store.targets import VillageTarget

COLUMNS = ("kode_desa", "tahun", "target", "terdaftar", "per_tanggal", "sumber")
_VILLAGE_PARTS = (4,)  # a village: 61.11.01.2001


class TargetsKind:
    name: str = "targets"
    columns: tuple[str, ...] = COLUMNS

    def read_row(self, row: RowReader, today: date) -> VillageTarget | None:
        code = row.region_code("kode_desa", _VILLAGE_PARTS, ProblemKind.NOT_A_VILLAGE)
        year = row.required("tahun", cells.year)
        target = row.required("target", cells.whole_number)
        registered = row.required("terdaftar", cells.whole_number)
        as_of = row.required("per_tanggal", cells.day)
        if as_of is not None and as_of > today:
            row.problem(ProblemKind.FUTURE_DATE, "per_tanggal", as_of.isoformat())
        source = row.required("sumber", cells.text)
        if (
            code is None
            or year is None
            or target is None
            or registered is None
            or as_of is None
            or not source
        ):
            return None
        if registered > target:
            row.problem(ProblemKind.OVER_TARGET, "terdaftar", cells.text(registered))
        return VillageTarget(
            village_code=code,
            year=year,
            as_of=as_of,
            target=target,
            registered=registered,
            source=source,
        )

    def key(self, record: VillageTarget) -> Hashable:
        return (record.village_code, record.year, record.as_of)

    def code(self, record: VillageTarget) -> str:
        return record.village_code

    def code_column(self) -> str:
        return "kode_desa"
