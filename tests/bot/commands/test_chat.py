"""`jamsosbot ask` and `db` from a shell, as staff and developers use them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts the bot, which loads the trained model instead of training it again.
pytestmark = pytest.mark.usefixtures("trained_model")

ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )


def test_ask_json_prints_the_documented_shape() -> None:
    done = _run("ask", "--json", "halo")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert set(document) == {"intent", "score", "slots", "replies"}
    assert document["intent"] == "greeting"
    assert 0 < document["score"] <= 1
    assert isinstance(document["slots"], dict)
    reply = document["replies"][0]
    assert "jamsosbot" in reply["text"]
    assert "Program BPJS TK" in [button["title"] for button in reply["buttons"]]


def test_ask_prints_the_reply_as_the_user_sees_it() -> None:
    done = _run("ask", "menu")
    assert done.returncode == 0, done.stderr
    assert "  1. Program BPJS TK" in done.stdout
    assert "{" not in done.stdout


def test_ask_does_not_log_the_question_as_a_conversation(tmp_path: Path) -> None:
    assert _run("ask", "cuaca besok gimana").returncode == 0
    database = Path(os.environ["JAMSOS_DATA_DIR"]) / "jamsosbot.sqlite3"
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM questions").fetchone() == (0,)


def test_db_upgrade_then_backup_while_data_exists(tmp_path: Path) -> None:
    first = _run("db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert "versi skema" in first.stdout
    again = _run("db", "upgrade")
    assert "tidak ada yang berubah" in again.stdout

    target = tmp_path / "backup.sqlite3"
    done = _run("db", "backup", str(target))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        assert version >= 2
