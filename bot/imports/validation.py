"""The pass over a whole table shared by every import kind: columns, blanks, duplicates, codes.

A kind (`targets`, `coverage`) says which columns it needs and how to read one row; this
module collects every problem of every row in one pass, so staff fix the file once.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Protocol, TypeVar

from bot.imports.cells import Cell, is_blank, region_code, text
from bot.imports.problems import CellError, Problem, ProblemKind
from bot.imports.reading import Table

R = TypeVar("R")
T = TypeVar("T")


class RowReader:
    """Reads the cells of one row by column name, noting each problem instead of stopping."""

    def __init__(self, line: int, cells: Mapping[str, Cell], problems: list[Problem]):
        self.line = line
        self._cells = cells
        self._problems = problems
        self.failed = False

    def raw(self, column: str) -> Cell:
        return self._cells.get(column)

    def required(self, column: str, parse: Callable[[Cell], T]) -> T | None:
        cell = self._cells.get(column)
        if is_blank(cell):
            self.problem(ProblemKind.MISSING_VALUE, column)
            return None
        return self.optional(column, parse)

    def optional(self, column: str, parse: Callable[[Cell], T]) -> T | None:
        cell = self._cells.get(column)
        if is_blank(cell):
            return None
        try:
            return parse(cell)
        except CellError as exc:
            self.problem(exc.kind, column, text(cell))
            return None

    def region_code(self, column: str, parts: Container[int], kind: ProblemKind) -> str | None:
        """A required Kemendagri code with a number of dotted parts in `parts` (else `kind`)."""
        code = self.required(column, region_code)
        if code is not None and code.count(".") + 1 not in parts:
            self.problem(kind, column, code)
            return None
        return code

    def problem(self, kind: ProblemKind, column: str = "", value: str = "") -> None:
        self._problems.append(Problem(line=self.line, kind=kind, column=column, value=value))
        if kind is not ProblemKind.OVER_TARGET:
            self.failed = True


class ImportKind(Protocol[R]):
    """One kind of import: its columns, how a row becomes a record, and where it is stored."""

    name: str
    columns: tuple[str, ...]

    def read_row(self, row: RowReader, today: date) -> R | None: ...

    def key(self, record: R) -> Hashable: ...

    def code(self, record: R) -> str: ...

    def code_column(self) -> str: ...


@dataclass(slots=True)
class Checked(Generic[R]):
    """Records read from the file (with their row numbers) and every problem found."""

    records: list[tuple[int, R]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


# How often `check_table` reports progress (rows checked so far).
PROGRESS_EVERY = 500


def check_table(
    table: Table,
    kind: ImportKind[R],
    today: date,
    progress: Callable[[int], None] | None = None,
) -> Checked[R]:
    """Everything that can be checked without the store (blocking; CPU only).

    `progress(rows checked)` is called every `PROGRESS_EVERY` rows and once at the end; it
    runs in the thread that checks (see `runner.import_file`), so it must be thread-safe.
    """
    checked: Checked[R] = Checked()
    if not table.header and not table.rows:
        checked.problems.append(Problem(line=0, kind=ProblemKind.EMPTY_FILE))
        return checked
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        if not name:
            continue
        if name in positions:
            checked.problems.append(
                Problem(line=1, kind=ProblemKind.DUPLICATE_COLUMN, column=name)
            )
        elif name not in kind.columns:
            checked.problems.append(Problem(line=1, kind=ProblemKind.UNKNOWN_COLUMN, column=name))
        positions.setdefault(name, index)
    missing = [column for column in kind.columns if column not in positions]
    for column in missing:
        checked.problems.append(Problem(line=1, kind=ProblemKind.MISSING_COLUMN, column=column))
    checked.rows = len(table.rows)
    if missing:
        return checked  # rows cannot be read against a header that lacks columns
    if not table.rows:
        checked.problems.append(Problem(line=0, kind=ProblemKind.EMPTY_FILE))
        return checked
    wanted = [(column, positions[column]) for column in kind.columns]
    seen: dict[Hashable, int] = {}
    for done, (line, cells) in enumerate(table.rows):
        if progress is not None and done and done % PROGRESS_EVERY == 0:
            progress(done)
        values = {column: cells[i] if i < len(cells) else None for column, i in wanted}
        reader = RowReader(line, values, checked.problems)
        record = kind.read_row(reader, today)
        if record is None or reader.failed:
            continue
        key = kind.key(record)
        if key in seen:
            checked.problems.append(
                Problem(line=line, kind=ProblemKind.DUPLICATE_ROW, other_line=seen[key])
            )
            continue
        seen[key] = line
        checked.records.append((line, record))
    if progress is not None:
        progress(len(table.rows))
    return checked


def unknown_codes(checked: Checked[R], kind: ImportKind[R], known: Iterable[str]) -> None:
    """Drop records whose region code is not in the gazetteer, reporting each row."""
    known_codes = set(known)
    kept: list[tuple[int, R]] = []
    for line, record in checked.records:
        code = kind.code(record)
        if code in known_codes:
            kept.append((line, record))
        else:
            checked.problems.append(
                Problem(
                    line=line, kind=ProblemKind.UNKNOWN_CODE, column=kind.code_column(), value=code
                )
            )
    checked.records = kept
