from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from bot.imports import cells
from bot.imports.cells import Cell
from bot.imports.problems import CellError, ProblemKind


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (80101, 80101),
        ("80101", 80101),
        ("80.101", 80101),
        ("80,101", 80101),
        (" Rp 4.300.000.000 ", 4_300_000_000),
        (34400.0, 34400),
        ("0", 0),
    ],
)
def test_whole_numbers_as_staff_write_them(cell: Cell, expected: int) -> None:
    assert cells.whole_number(cell) == expected


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("-5", ProblemKind.NEGATIVE),
        (-5, ProblemKind.NEGATIVE),
        ("4,3", ProblemKind.NOT_WHOLE),
        (12.5, ProblemKind.NOT_WHOLE),
        ("lima", ProblemKind.NOT_A_NUMBER),
        ("1.2.3", ProblemKind.NOT_A_NUMBER),
        ("80.101,5", ProblemKind.NOT_A_NUMBER),
        (True, ProblemKind.NOT_A_NUMBER),
    ],
)
def test_bad_whole_numbers(cell: Cell, kind: ProblemKind) -> None:
    with pytest.raises(CellError) as caught:
        cells.whole_number(cell)
    assert caught.value.kind is kind


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("68,02", Decimal("68.02")),
        ("68.02", Decimal("68.02")),
        ("68,02 %", Decimal("68.02")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        (55.69, Decimal("55.69")),
        (100, Decimal(100)),
    ],
)
def test_decimal_comma_or_point(cell: Cell, expected: Decimal) -> None:
    assert cells.decimal_number(cell) == expected


def test_negative_decimal_is_refused() -> None:
    with pytest.raises(CellError) as caught:
        cells.decimal_number("-1,5")
    assert caught.value.kind is ProblemKind.NEGATIVE


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-06-30", date(2025, 6, 30)),
        ("30/06/2025", date(2025, 6, 30)),
        ("30-06-2025", date(2025, 6, 30)),
        (datetime(2025, 6, 30, 0, 0), date(2025, 6, 30)),  # noqa: DTZ001 (as in xlsx)
        (date(2025, 6, 30), date(2025, 6, 30)),
    ],
)
def test_dates(cell: Cell, expected: date) -> None:
    assert cells.day(cell) == expected


@pytest.mark.parametrize("cell", ["2025-02-30", "kemarin", "2025/13/01", "31/02/2025", 45000])
def test_bad_dates(cell: Cell) -> None:
    with pytest.raises(CellError) as caught:
        cells.day(cell)
    assert caught.value.kind is ProblemKind.BAD_DATE


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("61.11.01.2001", "61.11.01.2001"),
        (" 61.04 ", "61.04"),
        ("6111012001", "61.11.01.2001"),
        ("6104", "61.04"),
        (61.04, "61.04"),
        (61.1, "61.10"),  # a spreadsheet turned "61.10" into a number
        (61, "61"),
    ],
)
def test_region_codes(cell: Cell, expected: str) -> None:
    assert cells.region_code(cell) == expected


@pytest.mark.parametrize("cell", ["61-04", "Ketapang", "61.4", "611"])
def test_bad_region_codes(cell: Cell) -> None:
    with pytest.raises(CellError) as caught:
        cells.region_code(cell)
    assert caught.value.kind is ProblemKind.BAD_CODE


@pytest.mark.parametrize(("cell", "ok"), [("2025", True), ("1999", False), ("20x5", False)])
def test_years(cell: str, ok: bool) -> None:
    if ok:
        assert cells.year(cell) == int(cell)
    else:
        with pytest.raises(CellError):
            cells.year(cell)
