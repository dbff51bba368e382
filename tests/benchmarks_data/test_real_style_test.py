"""Checks on the held-out real-style TEST set (benchmarks/data/real_style_test.jsonl).

The set measures understanding on messages as people write them; nobody tunes on it. These
checks keep it well-formed and apart from everything the understanding layer is built or tuned
with: the training examples (bot/nlu/data/intents.yml, compared mechanically through the
loader), the real-style development set and the shared evaluation set.
"""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path
from typing import Any

import pytest

from bot.nlu.data import load_intent_data, training_examples
from tests.benchmarks_data.paths import DATA as DATA_DIR
from tests.benchmarks_data.paths import EVAL_DEV, FIELDS, SPEC

DATA = DATA_DIR / "real_style_test.jsonl"
DEV = DATA_DIR / "real_style_dev.jsonl"
SOURCES = DATA_DIR / "REAL_STYLE_TEST_SOURCES.md"

SERVICE_INTENTS = {
    "jmo_app_help",
    "account_access",
    "kpj_lost",
    "kpj_multiple",
    "data_correction",
    "claim_status",
    "payout_account",
    "membership_status",
    "bsu",
    "loans",
    "fraud_warning",
    "human_agent",
}


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _words(text: str) -> int:
    return len(text.split())


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return _read_jsonl(DATA)


@pytest.fixture(scope="module")
def intent_ids() -> set[str]:
    if not SPEC.exists():
        pytest.skip(f"intent spec not found at {SPEC}")
    ids = set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", SPEC.read_text(encoding="utf-8"), re.M))
    assert ids, "no intent ids parsed from the spec"
    return ids


def test_enough_rows(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 250


def test_fields_and_labels(rows: list[dict[str, Any]], intent_ids: set[str]) -> None:
    for row in rows:
        assert set(row) == FIELDS, row
        assert isinstance(row["text"], str)
        assert row["text"].strip(), row
        intents = row["intents"]
        assert isinstance(intents, list), row
        assert 1 <= len(intents) <= 3, row
        assert len(set(intents)) == len(intents), row
        assert row["intent"] == intents[0], row
        for intent in intents:
            assert intent in intent_ids, row
        assert row["origin"] in {"public", "written"}, row
        if row["origin"] == "public":
            assert isinstance(row["source"], str), row
            assert row["source"].startswith(("http://", "https://")), row
        else:
            assert row["source"] is None, row


def test_length_distribution(rows: list[dict[str, Any]]) -> None:
    lengths = [_words(row["text"]) for row in rows]
    assert 14 <= statistics.median(lengths) <= 22
    assert sum(n > 30 for n in lengths) >= 0.20 * len(lengths)
    assert sum(n <= 6 for n in lengths) >= 20  # short messages are real traffic too


def test_multi_question_rows(rows: list[dict[str, Any]]) -> None:
    assert sum(len(row["intents"]) >= 2 for row in rows) >= 30


def test_every_service_intent_is_measured(rows: list[dict[str, Any]]) -> None:
    firsts = [row["intent"] for row in rows]
    for intent in SERVICE_INTENTS:
        assert firsts.count(intent) >= 12, (intent, firsts.count(intent))


def test_settings_intents_only_for_short_commands(rows: list[dict[str, Any]]) -> None:
    settings = {"subscribe", "unsubscribe", "language"}
    for row in rows:
        if settings & set(row["intents"]):
            assert _words(row["text"]) <= 10, row


def test_no_duplicates(rows: list[dict[str, Any]]) -> None:
    texts = [_norm(row["text"]) for row in rows]
    assert len(texts) == len(set(texts))


def test_no_row_is_a_training_example(rows: list[dict[str, Any]]) -> None:
    training = {_norm(text) for text, _ in training_examples(load_intent_data())}
    assert training, "no training examples loaded"
    clashes = [row["text"] for row in rows if _norm(row["text"]) in training]
    assert not clashes


def test_no_row_is_a_dev_row(rows: list[dict[str, Any]]) -> None:
    dev = _read_jsonl(DEV)
    dev_texts = {_norm(row["text"]) for row in dev}
    assert not [row["text"] for row in rows if _norm(row["text"]) in dev_texts]
    dev_sources = {row["source"] for row in dev if row["source"]}
    reused = [row["source"] for row in rows if row["source"] in dev_sources]
    assert not reused, "a public page already quoted in the dev set"


def test_no_overlap_with_eval_dev(rows: list[dict[str, Any]]) -> None:
    if not EVAL_DEV.exists():
        pytest.skip(f"evaluation set not found at {EVAL_DEV}")
    held_out = {_norm(row["text"]) for row in _read_jsonl(EVAL_DEV)}
    assert not [row["text"] for row in rows if _norm(row["text"]) in held_out]


def test_public_sources_are_attributed(rows: list[dict[str, Any]]) -> None:
    listed = SOURCES.read_text(encoding="utf-8")
    for row in rows:
        if row["origin"] == "public":
            assert row["source"] in listed, row["source"]
