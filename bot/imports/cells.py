"""Reading one cell as staff type it: codes, whole numbers, decimals, years and dates.

Both decimal comma ("68,02") and point ("68.02") are read; whole numbers may carry
thousands separators ("80.101", "80,101", "Rp 4.300.000.000"). Empty cells are None.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from bot.imports.problems import CellError, ProblemKind

Cell = str | int | float | Decimal | datetime | date | bool | None

_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
_FRACTION = re.compile(r"^\d+[.,]\d+$")
_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_UNDOTTED = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MIN_YEAR, _MAX_YEAR = 2000, 2100


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def text(cell: Cell) -> str:
    """The cell as the user would see it (for error messages and free-text columns)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _clean_number_text(value: str) -> tuple[str, bool]:
    cleaned = value.replace("\u00a0", "").replace(" ", "")
    if cleaned[:2].lower() == "rp":
        cleaned = cleaned[2:]
    negative = cleaned.startswith("-")
    return cleaned.lstrip("-+"), negative


def whole_number(cell: Cell) -> int:
    """A non-negative whole number: 80101, "80.101", "80,101", "Rp 4.300.000.000"."""
    if isinstance(cell, bool):
        raise CellError(ProblemKind.NOT_A_NUMBER)
    if isinstance(cell, int):
        number = cell
    elif isinstance(cell, float | Decimal):
        if cell != cell or not float(cell).is_integer():  # NaN or a fraction
            raise CellError(ProblemKind.NOT_WHOLE)
        number = int(cell)
    elif isinstance(cell, str):
        digits, negative = _clean_number_text(cell)
        if _PLAIN.match(digits):
            number = int(digits)
        elif _GROUPED.match(digits) and len(set(re.sub(r"\d", "", digits))) == 1:
            number = int(re.sub(r"[.,]", "", digits))
        elif _FRACTION.match(digits):
            raise CellError(ProblemKind.NOT_WHOLE)
        else:
            raise CellError(ProblemKind.NOT_A_NUMBER)
        if negative:
            number = -number
    else:
        raise CellError(ProblemKind.NOT_A_NUMBER)
    if number < 0:
        raise CellError(ProblemKind.NEGATIVE)
    return number


def decimal_number(cell: Cell) -> Decimal:
    """A non-negative decimal with comma or point: "68,02", "68.02", "1.234,5", "68,02 %"."""
    if isinstance(cell, bool):
        raise CellError(ProblemKind.NOT_A_NUMBER)
    if isinstance(cell, int | Decimal):
        number = Decimal(cell)
    elif isinstance(cell, float):
        if cell != cell:
            raise CellError(ProblemKind.NOT_A_NUMBER)
        number = Decimal(repr(cell))
    elif isinstance(cell, str):
        digits, negative = _clean_number_text(cell.rstrip().removesuffix("%"))
        if "," in digits and "." in digits:
            decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
            grouping = "." if decimal_mark == "," else ","
            digits = digits.replace(grouping, "")
        digits = digits.replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d+)?", digits):
            raise CellError(ProblemKind.NOT_A_NUMBER)
        try:
            number = Decimal(digits)
        except InvalidOperation as exc:
            raise CellError(ProblemKind.NOT_A_NUMBER) from exc
        if negative:
            number = -number
    else:
        raise CellError(ProblemKind.NOT_A_NUMBER)
    if number < 0:
        raise CellError(ProblemKind.NEGATIVE)
    return number


def year(cell: Cell) -> int:
    try:
        value = whole_number(cell)
    except CellError as exc:
        raise CellError(ProblemKind.BAD_YEAR) from exc
    if not _MIN_YEAR <= value <= _MAX_YEAR:
        raise CellError(ProblemKind.BAD_YEAR)
    return value


def day(cell: Cell) -> date:
    """A date: a spreadsheet date cell, "2025-06-30" or "30/06/2025" (day first)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if not isinstance(cell, str):
        raise CellError(ProblemKind.BAD_DATE)
    value = cell.strip()
    try:
        if match := _DMY.match(value):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError as exc:
        raise CellError(ProblemKind.BAD_DATE) from exc
    raise CellError(ProblemKind.BAD_DATE)


def region_code(cell: Cell) -> str:
    """A Kemendagri code, dotted ("61.04", "61.11.01.2001") or as plain digits ("6104").

    A spreadsheet may have turned "61.10" into the number 61.1: a fraction is read back with
    two decimals, the only shape a regency code has.
    """
    if isinstance(cell, bool):
        raise CellError(ProblemKind.BAD_CODE)
    if isinstance(cell, float | Decimal) and not float(cell).is_integer():
        value = f"{float(cell):.2f}"
    elif isinstance(cell, int | float | Decimal | str):
        value = text(cell).replace(" ", "")
    else:
        raise CellError(ProblemKind.BAD_CODE)
    if value.isdigit() and len(value) in _UNDOTTED:
        parts, start = [], 0
        for width in _UNDOTTED[len(value)]:
            parts.append(value[start : start + width])
            start += width
        value = ".".join(parts)
    if not _CODE.match(value):
        raise CellError(ProblemKind.BAD_CODE)
    return value
