"""Finds place names in a message: an in-memory index over the whole gazetteer.

Provinces, regencies/cities and their aliases ("kalbar", "ktp") are found anywhere in a
message; districts and villages (tens of thousands of names, many of them ordinary words)
only after a cue ("desa sutera", "kec. sukadana") or when the message is just the name.
Typos are forgiven by edit distance (one edit, two for long names) with the first letter
kept. A place followed by the region it lies in ("desa sutera kayong utara") is one mention,
narrowed to that region.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain.understanding import PlaceMention
from bot.regions.index import CodeSet, NameTable
from bot.regions.model import Region, RegionName, ancestor_codes, level_of_code
from bot.regions.names import fold, search_name
from bot.regions.vocabulary import Cue, Vocabulary, load_vocabulary

_CODE = re.compile(r"(?<![\d.])\d{2}(?:\.\d{2}){1,2}(?:\.\d{4})?(?![\d.])")
_CODE_MARK = "#"  # fold() never leaves "#" in a word
_MAX_WORDS = 6
_FUZZY_WORDS = 3
_FREE_CACHE = 16384  # windows of words whose bare place name (or none) is kept
_LEVEL_CUES = frozenset({"kabupaten", "kota", "province", "district", "village"})
_SHORT_MESSAGE = 3  # words: a message this short is about the place it names
# Words around a place name that do not break "<place> <region it lies in>".
_JOINERS = frozenset({"di", "kab", "kabupaten", "kota", "kec", "kecamatan", "prov", "provinsi"})
# Words left over when a message is only a place name ("desa saya: Sutera").
_FILLERS = frozenset({"di", "yang", "ya", "aja", "saja", "itu", "ini", "saya", "kami", "kak"})
# "desa saya Sutera": words between a cue and the name that it may follow.
_POSSESSIVES = frozenset({"saya", "sy", "kami", "kita", "aku", "ku"})
# Words that may follow a name that came after "desa saya".
_ENDINGS = frozenset({",", "berapa", "brp", "apa", "ya", "yg", "yang", "kak", "pak", "bu", "nya"})
# Words after a cue that say which place without naming it ("desa saya", "desa mana").
_NOT_A_NAME = frozenset(
    {
        "mana",
        "yang",
        "saya",
        "sy",
        "kami",
        "kita",
        "ini",
        "itu",
        "apa",
        "berapa",
        "brp",
        "ku",
        "kamu",
        "anda",
        "sendiri",
        "tersebut",
        "lain",
        "lainnya",
        "setempat",
        "nya",
        "sini",
        "aku",
    }
)


class NamePages(Protocol):
    """Where the gazetteer's names come from (the store's region repository)."""

    async def names_page(self, after: str = "", limit: int = 10_000) -> list[RegionName]: ...


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    codes: tuple[str, ...]
    skip: int = -1  # a token inside the span left out of its text ("saya" in "desa saya X")
    fuzzy: bool = False  # found by edit distance
    # after "desa"/"kec": the name's districts and villages of either level, so that
    # "desa sukadana kayong utara" (no such village there) can still mean the district
    others: tuple[str, ...] = ()
    tentative: bool = False  # kept only if joined with the region it lies in


class RegionFinder:
    """`PlaceFinder` over the gazetteer. Its answers never change once built (some are kept
    to be given again); `find` does no I/O."""

    def __init__(self, names: Iterable[RegionName], vocabulary: Vocabulary):
        self._free = NameTable()  # provinces, regencies/cities, aliases
        self._local = NameTable()  # districts, villages
        self._known = CodeSet()
        kota: list[str] = []
        batch: list[str] = []
        for entry in names:
            batch.append(entry.code)
            if entry.level in ("province", "regency"):
                self._free.add(entry.search_name, entry.code)
                if entry.city:
                    kota.append(entry.code)
            else:
                self._local.add(entry.search_name, entry.code)
            if len(batch) >= 10_000:
                self._known.extend_sorted(sorted(batch))
                batch = []
        self._known.extend_sorted(sorted(batch))
        weak = set(vocabulary.common_words)
        for alias in vocabulary.aliases:
            if alias.code in self._known:
                self._free.add(alias.name, alias.code)
                if alias.weak:
                    weak.add(alias.name)
        self._free.finish()
        self._local.finish()
        self._kota = frozenset(kota)
        self._weak = frozenset(weak)
        self._cues = dict(vocabulary.cues)
        self._chat_words = vocabulary.chat_words
        # `_free_at` answers per window of words, kept; the least recent dropped
        self._free_in = functools.lru_cache(maxsize=_FREE_CACHE)(self._free_in_window)

    @classmethod
    def from_regions(cls, regions: Iterable[Region], vocabulary: Vocabulary) -> RegionFinder:
        entries = (
            RegionName(
                code=r.code,
                level=r.level,
                search_name=search_name(r.name, r.level),
                city=r.name.startswith("Kota "),
            )
            for r in regions
        )
        return cls(entries, vocabulary)

    @classmethod
    async def load(cls, gazetteer: NamePages) -> RegionFinder:
        """Read the gazetteer page by page, then index it in a worker thread."""
        pages: list[list[RegionName]] = []
        after = ""
        while page := await gazetteer.names_page(after):
            pages.append(page)
            after = page[-1].code
        return await asyncio.to_thread(lambda: cls(_drain(pages), load_vocabulary()))

    def forget(self) -> None:
        """Drop the place names kept per window of words: the next message is read as if
        none of its words had been seen in that order (for measuring a first reading)."""
        self._free_in.cache_clear()

    def find(self, text: str) -> list[PlaceMention]:
        """Every place named in `text`, in order; each with all the codes it may denote."""
        tokens = _tokens(text)
        spans = self._scan(tokens)
        if not spans:
            spans = self._whole_message(tokens)
        return [
            PlaceMention(
                " ".join(
                    t.lstrip(_CODE_MARK)
                    for at, t in enumerate(tokens[s.start : s.end], s.start)
                    if t != "," and at != s.skip
                ),
                s.codes,
            )
            for s in _merge_qualified(spans, tokens)
        ]

    def _scan(self, tokens: Sequence[str]) -> list[_Span]:
        about_regions = len(tokens) <= _SHORT_MESSAGE or any(
            self._cues.get(t) in ("topic", "context", "kabupaten", "kota", "province")
            for t in tokens
        )
        spans: list[_Span] = []
        i = 0
        while i < len(tokens):
            span = None
            if tokens[i].startswith(_CODE_MARK):
                code = tokens[i][1:]
                span = _Span(i, i + 1, (code,)) if code in self._known else None
            else:
                cue = self._cues.get(tokens[i])
                if cue in _LEVEL_CUES:
                    span = self._after_cue(tokens, i + 1, cue)
                if span is None:
                    cued = i > 0 and self._cues.get(tokens[i - 1]) is not None
                    span = self._free_at(tokens, i, relaxed=about_regions or cued)
            if span is None:
                i += 1
                continue
            spans.append(span)
            i = span.end
        return spans

    def _after_cue(self, tokens: Sequence[str], start: int, cue: Cue | None) -> _Span | None:
        if start >= len(tokens):
            return None
        if tokens[start] in _POSSESSIVES and cue in ("district", "village"):
            # "desa saya Sutera": the name after "saya" is taken only when spelled exactly
            # (or with its schwa dropped), not an everyday word, and only at the end of the
            # message ("desa saya Sutera", "... berapa") or with its region ("... kayong utara")
            span = self._after_cue(tokens, start + 1, cue)
            if span is None or span.fuzzy or self._is_word(tokens[start + 1 : span.end]):
                return None
            ends = span.end == len(tokens) or tokens[span.end] in _ENDINGS
            return _Span(
                start - 1, span.end, span.codes, skip=start, others=span.others, tentative=not ends
            )
        if tokens[start] in _NOT_A_NAME:
            return None
        table = self._local if cue in ("district", "village") else self._free
        local = cue in ("district", "village")
        for end in range(min(len(tokens), start + _MAX_WORDS), start, -1):
            named = table.get_words(tokens[start:end])
            codes = self._of_kind(named, cue)
            if codes:
                if local:  # "desa telok melano": Teluk Melano too, not only a village Telok
                    codes = (*codes, *self._longer_near(table, tokens, start, end, cue))
                return _Span(start - 1, end, codes, others=named if local else ())
        if local:
            for end in range(min(len(tokens), start + _FUZZY_WORDS), start, -1):
                restored = table.with_schwa(" ".join(tokens[start:end]))
                named = table.get(restored) if restored else ()
                codes = self._of_kind(named, cue)
                if codes:
                    return _Span(start - 1, end, codes, others=named)
        best: tuple[int, int, tuple[str, ...]] | None = None  # (distance, -words, codes)
        for end in range(start + 1, min(len(tokens), start + _FUZZY_WORDS) + 1):
            near = table.closest(" ".join(tokens[start:end]))
            if near is None:
                continue
            codes = self._of_kind(table.get(near[0]), cue)
            if codes and (best is None or (near[1], start - end) < best[:2]):
                best = (near[1], start - end, codes)
        return _Span(start - 1, start - best[1], best[2], fuzzy=True) if best else None

    def _longer_near(
        self, table: NameTable, tokens: Sequence[str], start: int, end: int, cue: Cue | None
    ) -> tuple[str, ...]:
        """Places one typo away from the name plus the word after it, when an exact name
        stopped short of that word: "telok melano" is Teluk Melano as well as Telok."""
        if end >= len(tokens) or end - start >= _FUZZY_WORDS:
            return ()
        following = tokens[end]
        if following == "," or following in _JOINERS or following in _ENDINGS:
            return ()
        if self._cues.get(following) is not None or following in self._chat_words:
            return ()
        near = table.closest(" ".join(tokens[start : end + 1]))
        return self._of_kind(table.get(near[0]), cue) if near else ()

    def _is_word(self, words: Sequence[str]) -> bool:
        name = " ".join(words)
        return name in self._weak or all(w in self._chat_words for w in words)

    def _free_at(self, tokens: Sequence[str], start: int, *, relaxed: bool) -> _Span | None:
        """A bare place name starting at `start` (no cue before it), or None.

        Only the next `_MAX_WORDS` tokens decide, so the answer is kept per those words: a
        message's sentences, read on their own after the whole, find them again for free.
        """
        kept = self._free_in(tuple(tokens[start : start + _MAX_WORDS]), relaxed)
        return None if kept is None else _Span(start, start + kept[0], kept[1])

    def _free_in_window(
        self, window: tuple[str, ...], relaxed: bool
    ) -> tuple[int, tuple[str, ...]] | None:
        """A bare place name at the window's first word: its length in words and its codes."""
        if self._cues.get(window[0]) is not None or window[0] == ",":
            return None
        # a name spelled exactly, with or without its spaces, starts with the first word
        exact = self._free.starts_any(window[0])
        for n in range(len(window) if exact else 0, 0, -1):
            codes = self._free.get_words(window[:n])
            if codes and (relaxed or " ".join(window[:n]) not in self._weak):
                return n, codes
        if not relaxed:
            return None
        # a typo'd name is a few words up to the first cue or comma, longest first
        words = list(window[:_FUZZY_WORDS])
        for k, word in enumerate(words):
            if self._cues.get(word) is not None or word == ",":
                del words[k:]
                break
        everyday = [word in self._chat_words for word in words]
        for n in range(len(words), 0, -1):
            if all(everyday[:n]):
                return None  # everyday words are never a bare place name, typo or not
            found = self._free.closest(" ".join(words[:n]))
            if found is not None and found[0] not in self._weak:
                return n, self._free.get(found[0])
        return None

    def _whole_message(self, tokens: Sequence[str]) -> list[_Span]:
        """A message that is only a name (the answer to "desa mana?") may be any level.

        Spelled exactly (typos are forgiven after a cue only), and not an everyday word.
        """
        kept = [t for t in tokens if t not in _FILLERS and t != "," and t not in self._cues]
        if not kept or len(kept) > _MAX_WORDS or all(t in self._chat_words for t in kept):
            return []
        codes = self._local.get_words(kept) or self._free.get_words(kept)
        if not codes:
            return []
        start = tokens.index(kept[0])
        return [_Span(start, start + len(kept), codes)]

    def _of_kind(self, codes: Sequence[str], cue: Cue | None) -> tuple[str, ...]:
        """The codes a cue allows ("kota" prefers cities, "desa" wants villages)."""
        if cue == "province":
            return tuple(c for c in codes if level_of_code(c) == "province")
        if cue == "district":
            return tuple(c for c in codes if level_of_code(c) == "district")
        if cue == "village":
            return tuple(c for c in codes if level_of_code(c) == "village")
        regencies = [c for c in codes if level_of_code(c) == "regency"]
        if cue == "kota":
            return tuple([c for c in regencies if c in self._kota] or regencies)
        if cue == "kabupaten":
            return tuple([c for c in regencies if c not in self._kota] or regencies)
        return tuple(codes)


