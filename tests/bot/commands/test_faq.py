"""`jamsosbot faq add | list | remove`: an answer added from a shell is understood at once."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def cli(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[CliRunner]:
    """Run the CLI in this process (JAMSOS_DATA_DIR already points at `data_dir`)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield CliRunner(capsys)
    root.handlers[:] = handlers
    root.setLevel(level)


class CliRunner:
    def __init__(self, capsys: pytest.CaptureFixture[str]):
        self._capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        """(exit status, stdout, stderr)"""
        status = main(list(args))
        captured = self._capsys.readouterr()
        return status, captured.out, captured.err


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real `python -m bot` process, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "JAMSOS_DATA_DIR": str(data_dir)},
        timeout=120,
    )


@pytest.mark.usefixtures("trained_model")
def test_added_faq_is_understood_and_can_be_retired(data_dir: Path, cli: CliRunner) -> None:
    status, out, _ = cli(
        "faq",
        "add",
        "--question",
        "Kapan senam bersama?",
        "--answer-id",
        "Senam bersama tiap Jumat pagi di halaman kantor.",
        "--answer-en",
        "Group exercise every Friday morning in the office yard.",
        "--source",
        "Pengumuman Kantor Cabang",
        "--example",
        "senam jumat pagi jam berapa",
        "--example",
        "jadwal senam di halaman kantor",
    )
    assert status == 0
    assert "FAQ #1 ditambahkan" in out

    asked = run(data_dir, "ask", "--json", "kapan jadwal senam bersama di halaman kantor")
    assert asked.returncode == 0, asked.stderr
    document = json.loads(asked.stdout)
    assert document["intent"] == "faq" and document["slots"] == {"option": "1"}
    assert document["replies"][0]["text"].startswith("Senam bersama tiap Jumat")
    assert "Sumber: Pengumuman Kantor Cabang" in document["replies"][0]["text"]

    status, out, _ = cli("faq", "list")
    assert "#1  Kapan senam bersama?  [Pengumuman Kantor Cabang]" in out
    assert "~ jadwal senam di halaman kantor" in out

    assert cli("faq", "remove", "1")[0] == 0
    assert "0 FAQ aktif" in cli("faq", "list")[1]
    status, _, err = cli("faq", "remove", "1")
    assert status == 1 and "tidak ada FAQ aktif #1" in err


def test_missing_source_is_refused(cli: CliRunner) -> None:
    status, _, err = cli("faq", "add", "--question", "q", "--answer-id", "a", "--source", " ")
    assert status == 2
    assert "--source" in err
