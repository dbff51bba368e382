"""The classifier's fast paths give exactly what the plain ones give.

`Vectorizer.transform_tokens` (cached per-word columns, numpy counts) against
`Vectorizer.transform(raw_features(...))`, and the whole understander, fast paths on against
the reference paths (feature names counted one by one, phrases found by regular expression),
on every message of the development sets: the same intents, in the same order, the same
scores, slots and clarifying choices.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.understanding import Understanding
from bot.nlu import normalize, segments, slots
from bot.nlu.artefact import default_model
from bot.nlu.classifier import Vectorizer, raw_features
from bot.nlu.data import load_intent_data, training_examples
from bot.nlu.model import IntentModel
from bot.nlu.normalize import Normalizer
from bot.nlu.slots import PhraseTable
from bot.nlu.understander import NluUnderstander
from bot.regions.finder import RegionFinder

REPO = Path(__file__).resolve().parents[3]
REAL_STYLE = REPO / "benchmarks" / "data" / "real_style_dev.jsonl"
# The shared dev set sits next to the checkout (or next to the folder of worktrees).
SHARED_DEV = next(
    (
        path
        for path in (
            REPO.parent / "shared" / "eval" / "dev.jsonl",
            REPO.parent.parent / "shared" / "eval" / "dev.jsonl",
        )
        if path.is_file()
    ),
    None,
)


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return default_model()


def reference_row(model: IntentModel, tokens: Sequence[str]) -> tuple[Any, Any]:
    """The row as training builds it: feature names counted, then looked up one by one."""
    return model.vectorizer.transform(model._features(tokens, model.unknown_words(tokens)))


def same_row(fast: tuple[Any, Any], reference: tuple[Any, Any]) -> None:
    assert fast[0].tolist() == reference[0].tolist()
    assert fast[0].dtype == reference[0].dtype and fast[1].dtype == reference[1].dtype
    assert np.array_equal(fast[1], reference[1])


def test_the_fast_row_is_the_reference_row_on_every_training_example(model: IntentModel) -> None:
    texts = [text for text, _ in training_examples(load_intent_data())]
    assert len(texts) > 1000
    for text in texts:
        tokens = model.classifier_tokens(text, [])
        same_row(model.row(tokens), reference_row(model, tokens))


words = st.text(alphabet="abcdeijknrstuy0123", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    tokens=st.lists(words, max_size=40),
    markers=st.sets(st.sampled_from(["_withdraw", "_unknown", "_long", "_nothing"]), max_size=3),
)
def test_transform_tokens_is_transform_of_the_counted_names(
    tokens: list[str], markers: set[str]
) -> None:
    names = raw_features(["jht", "cair", "saldo", "bpjs", "123", "resign", "kartu", "aa"])
    names.update(raw_features(["a", "b"], ["_withdraw", "_long"]))
    vectorizer = Vectorizer.fit([names, raw_features(["cair", "jp", "dana"])])
    same_row(
        vectorizer.transform_tokens(tokens, markers),
        vectorizer.transform(raw_features(tokens, markers)),
    )


def test_an_empty_message_has_an_empty_row(model: IntentModel) -> None:
    idx, values = model.vectorizer.transform_tokens([])
    assert idx.size == 0 and values.size == 0


def development_messages() -> list[str]:
    """Every message of the real-style set and the shared dev set, and 100-word windows of
    the long ones (read here, never learned from)."""
    texts = []
    for path in (REAL_STYLE, SHARED_DEV):
        if path is not None:
            lines = path.read_text(encoding="utf-8").splitlines()
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    words = " ".join(t for t in texts if len(t.split()) > 30).split()
    return texts + [" ".join(words[k : k + 100]) for k in range(0, len(words) - 100, 100)]


def forget_words(model: IntentModel) -> None:
    """The normalizer's per-word results forgotten: the next reading computes them anew."""
    model.normalizer.set_vocabulary(model.normalizer.vocabulary)


def readings(found: Understanding) -> Iterator[Understanding]:
    yield found
    yield from found.more


@pytest.mark.skipif(not REAL_STYLE.is_file(), reason="real-style development set not present")
def test_the_understander_reads_every_development_message_as_the_reference_paths_do(
    model: IntentModel, place_finder: RegionFinder, monkeypatch: pytest.MonkeyPatch
) -> None:
    understander = NluUnderstander(model, place_finder)
    texts = development_messages()
    assert len(texts) >= 400
    fast = [understander.understand(text) for text in texts]
    forget_words(model)
    with monkeypatch.context() as patch:
        patch.setattr(IntentModel, "row", reference_row)
        # typos compared with every known word; digits looked for in every text
        patch.setattr(Normalizer, "_choices_near", lambda self, length: self._choices)
        patch.setattr(normalize, "_DIGIT", re.compile(""))
        patch.setattr(slots, "_DIGIT", re.compile(""))
        # phrases by regular expression
        patch.setattr(PhraseTable, "_matches", lambda self, text: None)
        # framing and asking words by the caseless expressions
        patch.setattr(segments, "_without_closing", lambda t: segments._TRAILING.sub("", t))
        patch.setattr(
            segments, "asks", lambda s: "?" in s or bool(segments._QUESTION_WORDS.search(s))
        )
        reference = [understander.understand(text) for text in texts]
    forget_words(model)  # nothing read the reference way stays for other tests
    several = 0
    for text, got, expected in zip(texts, fast, reference, strict=True):
        pairs = list(zip(readings(got), readings(expected), strict=True))
        several += len(pairs) > 1
        for a, b in pairs:
            assert a.intent is b.intent, text[:60]
            assert a.score == pytest.approx(b.score, abs=1e-5), text[:60]
            assert (a.slots, a.clarify, a.money_guess, a.locale) == (
                b.slots,
                b.clarify,
                b.money_guess,
                b.locale,
            ), text[:60]
    assert several > 0  # messages of several questions were compared too
