"""Checks on the real-style development set (benchmarks/data/real_style_dev.jsonl)."""

from __future__ import annotations

import json
import re
import statistics
from typing import Any

import pytest

from tests.benchmarks_data.paths import DATA as DATA_DIR
from tests.benchmarks_data.paths import EVAL_DEV, FIELDS, SPEC

DATA = DATA_DIR / "real_style_dev.jsonl"

BANDS = {"<=6": (0, 6), "7-15": (7, 15), "16-30": (16, 30), ">30": (31, 10**9)}


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _words(text: str) -> int:
    return len(text.split())


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    with DATA.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def intent_ids() -> set[str]:
    if not SPEC.exists():
        pytest.skip(f"intent spec not found at {SPEC}")
    ids = set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", SPEC.read_text(encoding="utf-8"), re.M))
    assert ids, "no intent ids parsed from the spec"
    return ids


def test_enough_rows(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 300


def test_fields_and_labels(rows: list[dict[str, Any]], intent_ids: set[str]) -> None:
    for row in rows:
        assert set(row) == FIELDS, row
        assert isinstance(row["text"], str)
        assert row["text"].strip()
        intents = row["intents"]
        assert isinstance(intents, list)
        assert 1 <= len(intents) <= 3, row
        assert row["intent"] == intents[0], row
        for intent in intents:
            assert intent in intent_ids, row
        assert row["origin"] in {"public", "written"}, row
        if row["origin"] == "public":
            assert isinstance(row["source"], str)
            assert row["source"].strip(), row
        else:
            assert row["source"] is None, row


def test_length_bands(rows: list[dict[str, Any]]) -> None:
    counts = dict.fromkeys(BANDS, 0)
    for row in rows:
        n = _words(row["text"])
        for band, (low, high) in BANDS.items():
            if low <= n <= high:
                counts[band] += 1
    for band, count in counts.items():
        assert count >= 40, (band, counts)


def test_length_distribution(rows: list[dict[str, Any]]) -> None:
    lengths = [_words(row["text"]) for row in rows]
    assert 14 <= statistics.median(lengths) <= 22
    assert sum(n > 30 for n in lengths) >= 0.25 * len(lengths)


def test_no_duplicates(rows: list[dict[str, Any]]) -> None:
    texts = [_norm(row["text"]) for row in rows]
    assert len(texts) == len(set(texts))


def test_no_overlap_with_eval_dev(rows: list[dict[str, Any]]) -> None:
    if not EVAL_DEV.exists():
        pytest.skip(f"evaluation set not found at {EVAL_DEV}")
    held_out: set[str] = set()
    with EVAL_DEV.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                held_out.add(_norm(json.loads(line)["text"]))
    clashes = [row["text"] for row in rows if _norm(row["text"]) in held_out]
    assert not clashes
