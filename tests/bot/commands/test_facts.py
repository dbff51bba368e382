"""`jamsosbot facts check`: what staff must re-verify, with an exit status for monitoring."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.bot.commands.test_faq import CliRunner, cli

__all__ = ["cli"]


def _add_fact(path: Path, key: str, start: str, end: str | None, status: str = "vetted") -> None:
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO facts (key, value, unit, valid_from, valid_to, status, source, origin)"
            " VALUES (?, '1', 'rp', ?, ?, ?, 'Test 1/2020', 'test')",
            (key, start, end, status),
        )


def test_ended_old_and_uncertain_facts_are_listed(data_dir: Path, cli: CliRunner) -> None:
    database = data_dir / "jamsosbot.sqlite3"
    _add_fact(database, "test.ended", "2020-01-01", "2021-12-31")
    _add_fact(database, "test.recent", "2026-10-01", None)
    _add_fact(database, "test.uncertain", "2026-10-01", None, "uncertain")
    status, out, _ = cli("facts", "check", "--max-age-days", "36500", "--json")
    assert status == 1
    rows = [json.loads(line) for line in out.splitlines()]
    by_key = {row["key"]: row for row in rows}
    assert by_key["test.ended"]["problem"] == "ended"
    assert by_key["test.ended"]["valid_to"] == "2021-12-31"
    assert by_key["test.uncertain"]["problem"] == "uncertain"
    assert "test.recent" not in by_key
    assert all(row["source"] for row in rows)


def test_the_age_limit_flags_old_rules(data_dir: Path, cli: CliRunner) -> None:
    _add_fact(data_dir / "jamsosbot.sqlite3", "test.old", "2001-01-01", None)
    status, out, _ = cli("facts", "check", "--max-age-days", "9000")
    assert status == 1
    assert "old       test.old  2001-01-01..terbuka" in out
    assert "fakta perlu diverifikasi ulang" in out
    assert "     1  Test 1/2020" in out.split("Per sumber")[1]


def test_an_invalid_age_is_refused(cli: CliRunner) -> None:
    status, _, err = cli("facts", "check", "--max-age-days", "0")
    assert status == 2 and "--max-age-days" in err


def test_nothing_due_exits_0_and_old_vetted_rules_are_not_listed(
    data_dir: Path, cli: CliRunner
) -> None:
    database = data_dir / "jamsosbot.sqlite3"
    with sqlite3.connect(database) as db:  # only vetted rules in force, some from 2015
        db.execute("DELETE FROM facts WHERE status != 'vetted' OR valid_to IS NOT NULL")
    _add_fact(database, "test.old", "2001-01-01", None)
    status, out, _ = cli("facts", "check")
    assert status == 0, out
    assert "0 fakta perlu diverifikasi ulang" in out and "test.old" not in out


def test_the_shipped_facts_list_the_secondary_jp_wage_cap(cli: CliRunner) -> None:
    status, out, _ = cli("facts", "check", "--json")
    assert status == 1
    rows = [json.loads(line) for line in out.splitlines()]
    due = {(row["problem"], row["key"]) for row in rows}
    assert ("secondary", "jp.wage_cap") in due
    assert not any(row["status"] == "vetted" and row["problem"] == "old" for row in rows)
