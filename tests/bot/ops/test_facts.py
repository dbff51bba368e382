"""`check_facts`: ended rules, old rules, uncertain rules; history and future rules are fine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.ops.facts import FactProblem, check_facts
from bot.store import Fact
from bot.store.seeding import parse_facts, read_seed_file

TODAY = date(2026, 11, 23)


def _fact(key: str, start: date, end: date | None = None, status: str = "vetted") -> Fact:
    return Fact(
        key=key,
        value=Decimal(1),
        unit="rp",
        valid_from=start,
        valid_to=end,
        status=status,  # type: ignore[arg-type]
        source="PP 1/2020",
    )


def test_problems_are_found_once_per_key() -> None:
    facts = [
        _fact("a.superseded", date(2015, 1, 1), date(2025, 12, 31)),
        _fact("a.superseded", date(2026, 1, 1)),
        _fact("b.ended", date(2020, 1, 1), date(2026, 6, 30)),
        _fact("c.old", date(2021, 4, 1)),
        _fact("d.uncertain", date(2026, 3, 1), status="uncertain"),
        _fact("d2.secondary", date(2026, 3, 1), status="secondary"),
        _fact("e.future_only", date(2027, 1, 1)),
        _fact("f.gap", date(2020, 1, 1), date(2026, 1, 1)),
        _fact("f.gap", date(2027, 1, 1)),
    ]
    issues = check_facts(facts, today=TODAY, max_age_days=365)
    found = [(issue.problem, issue.fact.key) for issue in issues]
    assert found == [
        (FactProblem.ENDED, "b.ended"),
        (FactProblem.OLD, "c.old"),
        (FactProblem.UNCERTAIN, "d.uncertain"),
        (FactProblem.SECONDARY, "d2.secondary"),
        (FactProblem.ENDED, "f.gap"),
    ]
    assert issues[1].age_days == (TODAY - date(2021, 4, 1)).days


def test_a_larger_age_limit_accepts_older_rules() -> None:
    facts = [_fact("c.old", date(2021, 4, 1))]
    assert check_facts(facts, today=TODAY, max_age_days=3650) == []


def test_without_an_age_limit_old_vetted_rules_are_not_due() -> None:
    facts = [
        _fact("c.old", date(2015, 7, 1)),
        _fact("g.secondary", date(2021, 1, 1), status="secondary"),
    ]
    issues = check_facts(facts, today=TODAY)
    assert [(i.problem, i.fact.key) for i in issues] == [(FactProblem.SECONDARY, "g.secondary")]


def test_the_shipped_seed_lists_the_2026_jp_wage_cap_and_not_old_regulations() -> None:
    issues = check_facts(parse_facts(read_seed_file("facts.csv")), today=TODAY)
    keys = {(i.problem, i.fact.key) for i in issues}
    assert (FactProblem.SECONDARY, "jp.wage_cap") in keys
    assert all(i.fact.status != "vetted" or i.problem is FactProblem.ENDED for i in issues)
    assert not any(i.fact.key == "jp.rate.worker" for i in issues)  # PP 45/2015, in force
