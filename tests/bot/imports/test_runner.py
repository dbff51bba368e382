from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from bot.core.formatting import Formatter
from bot.core.i18n import Catalogues
from bot.imports.problems import ProblemKind
from bot.imports.rendering import render_report
from bot.imports.runner import import_file
from bot.store import Store

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TODAY = date(2026, 11, 23)
HEADER = "kode_desa,tahun,target,terdaftar,per_tanggal,sumber\n"
SUTERA = "61.11.01.2001"  # Desa Sutera, Kec. Sukadana, Kab. Kayong Utara
KALI_NILAM = "61.04.16.2007"  # Kelurahan/desa Kali Nilam, Kec. Delta Pawan, Kab. Ketapang


def write(tmp_path: Path, text: str, name: str = "targets.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_valid_file_is_stored_and_reimport_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    path = EXAMPLES / "contoh-target-desa.csv"
    first = await import_file(store, "targets", path, today=TODAY)
    assert first.ok and first.rows == 8 and first.written == 8
    again = await import_file(store, "targets", path, today=TODAY)
    assert again.ok and again.written == 0
    assert await store.targets.count() == 8


async def test_xlsx_and_csv_examples_hold_the_same_rows(store: Store, tmp_path: Path) -> None:
    xlsx = await import_file(store, "targets", EXAMPLES / "contoh-target-desa.xlsx", today=TODAY)
    assert xlsx.ok and xlsx.written == 8
    csv = await import_file(store, "targets", EXAMPLES / "contoh-target-desa.csv", today=TODAY)
    assert csv.ok and csv.written == 0


async def test_dry_run_writes_nothing(store: Store) -> None:
    report = await import_file(
        store, "targets", EXAMPLES / "contoh-target-desa.csv", today=TODAY, dry_run=True
    )
    assert report.ok and report.written is None
    assert await store.targets.count() == 0


async def test_newer_date_keeps_history(store: Store, tmp_path: Path) -> None:
    june = write(tmp_path, HEADER + f"{SUTERA},2025,120,48,2025-06-30,Dinas PMD\n", "june.csv")
    sept = write(tmp_path, HEADER + f"{SUTERA},2025,120,66,2025-09-30,Dinas PMD\n", "sept.csv")
    await import_file(store, "targets", june, today=TODAY)
    report = await import_file(store, "targets", sept, today=TODAY)
    assert report.written == 1
    history = await store.targets.history(SUTERA)
    assert [h.registered for h in history] == [48, 66]


async def test_every_bad_row_is_reported_in_one_pass(store: Store, tmp_path: Path) -> None:
    rows = [
        f"{SUTERA},2025,120,48,2025-06-30,Dinas PMD",  # 2 fine
        "61.11.01.9999,2025,100,10,2025-06-30,Dinas PMD",  # 3 unknown code
        "61.11.01,2025,100,10,2025-06-30,Dinas PMD",  # 4 district, not a village
        f"{KALI_NILAM},2025,-5,10,2025-06-30,Dinas PMD",  # 5 negative
        f"{KALI_NILAM},2025,seratus,10,2025-06-30,Dinas PMD",  # 6 not a number
        f"{KALI_NILAM},2025,100,10,30 Juni 2025,Dinas PMD",  # 7 bad date
        f"{KALI_NILAM},2025,100,10,2027-01-01,Dinas PMD",  # 8 future date
        f"{SUTERA},2025,120,50,2025-06-30,Dinas PMD",  # 9 duplicate of row 2
        f"{KALI_NILAM},2025,100,,2025-06-30,Dinas PMD",  # 10 missing value
        f"{KALI_NILAM},1925,100,10,2025-06-30,Dinas PMD",  # 11 bad year
        f"{KALI_NILAM},2025,100,150,2025-05-31,Dinas PMD",  # 12 over target: only a warning
        "Ketapang,2025,100,10,2025-06-30,Dinas PMD",  # 13 not a code
        f"{KALI_NILAM},2025,100,12.5,2025-06-30,Dinas PMD",  # 14 not whole
    ]
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    report = await import_file(store, "targets", path, today=TODAY)
    found = {(p.line, p.kind) for p in report.problems}
    assert found == {
        (3, ProblemKind.UNKNOWN_CODE),
        (4, ProblemKind.NOT_A_VILLAGE),
        (5, ProblemKind.NEGATIVE),
        (6, ProblemKind.NOT_A_NUMBER),
        (7, ProblemKind.BAD_DATE),
        (8, ProblemKind.FUTURE_DATE),
        (9, ProblemKind.DUPLICATE_ROW),
        (10, ProblemKind.MISSING_VALUE),
        (11, ProblemKind.BAD_YEAR),
        (12, ProblemKind.OVER_TARGET),
        (13, ProblemKind.BAD_CODE),
        (14, ProblemKind.NOT_WHOLE),
    }
    duplicate = next(p for p in report.problems if p.kind is ProblemKind.DUPLICATE_ROW)
    assert duplicate.other_line == 2
    assert not report.ok and report.written is None
    assert await store.targets.count() == 0  # nothing written, not even row 2


async def test_registered_above_target_is_stored_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    path = write(tmp_path, HEADER + f"{KALI_NILAM},2025,100,150,2025-05-31,Dinas PMD\n")
    report = await import_file(store, "targets", path, today=TODAY)
    assert report.ok and report.written == 1
    assert [p.kind for p in report.warnings] == [ProblemKind.OVER_TARGET]


async def test_missing_and_unknown_columns(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Kode Desa;Tahun;Target;Per Tanggal;Sumber;Catatan\n"
        f"{SUTERA};2025;120;2025-06-30;Dinas PMD;-\n",
    )
    report = await import_file(store, "targets", path, today=TODAY)
    assert {(p.line, p.kind, p.column) for p in report.problems} == {
        (1, ProblemKind.MISSING_COLUMN, "terdaftar"),
        (1, ProblemKind.UNKNOWN_COLUMN, "catatan"),
    }
    assert not report.ok


async def test_unreadable_and_empty_files(store: Store, tmp_path: Path) -> None:
    xls = tmp_path / "lama.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    report = await import_file(store, "targets", xls, today=TODAY)
    assert [p.kind for p in report.problems] == [ProblemKind.UNREADABLE]
    empty = write(tmp_path, HEADER)
    report = await import_file(store, "targets", empty, today=TODAY)
    assert [p.kind for p in report.problems] == [ProblemKind.EMPTY_FILE]


async def test_coverage_import_with_empty_cells_and_decimal_comma(
    store: Store,
) -> None:
    report = await import_file(store, "coverage", EXAMPLES / "contoh-cakupan.csv", today=TODAY)
    assert report.ok, report.problems
    records = {r.year: r for r in await store.coverage.for_region("61.04")}
    assert records[2024].coverage_percent == Decimal("68.02")
    assert records[2024].budget_rp == 4_300_000_000
    assert records[2023].budget_rp is None and records[2023].pu == 71405
    again = await import_file(store, "coverage", EXAMPLES / "contoh-cakupan.csv", today=TODAY)
    assert again.written == 0


async def test_coverage_errors(store: Store, tmp_path: Path) -> None:
    header = (
        "kode_wilayah,tahun,pu,bpu,cakupan_persen,anggaran_rp,pekerja_rentan_dibiayai,sumber\n"
    )
    rows = [
        '61.11,2024,100,200,"55,5",,,Kalbarnews',  # 2 fine
        '61.11,2023,100,200,"155,5",,,Kalbarnews',  # 3 percent above 100
        "61.11.01,2024,100,,,,,Kalbarnews",  # 4 a district
        "61.11,2022,,,,,,Kalbarnews",  # 5 no figures
        "99.99,2024,1,,,,,Kalbarnews",  # 6 unknown code
        "61.04,2024,1,,,,,",  # 7 no source
    ]
    path = write(tmp_path, header + "\n".join(rows) + "\n", "coverage.csv")
    report = await import_file(store, "coverage", path, today=TODAY)
    assert {(p.line, p.kind) for p in report.problems} == {
        (3, ProblemKind.PERCENT_RANGE),
        (4, ProblemKind.NOT_A_REGION),
        (5, ProblemKind.NO_FIGURES),
        (6, ProblemKind.UNKNOWN_CODE),
        (7, ProblemKind.MISSING_VALUE),
    }
    assert await store.coverage.for_region("61.11") == []


async def test_report_text_names_rows_in_both_languages(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "61.11.01.9999,2025,100,10,2025-06-30,Dinas PMD\n")
    report = await import_file(store, "targets", path, today=TODAY)
    catalogues = Catalogues.load()
    indonesian = render_report(report, catalogues.translator("id"), Formatter("id"))
    assert "Baris 2: kode 61.11.01.9999 tidak ada di daftar wilayah" in indonesian
    assert "Tidak ada yang disimpan" in indonesian
    english = render_report(report, catalogues.translator("en"), Formatter("en"))
    assert "Row 2: code 61.11.01.9999 is not in the Kemendagri region list." in english


def large_targets(tmp_path: Path) -> tuple[Path, int]:
    """Every village of Kayong Utara (61.11), one row per day of 2025 up to 3,000 rows."""
    villages_csv = Path(__file__).resolve().parents[3] / "bot/store/seed/regions/villages.csv"
    codes = [
        line.split(",")[0]
        for line in villages_csv.read_text(encoding="utf-8").splitlines()
        if line.startswith("61.11.")
    ]
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(3000 // len(codes) + 1)]
    rows = [f"{code},2025,100,40,{day},Dinas" for day in days for code in codes][:3000]
    return write(tmp_path, HEADER + "\n".join(rows) + "\n", "besar.csv"), len(rows)


async def test_progress_is_reported_from_the_checking_thread(store: Store, tmp_path: Path) -> None:
    path, count = large_targets(tmp_path)
    seen: list[tuple[int, str]] = []

    def progress(done: int) -> None:
        seen.append((done, threading.current_thread().name))

    report = await import_file(store, "targets", path, today=TODAY, progress=progress)

    assert report.ok and report.rows == count == 3000 and report.written == count
    assert [done for done, _ in seen] == [500, 1000, 1500, 2000, 2500, 3000]
    assert all(name != threading.main_thread().name for _, name in seen)  # off the loop


async def test_a_file_that_cannot_be_read_reports_no_progress(
    store: Store, tmp_path: Path
) -> None:
    seen: list[int] = []
    report = await import_file(
        store, "targets", tmp_path / "missing.csv", today=TODAY, progress=seen.append
    )
    assert not report.ok and seen == []
