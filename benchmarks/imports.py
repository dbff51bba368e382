"""Import speed: 80,000 village-target rows (CSV and xlsx), with and without bad rows.

Prints the seconds for: a valid CSV written to a fresh store, the same file again (no
change), a CSV with 800 bad rows (every error reported, nothing written) and a valid xlsx
checked in a dry run. Target: <= 30 s for 80,000 rows, all errors in one pass.

Run: .venv/bin/python benchmarks/imports.py
"""

from __future__ import annotations

import asyncio
import csv
import tempfile
import time
from datetime import date
from importlib import resources
from pathlib import Path

from openpyxl import Workbook

from bot.imports.runner import import_file
from bot.store import Store

ROWS = 80_000
TODAY = date(2026, 11, 23)
HEADER = ["kode_desa", "tahun", "target", "terdaftar", "per_tanggal", "sumber"]


def village_codes() -> list[str]:
    raw = (resources.files("bot.store") / "seed" / "regions" / "villages.csv").read_text("utf-8")
    return [row["code"] for row in csv.DictReader(raw.splitlines())]


def rows(codes: list[str], bad_every: int = 0) -> list[list[str]]:
    out = []
    for i in range(ROWS):
        target = 50 + i % 200
        registered = (i * 7) % (target + 1)
        out.append([codes[i], "2025", str(target), str(registered), "2025-09-30", "Dinas PMD"])
        if bad_every and i % bad_every == 0:
            out[-1][2] = "-1" if i % 2 else "seratus"
    return out


def write_csv(path: Path, data: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(data)


def write_xlsx(path: Path, data: list[list[str]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in data:
        sheet.append([row[0], int(row[1]), int(row[2]), int(row[3]), row[4], row[5]])
    workbook.save(path)


async def timed(label: str, store: Store, path: Path, *, dry_run: bool) -> None:
    start = time.perf_counter()
    report = await import_file(store, "targets", path, today=TODAY, dry_run=dry_run)
    seconds = time.perf_counter() - start
    print(
        f"{label:<42} {seconds:6.2f} s  rows={report.rows} errors={len(report.errors)}"
        f" warnings={len(report.warnings)} written={report.written}"
    )


async def main() -> None:
    codes = village_codes()[:ROWS]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        good, bad, xlsx = root / "good.csv", root / "bad.csv", root / "good.xlsx"
        write_csv(good, rows(codes))
        write_csv(bad, rows(codes, bad_every=100))
        write_xlsx(xlsx, rows(codes))
        store = await Store.open(root / "bench.sqlite3")
        try:
            await timed("80,000 rows CSV, valid, written", store, good, dry_run=False)
            await timed("same CSV again (nothing changes)", store, good, dry_run=False)
            await timed("80,000 rows CSV, 800 bad rows", store, bad, dry_run=False)
            await timed("80,000 rows xlsx, valid, dry run", store, xlsx, dry_run=True)
        finally:
            await store.close()


if __name__ == "__main__":
    asyncio.run(main())
