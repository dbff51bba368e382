"""Which facts staff should re-verify: no rule in force any more, uncertain or only from
secondary sources while in force (e.g. the 2026 JP wage cap), and, when an age limit is
given, rules in force for longer than it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.store import Fact


class FactProblem(StrEnum):
    ENDED = "ended"  # the latest rule's validity ended and nothing replaces it
    OLD = "old"  # in force, but took effect longer ago than the allowed age
    UNCERTAIN = "uncertain"  # in force, but sources conflict
    SECONDARY = "secondary"  # in force, but read only in secondary sources


@dataclass(frozen=True, slots=True)
class FactIssue:
    problem: FactProblem
    fact: Fact
    age_days: int  # days since the fact took effect


def check_facts(
    facts: Iterable[Fact], *, today: date, max_age_days: int | None = None
) -> list[FactIssue]:
    """One issue per key at most, ordered by key; superseded history is not an issue.

    A vetted rule in force is due only when `max_age_days` is given and it took effect longer
    ago than that: a regulation of 2015 still in force is not, by itself, due.
    """
    by_key: dict[str, list[Fact]] = {}
    for fact in facts:
        by_key.setdefault(fact.key, []).append(fact)
    issues: list[FactIssue] = []
    for key in sorted(by_key):
        history = sorted(by_key[key], key=lambda f: f.valid_from)
        current = [f for f in history if f.in_force(today)]
        if not current:
            started = [f for f in history if f.valid_from <= today]
            if started:  # a rule only starting later is fine: something will be in force
                latest = started[-1]
                issues.append(
                    FactIssue(FactProblem.ENDED, latest, (today - latest.valid_from).days)
                )
            continue
        fact = current[-1]
        age = (today - fact.valid_from).days
        if fact.status == "uncertain":
            issues.append(FactIssue(FactProblem.UNCERTAIN, fact, age))
        elif fact.status == "secondary":
            issues.append(FactIssue(FactProblem.SECONDARY, fact, age))
        elif max_age_days is not None and age > max_age_days:
            issues.append(FactIssue(FactProblem.OLD, fact, age))
    return issues
