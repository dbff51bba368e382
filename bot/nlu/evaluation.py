"""Scoring an understander against labelled questions (used by `jamsosbot eval` and benchmarks)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


class BadEvalFile(ValueError):
    """A row without `text` and `intent`, or a line that is not JSON."""


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    text: str
    intent: str


def read_jsonl(path: Path) -> list[LabelledQuestion]:
    """Rows with at least `text` and `intent` (other fields ignored); blank lines skipped."""
    rows: list[LabelledQuestion] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadEvalFile(f"line {number}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise BadEvalFile(f"line {number}: needs a string `text`")
            if not isinstance(row.get("intent"), str):
                raise BadEvalFile(f"line {number}: needs a string `intent`")
            rows.append(LabelledQuestion(text=row["text"], intent=row["intent"]))
    return rows


@dataclass(frozen=True, slots=True)
class IntentScore:
    intent: str
    support: int
    precision: float
    recall: float


@dataclass(frozen=True, slots=True)
class Report:
    n: int
    accuracy: float
    per_intent: tuple[IntentScore, ...]
    confusions: tuple[tuple[str, str, int], ...]  # (expected, predicted, count), most first


def score(pairs: Sequence[tuple[str, str]]) -> Report:
    """`pairs` of (expected, predicted) intent ids."""
    n = len(pairs)
    correct = sum(1 for expected, got in pairs if expected == got)
    support = Counter(expected for expected, _ in pairs)
    predicted = Counter(got for _, got in pairs)
    hits = Counter(expected for expected, got in pairs if expected == got)
    per_intent = tuple(
        IntentScore(
            intent=intent,
            support=support[intent],
            precision=hits[intent] / predicted[intent] if predicted[intent] else 0.0,
            recall=hits[intent] / support[intent] if support[intent] else 0.0,
        )
        for intent in sorted(set(support) | set(predicted))
    )
    confused = Counter((expected, got) for expected, got in pairs if expected != got)
    confusions = tuple(
        (expected, got, count)
        for (expected, got), count in sorted(confused.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return Report(
        n=n, accuracy=correct / n if n else 0.0, per_intent=per_intent, confusions=confusions
    )


def percentile(values: Iterable[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def format_report(report: Report, *, limit: int = 15) -> str:
    lines = [f"n={report.n}  accuracy={report.accuracy:.1%}", "", "intent  support  P  R"]
    for s in report.per_intent:
        lines.append(f"  {s.intent:<24} {s.support:>4}  {s.precision:6.1%}  {s.recall:6.1%}")
    if report.confusions:
        lines += ["", "confused (expected -> understood: count)"]
        lines += [f"  {e} -> {g}: {c}" for e, g, c in report.confusions[:limit]]
    return "\n".join(lines)
