"""Matching a message against the example phrasings of the FAQs staff added.

Consulted only when the classifier falls back. The score is the mean of rapidfuzz's
token-sort and token-set ratios on normalized text: word order does not matter, extra words
cost a little, and a short example inside a long unrelated message does not reach the bar.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

THRESHOLD = 80.0
_NOT_WORD = re.compile(r"[^\w]+")


def normalize(text: str) -> str:
    """NFKC, case-folded, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


class Phrased(Protocol):
    """An FAQ as the matcher sees it: its id and its example phrasings."""

    @property
    def id(self) -> int: ...

    @property
    def examples(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class FaqMatch:
    faq_id: int
    score: float  # 0-100


class FaqMatcher:
    """Pure and in memory: every (faq id, normalized example), scored in one C pass."""

    def __init__(self, faqs: Iterable[Phrased], threshold: float = THRESHOLD):
        pairs = [
            (faq.id, normalized)
            for faq in faqs
            for normalized in sorted({normalize(example) for example in faq.examples})
            if normalized
        ]
        self._ids = [faq_id for faq_id, _ in pairs]
        self._examples = [example for _, example in pairs]
        self._threshold = threshold

    def match(self, text: str) -> FaqMatch | None:
        query = normalize(text)
        if not query or not self._examples:
            return None
        by_order = process.cdist([query], self._examples, scorer=fuzz.token_sort_ratio)[0]
        by_set = process.cdist([query], self._examples, scorer=fuzz.token_set_ratio)[0]
        scores = (by_order + by_set) / 2
        best = int(scores.argmax())
        score = float(scores[best])
        return FaqMatch(self._ids[best], score) if score >= self._threshold else None
