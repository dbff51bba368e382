"""`jamsosbot stats [--days N]`: the staff report from a shell."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.bot.commands.test_faq import CliRunner, cli

__all__ = ["cli"]


def _log(path: Path, rows: list[tuple[str, str, int, datetime]]) -> None:
    with sqlite3.connect(path) as db:
        now = datetime.now(UTC).isoformat()
        user = db.execute(
            "INSERT INTO users (channel, external_id, region_code, created_at, last_seen_at)"
            " VALUES ('telegram', '9', '61.04.01', ?, ?)",
            (now, now),
        ).lastrowid
        db.execute(
            "INSERT INTO subscriptions (user_id, region_code, created_at) VALUES (?, '61.04', ?)",
            (user, now),
        )
        for text, intent, answered, when in rows:
            db.execute(
                "INSERT INTO questions (user_id, channel, text, intent, score, answered,"
                " created_at) VALUES (?, 'telegram', ?, ?, 1, ?, ?)",
                (user, text, intent, answered, when.isoformat()),
            )


def test_report_covers_the_period(data_dir: Path, cli: CliRunner) -> None:
    now = datetime.now(UTC)
    _log(
        data_dir / "jamsosbot.sqlite3",
        [
            ("cara klaim jht", "jht_claim", 1, now),
            ("cuaca besok", "fallback", 0, now),
            ("Cuaca besok?", "fallback", 0, now - timedelta(days=2)),
            ("harga cabai", "fallback", 0, now - timedelta(days=20)),  # outside --days 7
        ],
    )
    status, out, _ = cli("stats", "--days", "7")
    assert status == 0
    assert "Pertanyaan: 3  tak terjawab: 2  tingkat fallback: 66,7 %" in out
    assert "     2  fallback" in out and "     1  jht_claim" in out
    assert "     3  61.04 Kabupaten Ketapang" in out
    assert "     2  cuaca besok" in out
    assert "harga cabai" not in out
    assert "     1  61.04 Kabupaten Ketapang" in out.split("Pelanggan per wilayah:")[1]

    as_json = json.loads(cli("stats", "--days", "30", "--json")[1])
    assert as_json["total"] == 4 and as_json["fallback_rate"] == 0.75


def test_bad_period_is_refused(cli: CliRunner) -> None:
    status, _, err = cli("stats", "--days", "0")
    assert status == 2 and "--days" in err
