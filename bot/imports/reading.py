"""Spreadsheet files → a header and numbered rows. Blocking: call through asyncio.to_thread.

CSV: UTF-8 (with or without BOM; Windows-1252 as a fallback), separated by `;`, `,` or tab,
whichever the header line uses. xlsx: the first sheet, read with openpyxl in read-only mode.
Row numbers are those a spreadsheet shows (the header is row 1); blank rows are skipped.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from bot.imports.cells import Cell, is_blank

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
_NOT_NAME = re.compile(r"[^0-9a-z]+")
MAX_BYTES = 50 * 1024 * 1024


class UnreadableFile(ValueError):
    """Not a CSV or xlsx file we can read (wrong format, damaged, too large)."""


class MissingFile(UnreadableFile):
    """The file is not there (a failed download, a mistyped path)."""


class FileTooLarge(UnreadableFile):
    """Larger than MAX_BYTES."""


@dataclass(frozen=True, slots=True)
class Table:
    header: list[str]  # column names as normalized by `column_name`
    rows: list[tuple[int, list[Cell]]]  # (spreadsheet row number, cells)


def column_name(raw: object) -> str:
    """ "Kode Desa", "\ufeffkode_desa ", "PER-TANGGAL" → "kode_desa", "per_tanggal"."""
    name = unicodedata.normalize("NFKC", str(raw or "")).replace("\ufeff", "").lower()
    return _NOT_NAME.sub("_", name).strip("_")


def read_table(path: Path) -> Table:
    """Read a CSV or xlsx file, judged by its content rather than its name."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError as exc:
        raise MissingFile(str(exc)) from exc
    except OSError as exc:
        raise UnreadableFile(str(exc)) from exc
    if size > MAX_BYTES:
        raise FileTooLarge(f"{size} bytes")
    if head.startswith(_OLE_MAGIC):
        raise UnreadableFile("legacy .xls")
    if head.startswith(_XLSX_MAGIC):
        return _from_rows(_xlsx_rows(path))
    return _from_rows(_csv_rows(path.read_bytes()))


def _from_rows(rows: Iterator[tuple[int, list[Cell]]]) -> Table:
    header: list[str] | None = None
    body: list[tuple[int, list[Cell]]] = []
    for number, cells in rows:
        if all(is_blank(cell) for cell in cells):
            continue
        if header is None:
            header = [column_name(cell) for cell in cells]
            while header and not header[-1]:
                header.pop()
            continue
        body.append((number, cells))
    return Table(header=header or [], rows=body)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_rows(raw: bytes) -> Iterator[tuple[int, list[Cell]]]:
    content = _decode(raw)
    if "\x00" in content:
        raise UnreadableFile("binary content")
    first_line = next((line for line in content.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=_separator(first_line))
    try:
        start = 1
        for row in reader:
            yield start, [cell for cell in row]
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(f"line {reader.line_num}: {exc}") from exc


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    # openpyxl (~15 MB resident) is loaded only when a spreadsheet arrives
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(str(exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield number, [_xlsx_value(cell) for cell in row]
    finally:
        workbook.close()


def _xlsx_value(cell: object) -> Cell:
    value = getattr(cell, "value", None)
    number_format = str(getattr(cell, "number_format", "") or "")
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        # A cell formatted as percent stores 0.6802 for "68,02 %".
        return Decimal(repr(value)) * 100
    if isinstance(value, str | int | float | Decimal | bool | datetime | date) or value is None:
        return value
    return str(value)
