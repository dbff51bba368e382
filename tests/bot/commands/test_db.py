"""`db backup`: read-only, refuses a wrong data dir, prunes older copies with --keep."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.db import prune_backups


def test_backup_of_the_configured_database(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "backups" / "jamsosbot-20261123.sqlite3"
    assert main(["db", "backup", str(target)]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] > 0


def test_backup_keeps_the_newest_n(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):
        old = folder / f"jamsosbot-2026110{day}.sqlite3"
        old.write_bytes(b"old")
        os.utime(old, (1_700_000_000 + day, 1_700_000_000 + day))
    unrelated = folder / "notes.txt"
    unrelated.write_text("keep me")
    latest = folder / "jamsosbot-20261123.sqlite3"
    assert main(["db", "backup", "--keep", "3", str(latest)]) == 0
    left = sorted(path.name for path in folder.iterdir())
    assert left == [
        "jamsosbot-20261104.sqlite3",
        "jamsosbot-20261105.sqlite3",
        "jamsosbot-20261123.sqlite3",
        "notes.txt",
    ]
    assert "3 cadangan lama dihapus, 3 disimpan" in capsys.readouterr().out


def test_keep_must_be_positive(data_dir: Path, tmp_path: Path) -> None:
    assert main(["db", "backup", "--keep", "0", str(tmp_path / "b-1.sqlite3")]) == 2
    assert not (tmp_path / "b-1.sqlite3").exists()


def test_prune_never_guesses_without_a_name_pattern(tmp_path: Path) -> None:
    (tmp_path / "1.sqlite3").write_bytes(b"x")
    (tmp_path / "2.sqlite3").write_bytes(b"x")
    assert prune_backups(tmp_path / "2.sqlite3", 1) == []
    assert len(list(tmp_path.iterdir())) == 2


def test_backup_with_a_wrong_data_dir_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JAMSOS_DATA_DIR", str(tmp_path / "typo"))
    assert main(["db", "backup", str(tmp_path / "copy.sqlite3")]) == 1
    assert "JAMSOS_DATA_DIR" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists() and not (tmp_path / "copy.sqlite3").exists()