def _tokens(text: str) -> list[str]:
    """Folded words; a Kemendagri code becomes one marked token, a comma a boundary token."""
    tokens: list[str] = []
    position = 0
    for match in [*_CODE.finditer(text), None]:
        piece = text[position : match.start() if match else len(text)]
        for i, part in enumerate(piece.split(",")):
            if i:
                tokens.append(",")
            tokens.extend(fold(part).split())
        if match:
            tokens.append(_CODE_MARK + match.group())
            position = match.end()
    return tokens


def _drain(pages: list[list[RegionName]]) -> Iterator[RegionName]:
    """Yield every entry, letting each page go once it has been read."""
    while pages:
        yield from pages.pop(0)


def _narrowed(specific: Sequence[str], general: Iterable[str]) -> tuple[str, ...]:
    wanted = set(general)
    return tuple(c for c in specific if any(a in wanted for a in ancestor_codes(c)[:-1]))


def _merge_qualified(spans: list[_Span], tokens: Sequence[str]) -> list[_Span]:
    """Join "<place> <region containing it>" (either order) into one narrowed mention."""
    merged: list[_Span] = []
    for span in spans:
        if merged:
            last = merged[-1]
            between = tokens[last.end : span.start]
            if all(t in _JOINERS or t == "," for t in between):
                codes = (
                    _narrowed(last.codes, span.codes)
                    or _narrowed(span.codes, last.codes)
                    or _narrowed(last.others, span.codes)
                )
                if codes:
                    merged[-1] = _Span(last.start, span.end, codes, skip=last.skip)
                    continue
        merged.append(span)
    return [span for span in merged if not span.tentative]
