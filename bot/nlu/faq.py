"""Matching a message against the example phrasings of the FAQs staff added.

Consulted only when the classifier falls back or is unsure. Two scores, the higher counts:

- phrasing: the mean of rapidfuzz's token-sort and token-set ratios against each example, on
  normalized text: word order does not matter, extra words cost a little, and a short example
  inside a long unrelated message does not reach the bar;
- words (paraphrases): the FAQ's examples pooled into one vocabulary of content words (light
  stemming: "dikirim" = "kirim", "parkiran" = "parkir"; function words and "bpjs" left out).
  A message whose content words the vocabulary covers, and which covers most of the content
  words of one example, matches, so an FAQ given two phrasings answers a third ("dokumen
  dikirim via kurir boleh" for "apakah berkas bisa dikirim lewat pos" and "kirim dokumen
  klaim lewat kurir bisa tidak"). At least two content words must match.
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
_MIN_SHARED_WORDS = 2
# Words that say nothing about what an FAQ is about (questions, particles, pronouns, the
# programme's own name, which every question carries).
_FUNCTION_WORDS = """
    apa apakah apa2 bagaimana gimana gmn bgmn kapan dimana mana berapa siapa kenapa mengapa
    bisa bisakah boleh bolehkah dapat dapatkah harus perlu mau ingin mohon tolong
    ga gak nggak enggak tidak tdk ndak kah dong ya yah sih deh kok lah nih tuh min kak pak bu
    di ke dari dan atau yang untuk utk buat dengan dgn sama pada oleh lewat via pakai pake
    ini itu tsb saya aku gue gw kami kita anda kamu dia mereka nya ku
    ada adakah sudah udah belum blm masih akan lagi juga saja aja cuma hanya
    jika kalau kalo klo apabila agar supaya tapi tetapi namun
    bpjs bpjstk tk ketenagakerjaan jamsostek
    is are can do does the a an to of in on for my i me how what when where which
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
_PREFIXES = (
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "pe",
    "ber",
    "ter",
    "di",
    "ke",
    "se",
)
_SUFFIXES = ("nya", "kan", "lah", "kah", "an", "i")


def stem(word: str) -> str:
    """A light Indonesian stem (affixes off while at least four letters remain)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            return word[len(prefix) :]
    return word


def content_words(normalized: str) -> frozenset[str]:
    """The stems of the words that carry meaning (normalized text in)."""
    return frozenset(
        stem(word) for word in normalized.split() if word not in FUNCTION_WORDS and len(word) > 1
    )


def _shares(word: str, vocabulary: frozenset[str]) -> bool:
    if word in vocabulary:
        return True
    # A typo in a longer word ("dokumn"): one edit in five letters or more.
    return len(word) >= 5 and any(
        len(other) >= 5 and fuzz.ratio(word, other) >= 85 for other in vocabulary
    )


def word_score(query: frozenset[str], examples: list[frozenset[str]]) -> float:
    """0-100: how far the query's content words lie inside the FAQ's pooled vocabulary, and
    the query covers the content words of its closest example."""
    if not query or not examples:
        return 0.0
    vocabulary = frozenset().union(*examples)
    shared = [word for word in query if _shares(word, vocabulary)]
    if len(shared) < _MIN_SHARED_WORDS:
        return 0.0
    inside = len(shared) / len(query)
    covered = max(
        sum(1 for word in example if _shares(word, query)) / len(example)
        for example in examples
        if example
    )
    return 100.0 * (inside + covered) / 2


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
        self._words: dict[int, list[frozenset[str]]] = {}
        for faq_id, example in pairs:
            words = content_words(example)
            if words:
                self._words.setdefault(faq_id, []).append(words)

    def match(self, text: str) -> FaqMatch | None:
        query = normalize(text)
        if not query or not self._examples:
            return None
        by_order = process.cdist([query], self._examples, scorer=fuzz.token_sort_ratio)[0]
        by_set = process.cdist([query], self._examples, scorer=fuzz.token_set_ratio)[0]
        scores = (by_order + by_set) / 2
        best = int(scores.argmax())
        faq_id, score = self._ids[best], float(scores[best])
        query_words = content_words(query)
        for candidate, examples in self._words.items():
            by_words = word_score(query_words, examples)
            if by_words > score:
                faq_id, score = candidate, by_words
        return FaqMatch(faq_id, score) if score >= self._threshold else None
