"""The shipped coverage seed passes the same checks as a staff import, row for row.

The seed is parsed at start-up by `bot.store.regional_seed.parse_coverage` (the store cannot
run the import pipeline, which sits above it); this test makes the two agree: every shipped
row is valid for the staff importer (known region, plausible year and percent, a source) and
both readers produce the same records.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bot.app import App
from bot.imports.runner import import_file
from bot.store.regional_seed import COVERAGE_FILE, parse_coverage


async def test_the_shipped_coverage_seed_passes_the_staff_import_checks(
    app: App, tmp_path: Path
) -> None:
    raw = (resources.files("bot.store") / "seed" / COVERAGE_FILE).read_bytes()
    copy = tmp_path / "coverage.csv"
    copy.write_bytes(raw)
    report = await import_file(
        app.store, "coverage", copy, today=app.dispatcher.today(), dry_run=True
    )
    assert report.problems == []
    assert report.rows == len(parse_coverage(raw)) > 0


async def test_both_readers_read_the_same_records(app: App, tmp_path: Path) -> None:
    raw = (resources.files("bot.store") / "seed" / COVERAGE_FILE).read_bytes()
    copy = tmp_path / "coverage.csv"
    copy.write_bytes(raw)
    report = await import_file(app.store, "coverage", copy, today=app.dispatcher.today())
    assert report.ok and report.written == 0  # the seed already holds exactly these rows
