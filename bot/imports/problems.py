"""What can be wrong with an import file, row by row, and the report that lists it all."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ProblemKind(StrEnum):
    """Each value is the suffix of its message key `imports.problem.<value>`."""

    UNREADABLE = "unreadable"
    MISSING_FILE = "missing_file"
    TOO_LARGE = "too_large"
    EMPTY_FILE = "empty_file"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    UNKNOWN_COLUMN = "unknown_column"
    MISSING_VALUE = "missing_value"
    NOT_A_NUMBER = "not_a_number"
    NOT_WHOLE = "not_whole"
    NEGATIVE = "negative"
    BAD_YEAR = "bad_year"
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    BAD_CODE = "bad_code"
    NOT_A_VILLAGE = "not_a_village"
    NOT_A_REGION = "not_a_region"
    UNKNOWN_CODE = "unknown_code"
    PERCENT_RANGE = "percent_range"
    NO_FIGURES = "no_figures"
    DUPLICATE_ROW = "duplicate_row"
    OVER_TARGET = "over_target"  # a warning: allowed, but worth a second look


WARNINGS = frozenset({ProblemKind.UNKNOWN_COLUMN, ProblemKind.OVER_TARGET})


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One finding. `line` is the spreadsheet row (the header is row 1; 0 = the whole file)."""

    line: int
    kind: ProblemKind
    column: str = ""
    value: str = ""
    other_line: int = 0

    @property
    def is_warning(self) -> bool:
        return self.kind in WARNINGS


class CellError(ValueError):
    """A cell that cannot be read as its column's type."""

    def __init__(self, kind: ProblemKind):
        super().__init__(kind.value)
        self.kind = kind


@dataclass(slots=True, kw_only=True)
class ImportReport:
    """The outcome of checking (and possibly writing) one file."""

    kind: str
    filename: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    written: int | None = None  # rows changed in the store; None when nothing was written

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.is_warning]

    @property
    def ok(self) -> bool:
        return not self.errors
