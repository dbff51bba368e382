"""The shipped facts: well formed, sourced, dated without overlaps, and complete for every
answer the bot gives today."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from importlib import resources
from itertools import pairwise
from pathlib import Path

import pytest

from bot.store import Fact, Store
from tests.bot.answers.calculators.shipped import TODAY, fact, history, shipped

HANDLERS = Path(__file__).resolve().parents[3] / "handlers"
ANSWER_MODULES = ("benefits", "pension", "claims", "contributions", "membership", "information")
FACT_PREFIXES = (
    "bpu.",
    "channel.",
    "contact.",
    "discount.",
    "jakon.",
    "jht.",
    "jkk.",
    "jkm.",
    "jkp.",
    "jmo.",
    "jp.",
    "paritrana.",
    "pmi.",
    "pu.",
    "regulation.",
    "scholarship.",
)


def test_every_row_has_a_source_refs_and_a_valid_period() -> None:
    for row in shipped():
        assert row.source.strip(), row.key
        assert row.refs.strip(), row.key
        assert row.valid_to is None or row.valid_to >= row.valid_from, row.key
        if row.unit != "rule":
            assert row.value is not None, row.key


def test_periods_of_one_key_do_not_overlap() -> None:
    by_key: dict[str, list[Fact]] = defaultdict(list)
    for row in shipped():
        by_key[row.key].append(row)
    for key, rows in by_key.items():
        rows.sort(key=lambda r: r.valid_from)
        for earlier, later in pairwise(rows):
            assert earlier.valid_to is not None, f"{key}: open period before {later.valid_from}"
            assert earlier.valid_to < later.valid_from, key


def _keys_used_by_answers() -> set[str]:
    pattern = re.compile(r'"([a-z_]+\.[a-z0-9_.]+)"')
    keys: set[str] = set()
    for module in ANSWER_MODULES:
        code = (HANDLERS / f"{module}.py").read_text(encoding="utf-8")
        keys.update(k for k in pattern.findall(code) if k.startswith(FACT_PREFIXES))
    keys.update(f"pu.jkk.class{n}" for n in range(1, 6))  # built from a range
    keys.update(
        f"scholarship.{level}.{part}"
        for level in ("tk", "sd", "smp", "sma", "pt")
        for part in ("amount", "years")
    )
    return keys


def test_every_fact_an_answer_needs_is_in_force_today() -> None:
    used = _keys_used_by_answers()
    assert len(used) > 60
    for key in sorted(used):
        if key.startswith("discount."):  # shown only while in force
            assert history(key), key
        else:
            fact(key, TODAY)


def test_call_centre_is_175() -> None:
    assert fact("contact.call_centre").amount == 175


@pytest.mark.parametrize(
    ("on", "cap", "status"),
    [
        (date(2015, 9, 1), 7_000_000, "vetted"),
        (date(2023, 6, 1), 9_559_600, "vetted"),
        (date(2024, 2, 29), 9_559_600, "vetted"),
        (date(2024, 3, 1), 10_042_300, "vetted"),
        (date(2025, 3, 1), 10_547_400, "secondary"),
        (date(2026, 2, 28), 10_547_400, "secondary"),
        (date(2026, 3, 1), 11_086_300, "secondary"),
        (TODAY, 11_086_300, "secondary"),
    ],
)
def test_jp_wage_cap_changes_each_march(on: date, cap: int, status: str) -> None:
    rule = fact("jp.wage_cap", on)
    assert rule.amount == cap
    assert rule.status == status


def test_jp_wage_cap_years_missing_from_the_reference_are_unknown() -> None:
    years = {row.valid_from.year for row in history("jp.wage_cap")}
    assert 2018 not in years and 2022 not in years


def test_conflicting_figures_are_marked_uncertain() -> None:
    assert fact("jkk.stmb.full_months").status == "uncertain"
    # The services reference (§17) vets the Rp 15 juta JMO limit (FAQ #709, 2025).
    assert fact("jmo.jht_limit").status == "vetted"
    assert fact("jmo.jht_limit", date(2024, 1, 1)).amount == 10_000_000
    assert fact("jmo.jht_limit").amount == 15_000_000
    assert fact("discount.bpu.scope").status == "uncertain"
    assert fact("jkp.min_contribution_months").status == "uncertain"
    assert fact("jkp.min_contribution_months", date(2024, 1, 1)).status == "vetted"


def test_jkp_rules_follow_pp_6_2025_from_7_february_2025() -> None:
    assert fact("jkp.benefit_percent", date(2025, 2, 6)).amount == 45
    assert fact("jkp.benefit_percent", date(2025, 2, 7)).amount == 60
    assert fact("jkp.rate.total").amount == Decimal("0.36")


def test_reference_files_ship_with_the_package() -> None:
    folder = resources.files("bot.store") / "seed" / "reference"
    for name in ("bpjstk-facts.md", "regional-facts.md", "README.md"):
        assert (folder / name).read_text(encoding="utf-8").strip()


async def test_seeded_store_answers_with_the_rule_in_force(store: Store) -> None:
    cap = store.facts.current("jp.wage_cap", TODAY)
    assert isinstance(cap, Fact) and cap.amount == 11_086_300
    assert len(store.facts.history("jp.pension_age")) == 10
    assert store.facts.keys("scholarship.") == sorted(store.facts.keys("scholarship."))
