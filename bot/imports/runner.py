"""Check a file completely, then write it only if every row is valid (and not a dry run)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

from bot.imports.coverage import CoverageKind
from bot.imports.problems import ImportReport, Problem, ProblemKind
from bot.imports.reading import (
    MAX_BYTES,
    FileTooLarge,
    MissingFile,
    Table,
    UnreadableFile,
    read_table,
)
from bot.imports.targets import TargetsKind
from bot.imports.validation import Checked, ImportKind, check_table, unknown_codes
from bot.store import Store

KindName = Literal["targets", "coverage"]
KINDS: tuple[KindName, ...] = ("targets", "coverage")
R = TypeVar("R")


async def import_file(
    store: Store,
    kind: KindName,
    path: Path,
    *,
    today: date,
    dry_run: bool = False,
    filename: str | None = None,
    actor: str = "cli",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate `path` as a `kind` import; store it when valid and not a dry run.

    `progress(rows checked so far)` is called from the thread that checks the rows (every
    `validation.PROGRESS_EVERY` rows and at the end): it must be thread-safe, e.g. hand the
    number to the event loop with `loop.call_soon_threadsafe`.

    Every problem of every row is reported in one pass; nothing is written unless the whole
    file is valid. Importing the same file again changes nothing (`written == 0`).
    """
    report = ImportReport(kind=kind, filename=filename or path.name, dry_run=dry_run)
    try:
        table = await asyncio.to_thread(read_table, path)
    except MissingFile:
        report.problems.append(Problem(line=0, kind=ProblemKind.MISSING_FILE))
        return report
    except FileTooLarge:
        limit = str(MAX_BYTES // (1024 * 1024))
        report.problems.append(Problem(line=0, kind=ProblemKind.TOO_LARGE, value=limit))
        return report
    except UnreadableFile:
        report.problems.append(Problem(line=0, kind=ProblemKind.UNREADABLE))
        return report
    if kind == "targets":
        targets = await _check(store, table, TargetsKind(), today, report, progress)
        if report.ok and not dry_run:
            report.written = await store.targets.upsert_many([r for _, r in targets.records])
    else:
        coverage = await _check(store, table, CoverageKind(), today, report, progress)
        if report.ok and not dry_run:
            report.written = await store.coverage.upsert_many([r for _, r in coverage.records])
    if report.written is not None:
        await store.audit.record(
            actor=actor,
            action=f"import.{kind}",
            subject=report.filename,
            detail=f"rows={report.rows} changed={report.written}",
        )
    return report


async def _check(
    store: Store,
    table: Table,
    kind: ImportKind[R],
    today: date,
    report: ImportReport,
    progress: Callable[[int], None] | None,
) -> Checked[R]:
    checked = await asyncio.to_thread(check_table, table, kind, today, progress)
    codes = {kind.code(record) for _, record in checked.records}
    if codes:
        unknown_codes(checked, kind, await store.regions.existing(codes))
    report.rows = checked.rows
    report.problems = sorted(checked.problems, key=lambda p: p.line)
    return checked
