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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.nlu.understanding import PlaceMention
from bot.regions.names import fold, search_name
from bot.regions.vocabulary import Cue, Vocabulary, load_vocabulary
from bot.store import Region, Store
from bot.store.regions import LEVELS, ancestor_codes, level_of_code

_CODE = re.compile(r"(?<![\d.])\d{2}(?:\.\d{2}){1,2}(?:\.\d{4})?(?![\d.])")
_CODE_MARK = "#"  # fold() never leaves "#" in a word
_MAX_WORDS = 6
_FUZZY_WORDS = 3
_LEVEL_CUES = frozenset({"kabupaten", "kota", "province", "district", "village"})
_SHORT_MESSAGE = 3  # words: a message this short is about the place it names
# Words around a place name that do not break "<place> <region it lies in>".
_JOINERS = frozenset({"di", "kab", "kabupaten", "kota", "kec", "kecamatan", "prov", "provinsi"})
# Words left over when a message is only a place name ("desa saya: Sutera").
_FILLERS = frozenset({"di", "yang", "ya", "aja", "saja", "itu", "ini", "saya", "kami", "kak"})


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    codes: tuple[str, ...]


def _level_rank(code: str) -> tuple[int, str]:
    level = level_of_code(code)
    return (LEVELS.index(level) if level else len(LEVELS), code)


def _max_distance(query: str) -> int:
    if len(query) >= 9:
        return 2
    return 1 if len(query) >= 6 else 0


class RegionFinder:
    """`PlaceFinder` over the gazetteer. Immutable once built; `find` does no I/O."""

    def __init__(self, regions: Iterable[Region], vocabulary: Vocabulary):
        free: dict[str, list[str]] = {}
        local: dict[str, list[str]] = {}
        kota: set[str] = set()
        known: set[str] = set()
        for region in regions:
            known.add(region.code)
            name = search_name(region.name, region.level)
            if region.level in ("province", "regency"):
                free.setdefault(name, []).append(region.code)
                if region.level == "regency" and fold(region.name).startswith("kota "):
                    kota.add(region.code)
            else:
                local.setdefault(name, []).append(region.code)
        weak = set(vocabulary.common_words)
        for alias in vocabulary.aliases:
            if alias.code in known:
                free.setdefault(alias.name, []).append(alias.code)
                if alias.weak:
                    weak.add(alias.name)
        self._free = {k: tuple(sorted(set(v), key=_level_rank)) for k, v in free.items()}
        self._local = {k: tuple(sorted(v, key=_level_rank)) for k, v in local.items()}
        self._known = frozenset(known)
        self._kota = frozenset(kota)
        self._weak = frozenset(weak)
        self._cues = dict(vocabulary.cues)
        # "gunung sembilan" and "gunungsembilan" are the same name
        self._free_compact = _compact(self._free)
        self._local_compact = _compact(self._local)
        self._free_by_initial = _by_initial(self._free)
        self._local_by_initial = _by_initial(self._local)

    @classmethod
    async def from_store(cls, store: Store) -> RegionFinder:
        """Read the gazetteer, then build the index in a worker thread."""
        regions = await store.regions.all()
        return await asyncio.to_thread(lambda: cls(regions, load_vocabulary()))

    def find(self, text: str) -> list[PlaceMention]:
        """Every place named in `text`, in order; each with all the codes it may denote."""
        tokens = _tokens(text)
        spans = self._scan(tokens)
        if not spans:
            spans = self._whole_message(tokens)
        return [
            PlaceMention(
                " ".join(t.lstrip(_CODE_MARK) for t in tokens[s.start : s.end] if t != ","),
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
        local = cue in ("district", "village")
        table = self._local if local else self._free
        compact = self._local_compact if local else self._free_compact
        for end in range(min(len(tokens), start + _MAX_WORDS), start, -1):
            words = tokens[start:end]
            exact = table.get(" ".join(words)) or compact.get("".join(words), ())
            codes = self._of_kind(exact, cue)
            if codes:
                return _Span(start - 1, end, codes)
        by_initial = self._local_by_initial if local else self._free_by_initial
        best: tuple[int, int, tuple[str, ...]] | None = None  # (distance, -words, codes)
        for end in range(start + 1, min(len(tokens), start + _FUZZY_WORDS) + 1):
            near = _fuzzy(" ".join(tokens[start:end]), by_initial)
            if near is None:
                continue
            codes = self._of_kind(table[near[0]], cue)
            if codes and (best is None or (near[1], start - end) < best[:2]):
                best = (near[1], start - end, codes)
        return _Span(start - 1, start - best[1], best[2]) if best else None

    def _free_at(self, tokens: Sequence[str], start: int, *, relaxed: bool) -> _Span | None:
        if self._cues.get(tokens[start]) is not None or tokens[start] == ",":
            return None
        for end in range(min(len(tokens), start + _MAX_WORDS), start, -1):
            name = " ".join(tokens[start:end])
            codes = self._free.get(name) or self._free_compact.get(name.replace(" ", ""))
            if codes and (relaxed or name not in self._weak):
                return _Span(start, end, codes)
        if not relaxed:
            return None
        for end in range(min(len(tokens), start + _FUZZY_WORDS), start, -1):
            if any(self._cues.get(t) is not None or t == "," for t in tokens[start:end]):
                continue
            found = _fuzzy(" ".join(tokens[start:end]), self._free_by_initial)
            if found is not None and found[0] not in self._weak:
                return _Span(start, end, self._free[found[0]])
        return None

    def _whole_message(self, tokens: Sequence[str]) -> list[_Span]:
        """A message that is only a name (the answer to "desa mana?") may be any level."""
        kept = [t for t in tokens if t not in _FILLERS and t != "," and t not in self._cues]
        if not kept or len(kept) > _MAX_WORDS:
            return []
        name = " ".join(kept)
        codes = (
            self._local.get(name)
            or self._free.get(name)
            or self._local_compact.get(name.replace(" ", ""))
        )
        if codes is None and len(kept) <= _FUZZY_WORDS:
            found = _fuzzy(name, self._local_by_initial)
            codes = self._local[found[0]] if found else None
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


def _compact(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    joined: dict[str, list[str]] = {}
    for name, codes in table.items():
        joined.setdefault(name.replace(" ", ""), []).extend(codes)
    return {k: tuple(sorted(set(v), key=_level_rank)) for k, v in joined.items()}


def _by_initial(table: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    buckets: dict[str, list[str]] = {}
    for name in table:
        if name:
            buckets.setdefault(name[0], []).append(name)
    return buckets


def _fuzzy(query: str, by_initial: dict[str, list[str]]) -> tuple[str, int] | None:
    """The closest name with the same first letter within the allowed edits, if any."""
    limit = _max_distance(query)
    if limit == 0:
        return None
    choices = by_initial.get(query[0])
    if not choices:
        return None
    found = process.extractOne(query, choices, scorer=OSA.distance, score_cutoff=limit)
    return (found[0], int(found[1])) if found else None


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
                codes = _narrowed(last.codes, span.codes) or _narrowed(span.codes, last.codes)
                if codes:
                    merged[-1] = _Span(last.start, span.end, codes)
                    continue
        merged.append(span)
    return merged
