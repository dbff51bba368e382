"""The import report as localized text: one line per problem, then the outcome."""

from __future__ import annotations

from bot.core.formatting import Formatter
from bot.core.i18n import N_, Translator
from bot.imports.problems import ImportReport, Problem, ProblemKind

KIND_LABELS = {"targets": N_("imports.kind.targets"), "coverage": N_("imports.kind.coverage")}
PROBLEM_KEYS = {
    ProblemKind.UNREADABLE: N_("imports.problem.unreadable"),
    ProblemKind.MISSING_FILE: N_("imports.problem.missing_file"),
    ProblemKind.TOO_LARGE: N_("imports.problem.too_large"),
    ProblemKind.EMPTY_FILE: N_("imports.problem.empty_file"),
    ProblemKind.MISSING_COLUMN: N_("imports.problem.missing_column"),
    ProblemKind.DUPLICATE_COLUMN: N_("imports.problem.duplicate_column"),
    ProblemKind.UNKNOWN_COLUMN: N_("imports.problem.unknown_column"),
    ProblemKind.MISSING_VALUE: N_("imports.problem.missing_value"),
    ProblemKind.NOT_A_NUMBER: N_("imports.problem.not_a_number"),
    ProblemKind.NOT_WHOLE: N_("imports.problem.not_whole"),
    ProblemKind.NEGATIVE: N_("imports.problem.negative"),
    ProblemKind.BAD_YEAR: N_("imports.problem.bad_year"),
    ProblemKind.BAD_DATE: N_("imports.problem.bad_date"),
    ProblemKind.FUTURE_DATE: N_("imports.problem.future_date"),
    ProblemKind.BAD_CODE: N_("imports.problem.bad_code"),
    ProblemKind.NOT_A_VILLAGE: N_("imports.problem.not_a_village"),
    ProblemKind.NOT_A_REGION: N_("imports.problem.not_a_region"),
    ProblemKind.UNKNOWN_CODE: N_("imports.problem.unknown_code"),
    ProblemKind.PERCENT_RANGE: N_("imports.problem.percent_range"),
    ProblemKind.NO_FIGURES: N_("imports.problem.no_figures"),
    ProblemKind.DUPLICATE_ROW: N_("imports.problem.duplicate_row"),
    ProblemKind.OVER_TARGET: N_("imports.problem.over_target"),
}


def problem_text(problem: Problem, t: Translator) -> str:
    sentence = t(
        PROBLEM_KEYS[problem.kind],
        column=problem.column,
        value=problem.value,
        other=problem.other_line,
    )
    if problem.line <= 0:
        return sentence
    return t("imports.line", line=problem.line, problem=sentence)


def _listing(
    problems: list[Problem], t: Translator, fmt: Formatter, limit: int | None
) -> list[str]:
    shown = problems if limit is None else problems[:limit]
    lines = [f"• {problem_text(problem, t)}" for problem in shown]
    if len(problems) > len(shown):
        lines.append(t("imports.more", count=fmt.number(len(problems) - len(shown))))
    return lines


def render_report(
    report: ImportReport, t: Translator, fmt: Formatter, *, limit: int | None = None
) -> str:
    """The whole report; `limit` caps the problems listed per section (chat), None = all."""
    lines = [
        t(
            "imports.summary",
            file=report.filename,
            kind=t(KIND_LABELS[report.kind]),
            rows=fmt.number(report.rows),
        )
    ]
    errors, warnings = report.errors, report.warnings
    if errors:
        lines.append(t("imports.errors", count=fmt.number(len(errors))))
        lines.extend(_listing(errors, t, fmt, limit))
    if warnings:
        lines.append(t("imports.warnings", count=fmt.number(len(warnings))))
        lines.extend(_listing(warnings, t, fmt, limit))
    if errors:
        lines.append(t("imports.result.invalid"))
    elif report.dry_run or report.written is None:
        lines.append(t("imports.result.dry_run"))
    elif report.written == 0:
        lines.append(t("imports.result.unchanged"))
    else:
        lines.append(t("imports.result.saved", changed=fmt.number(report.written)))
    return "\n".join(lines)
