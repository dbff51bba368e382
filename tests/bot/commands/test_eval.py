"""`jamsosbot eval FILE.jsonl [--json]`: accuracy of the whole pipeline on labelled questions."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from tests.conftest import copy_seeded

ROWS = [
    {"text": "sy ojol bisa ikut ga ya", "intent": "eligibility", "source": "ignored"},
    {"text": "gajiku 4,5jt potongan bpjs tk nya brp", "intent": "contribution_pu"},
    {"text": "resep ayam geprek gmn", "intent": "fallback"},
    {"text": "makasihh min", "intent": "help"},  # wrongly labelled on purpose
]


@pytest.fixture
def eval_file(tmp_path: Path, settings: Settings, seeded_database: Path) -> Path:
    copy_seeded(seeded_database, settings.database_path)
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in ROWS) + "\n\n", encoding="utf-8")
    return path


def test_json_document_has_summary_and_one_result_per_row(
    eval_file: Path, capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    assert main(["eval", str(eval_file), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"summary", "results"}
    summary = document["summary"]
    assert set(summary) == {"n", "accuracy", "p50_ms", "p99_ms"}
    assert summary["n"] == 4 and summary["accuracy"] == 0.75
    assert 0 < summary["p50_ms"] <= summary["p99_ms"]
    results = document["results"]
    assert [r["expected"] for r in results] == [row["intent"] for row in ROWS]
    assert [r["intent"] for r in results] == [
        "eligibility",
        "contribution_pu",
        "fallback",
        "thanks",
    ]
    first = results[1]
    assert set(first) == {"text", "expected", "intent", "score", "slots", "replies"}
    assert first["slots"] == {"money": 4_500_000}
    assert 0 < first["score"] <= 1
    assert first["replies"][0]["text"]
    fallback = results[2]["replies"][0]
    assert "Cairkan JHT" in [button["title"] for button in fallback["buttons"]]
    # Fresh, unrecorded chats: nothing logged, no conversation state kept.
    with sqlite3.connect(settings.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM questions").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM conversation_state").fetchone() == (0,)


def test_text_report_shows_accuracy_per_intent_and_confusions(
    eval_file: Path, capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    assert main(["eval", str(eval_file)]) == 0
    out = capsys.readouterr().out
    assert "accuracy=75.0%" in out
    assert "help -> thanks: 1" in out
    assert "eligibility" in out and "p50" in out


def test_bad_file_gets_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "halo"}\n', encoding="utf-8")
    assert main(["eval", str(broken)]) == 2
    assert "line 1" in capsys.readouterr().err
    broken.write_text("not json\n", encoding="utf-8")
    assert main(["eval", str(broken)]) == 2
    assert "not JSON" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 2
