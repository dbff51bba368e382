"""`jamsosbot privacy purge`: the retention purge by hand, as the server runs it daily."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.bot.commands.test_faq import CliRunner, cli

__all__ = ["cli"]


def _questions(path: Path, ages_in_days: list[int]) -> None:
    now = datetime.now(UTC)
    with sqlite3.connect(path) as db:
        for days in ages_in_days:
            db.execute(
                "INSERT INTO questions (user_id, channel, text, intent, score, answered,"
                " created_at) VALUES (NULL, 'telegram', 'cuaca', 'fallback', 0, 0, ?)",
                ((now - timedelta(days=days)).isoformat(),),
            )
        db.execute(
            "INSERT INTO audit_log (created_at, actor, action, subject, recipients, detail)"
            " VALUES (?, 'telegram:1', 'test', '', 0, '')",
            ((now - timedelta(days=800)).isoformat(),),
        )


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        (n,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(n)


def test_purge_applies_every_retention_setting(
    data_dir: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = data_dir / "jamsosbot.sqlite3"
    _questions(database, [1, 10, 200, 400])
    monkeypatch.setenv("JAMSOS_LOG_RETENTION_DAYS", "180")
    status, out, _ = cli("privacy", "purge")
    assert status == 0
    assert "melewati masa simpan dihapus" in out
    assert _count(database, "questions") == 2  # 1 and 10 days old stay
    assert _count(database, "audit_log") == 0  # older than the 730-day default
