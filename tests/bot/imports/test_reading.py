from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.imports.reading import UnreadableFile, column_name, read_table


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kode Desa", "kode_desa"),
        ("\ufeffkode_desa ", "kode_desa"),
        ("PER-TANGGAL", "per_tanggal"),
    ],
)
def test_header_names_are_tolerated(raw: str, expected: str) -> None:
    assert column_name(raw) == expected


def test_semicolon_csv_with_bom_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(
        "\ufeffKode Desa;Tahun;Cakupan\r\n"
        "61.11.01.2001;2025;68,02\r\n;;\r\n61.11.01.2002;2025;1\r\n".encode()
    )
    table = read_table(path)
    assert table.header == ["kode_desa", "tahun", "cakupan"]
    assert table.rows == [
        (2, ["61.11.01.2001", "2025", "68,02"]),
        (4, ["61.11.01.2002", "2025", "1"]),
    ]


def test_quoted_multiline_cell_keeps_file_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,4\n', encoding="utf-8")
    assert [number for number, _ in read_table(path).rows] == [2, 4]


def test_windows_1252_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("kode,sumber\n61.04,Dinas Tenaga Kerja – Ketapang\n".encode("cp1252"))
    assert read_table(path).rows[0][1][1] == "Dinas Tenaga Kerja – Ketapang"


def test_xlsx_first_sheet_with_typed_cells(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Kode Wilayah", "Tahun", "Cakupan Persen", "Per Tanggal"])
    sheet.append(["61.04", 2024, 0.6802, datetime(2025, 6, 30)])  # noqa: DTZ001
    sheet["C2"].number_format = "0.00%"
    sheet.append([None, None, None, None])
    sheet.append(["61.11", 2024, 55.5, None])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.header == ["kode_wilayah", "tahun", "cakupan_persen", "per_tanggal"]
    assert [number for number, _ in table.rows] == [2, 4]
    first = table.rows[0][1]
    assert first[0] == "61.04" and first[1] == 2024
    assert first[2] == Decimal("68.02")
    assert isinstance(first[3], date) and first[3].isoformat().startswith("2025-06-30")


@pytest.mark.parametrize(
    "content", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old xls", b"PK\x03\x04broken zip", b"a\x00b"]
)
def test_unreadable_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile):
        read_table(path)
