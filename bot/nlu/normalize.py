"""Normalization of informal Indonesian chat text into a canonical token sequence.

Lowercase and NFKC, emoji/URLs/punctuation dropped, digits split from letters, letters repeated
three or more times squeezed ("bangettt"), reduplication ("anak2"), slang and abbreviations
mapped through a table (`data/slang.csv`, whole tokens and phrases only), and words outside the
known vocabulary corrected to a close known word (rapidfuzz edit distance).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache, partial
from importlib import resources

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

_URL = re.compile(r"(?:https?://|www\.)\S+")
_NOT_WORD_OR_UNDERSCORE = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d])|(?<=[^\W\d])(?=\d)")
_REDUPLICATION = re.compile(r"\b([^\W\d]{2,})2\b")
_REPEATS = re.compile(r"([^\W\d])\1{2,}")
_SUFFIXES = ("nya", "in", "kan", "ku", "mu", "kah", "lah", "an", "i")
_CORRECT_FROM = 4  # shorter unknown words are left as typed
_TWO_EDITS_FROM = 9  # from this length a word may be two edits from the known one
_DISTANCE = OSA.distance  # a swap of two letters ("iruan") is one edit
_WORD_CACHE = 16384  # words whose normalized form is kept (the least recent dropped)


@lru_cache(maxsize=32)  # one message's texts: its slots, places and words read the same text
def basic_normalize(text: str) -> str:
    """NFKC, lowercase, URLs and punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    # what `[^\w]+`, then `_+`, then `\s+` each to one space give: words and single spaces
    return _NOT_WORD_OR_UNDERSCORE.sub(" ", text).strip()


def load_slang() -> dict[str, str]:
    """`informal -> normalized` from the shipped table (an empty value drops the token)."""
    raw = (resources.files("bot.nlu") / "data" / "slang.csv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(raw.splitlines()):
        if row["informal"].startswith("#"):
            continue  # a marker row
        informal = basic_normalize(row["informal"])
        if informal:
            table[informal] = basic_normalize(row["normalized"] or "")
    return table


class Normalizer:
    """Turns a message into canonical tokens; pure and cached per token."""

    def __init__(self, slang: Mapping[str, str], vocabulary: Iterable[str] = ()):
        self._words = {k: v for k, v in slang.items() if " " not in k}
        self._phrases = sorted(
            ((k.split(), v) for k, v in slang.items() if " " in k), key=lambda kv: -len(kv[0])
        )
        self._max_phrase = max((len(words) for words, _ in self._phrases), default=1)
        # Phrases by their first word (longest first): a token is compared with its own only.
        self._phrases_from: dict[str, list[tuple[list[str], str]]] = {}
        for words, value in self._phrases:
            self._phrases_from.setdefault(words[0], []).append((words, value))
        self.vocabulary: frozenset[str] = frozenset()
        # Known words that are never a correction's target (place names: a typo in those is
        # the gazetteer's business).
        self.reserved: frozenset[str] = frozenset()
        self._choices: list[str] = []
        self._near: dict[int, list[str]] = {}  # word length -> the choices near that length
        # per word, what it becomes, kept (the least recent dropped); they depend on the
        # vocabulary, so all are forgotten when it changes
        self._squeeze = lru_cache(maxsize=_WORD_CACHE)(self._squeezed_word)
        self._mapped = lru_cache(maxsize=_WORD_CACHE)(partial(self._mapped_word, correct=True))
        self._mapped_as_typed = lru_cache(maxsize=_WORD_CACHE)(
            partial(self._mapped_word, correct=False)
        )
        self.set_vocabulary(vocabulary)

    def set_vocabulary(self, vocabulary: Iterable[str]) -> None:
        """Known words: typos are corrected towards these (and slang keys/values)."""
        words = set(vocabulary)
        for key, value in self._words.items():
            words.add(key)
            words.update(value.split())
        for _, value in self._phrases:
            words.update(value.split())
        self.vocabulary = frozenset(w for w in words if w)
        self._choices = sorted(
            w for w in self.vocabulary | self.reserved if len(w) >= 3 and w.isalpha()
        )
        self._correct.cache_clear()
        self._near.clear()
        # the choices near each length, made now rather than on the first message that needs
        # them (a word of a new length was a few milliseconds' pause)
        longest = max(map(len, self._choices), default=0)
        for length in range(_CORRECT_FROM, longest + 3):
            self._choices_near(length)
        self._squeeze.cache_clear()
        self._mapped.cache_clear()
        self._mapped_as_typed.cache_clear()

    def tokens(self, text: str, *, correct: bool = True) -> list[str]:
        """Canonical tokens; `correct=False` maps slang but leaves unknown words as typed."""
        text = basic_normalize(text.replace("%", " persen "))
        if "2" in text:
            text = _REDUPLICATION.sub(r"\1", text)
        if _DIGIT.search(text):
            text = _DIGIT_LETTER.sub(" ", text)
        raw = list(map(self._squeeze, text.split()))
        mapped_word = self._mapped if correct else self._mapped_as_typed
        out: list[str] = []
        i = 0
        while i < len(raw):
            for words, value in self._phrases_from.get(raw[i], ()):
                n = len(words)
                if raw[i : i + n] == words:
                    out.extend(value.split())
                    i += n
                    break
            else:
                out.extend(mapped_word(raw[i]))
                i += 1
        return out

    def _mapped_word(self, token: str, *, correct: bool) -> tuple[str, ...]:
        """The tokens one word (not part of a phrase) becomes."""
        mapped = self._words.get(token)
        if mapped is None and correct:
            mapped = self._words.get(self._correct(token), self._correct(token))
        elif mapped is None:
            mapped = token
        return tuple(mapped.split())

    def normalize(self, text: str, *, correct: bool = True) -> str:
        return " ".join(self.tokens(text, correct=correct))

    def _squeezed_word(self, token: str) -> str:
        if not _REPEATS.search(token):
            return token
        single = _REPEATS.sub(r"\1", token)
        if single in self.vocabulary or single in self._words:
            return single
        double = _REPEATS.sub(r"\1\1", token)
        if double in self.vocabulary or double in self._words:
            return double
        return single

    def _choices_near(self, length: int) -> list[str]:
        """The known words a word of `length` letters may be corrected to: those at most its
        edit limit longer or shorter (more edits apart), in the same order."""
        near = self._near.get(length)
        if near is None:
            limit = 1 if length < _TWO_EDITS_FROM else 2
            near = [w for w in self._choices if abs(len(w) - length) <= limit]
            self._near[length] = near
        return near

    @lru_cache(maxsize=8192)  # noqa: B019 - one normalizer per process; bounded cache
    def _correct(self, token: str) -> str:
        """The closest known word for an unknown one (1 edit for 4-8 letters, 2 from 9; a swap
        of two letters is one edit); none when two known words are equally close."""
        if (
            token in self.vocabulary
            or token in self.reserved
            or len(token) < _CORRECT_FROM
            or not token.isalpha()
        ):
            return token
        for suffix in _SUFFIXES:  # gajinya, daftarin, iurannya, bisakah
            stem = token[: -len(suffix)]
            if token.endswith(suffix) and len(stem) >= 3 and stem in self.vocabulary:
                return stem
        limit = 1 if len(token) < _TWO_EDITS_FROM else 2
        best = extract(
            token, self._choices_near(len(token)), scorer=_DISTANCE, score_cutoff=limit, limit=2
        )
        if not best or (len(best) > 1 and best[1][1] == best[0][1]):
            return token  # no known word that close, or two equally close: keep it as typed
        return best[0][0]
