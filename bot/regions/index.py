"""Compact in-memory tables of folded region names → Kemendagri codes.

About 70,000 distinct names for 92,000 regions: a name with one region keeps its code as a
plain string (a reference to the code already held), so the whole index stays small.
"""

from __future__ import annotations

import functools
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.regions.model import LEVELS, level_of_code

Codes = str | tuple[str, ...]
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")
_NEAR_CACHE = 8192  # queries whose nearest name is kept


def _level_rank(code: str) -> tuple[int, str]:
    level = level_of_code(code)
    return (LEVELS.index(level) if level else len(LEVELS), code)


def _as_tuple(codes: Codes | None) -> tuple[str, ...]:
    if codes is None:
        return ()
    return (codes,) if isinstance(codes, str) else codes


def max_distance(query: str) -> int:
    """Edits forgiven: none below 6 letters, one up to 8, two from 9."""
    if len(query) >= 9:
        return 2
    return 1 if len(query) >= 6 else 0


def near_names(query: str, names: Iterable[str]) -> list[tuple[str, int]]:
    """Names within `max_distance` edits of `query` (same first letter), nearest first."""
    limit = max_distance(query)
    if not limit:
        return []
    found = process.extract(
        query,
        [name for name in set(names) if name[:1] == query[:1]],
        scorer=OSA.distance,
        score_cutoff=limit,
        limit=None,
    )
    return sorted(((name, int(distance)) for name, distance, _ in found), key=lambda f: f[1])


class NameTable:
    """Folded name → every code of that name (province before regency before district ...)."""

    def __init__(self) -> None:
        self._codes: dict[str, Codes] = {}
        self._joined: dict[str, Codes] = {}  # "gunungsembilan" → names written with spaces
        # (first letter, length) → names, in the order added, with their place in that order
        # among the names of that first letter (ties of `closest` go to the earliest name)
        self._by_shape: dict[tuple[str, int], tuple[list[str], array[int]]] = {}
        # every name and joined name, sorted (prefix lookups); made on the first lookup, so
        # a table that is never asked (districts and villages) does not hold it
        self._keys: list[str] | None = None
        # `closest` answers, kept (one message's sentences are read on their own too, and
        # chat words repeat across messages); the least recent dropped
        self._near = functools.lru_cache(maxsize=_NEAR_CACHE)(self._closest)

    def add(self, name: str, code: str) -> None:
        current = self._codes.get(name)
        if current is None:
            self._codes[name] = code
        elif isinstance(current, str):
            if current != code:
                self._codes[name] = (current, code)
        elif code not in current:
            self._codes[name] = (*current, code)

    def finish(self) -> None:
        """Order each name's codes and build the secondary lookups; call once, after adding."""
        for name, codes in self._codes.items():
            if isinstance(codes, tuple):
                self._codes[name] = tuple(sorted(codes, key=_level_rank))
            if " " in name:
                key = name.replace(" ", "")
                current = self._joined.get(key)
                self._joined[key] = name if current is None else (*_as_tuple(current), name)
        self._near.cache_clear()
        self._by_shape.clear()
        order: dict[str, int] = {}
        for name in self._codes:
            if name:
                at = order[name[0]] = order.get(name[0], -1) + 1
                names, places = self._by_shape.setdefault((name[0], len(name)), ([], array("I")))
                names.append(name)
                places.append(at)
        self._keys = None

    def starts_any(self, prefix: str) -> bool:
        """Whether some name, or some name with its spaces removed, starts with `prefix`."""
        if self._keys is None:
            self._keys = sorted({*self._codes, *self._joined})
        at = bisect_left(self._keys, prefix)
        return at < len(self._keys) and self._keys[at].startswith(prefix)

    def get(self, name: str) -> tuple[str, ...]:
        return _as_tuple(self._codes.get(name))

    def get_words(self, words: Sequence[str]) -> tuple[str, ...]:
        """Codes of the words as one name, with or without the spaces between them."""
        exact = self.get(" ".join(words))
        if exact:
            return exact
        joined = "".join(words)
        codes = list(self.get(joined))
        for name in _as_tuple(self._joined.get(joined)):
            codes.extend(c for c in self.get(name) if c not in codes)
        return tuple(sorted(codes, key=_level_rank))

    def with_schwa(self, query: str) -> str | None:
        """The one name the query is with a dropped "e" restored: "sutra" → "sutera".

        Writing a consonant cluster without its schwa is the commonest informal spelling;
        only an "e" between two consonants is tried, and only an unambiguous result counts.
        """
        if len(query) < 4:
            return None
        found = {
            name
            for at in range(1, len(query))
            if query[at - 1] in _CONSONANTS
            and query[at] in _CONSONANTS
            and (name := query[:at] + "e" + query[at:]) in self._codes
        }
        return found.pop() if len(found) == 1 else None

    def closest(self, query: str) -> tuple[str, int] | None:
        """The nearest name with the same first letter within `max_distance`, and its distance.

        Only names whose length is within the limit can be near (an edit changes the length
        by one at most), so only those are compared; of equally near names, the first added.
        """
        return self._near(query)

    def _closest(self, query: str) -> tuple[str, int] | None:
        limit = max_distance(query)
        if not limit:
            return None
        best: tuple[int, int, str] | None = None  # (distance, place, name)
        for length in range(len(query) - limit, len(query) + limit + 1):
            shape = self._by_shape.get((query[:1], length))
            if shape is None:
                continue
            names, places = shape
            found = process.extractOne(query, names, scorer=OSA.distance, score_cutoff=limit)
            if found is not None:
                candidate = (int(found[1]), places[found[2]], found[0])
                if best is None or candidate < best:
                    best = candidate
        return (best[2], best[0]) if best else None


class CodeSet:
    """Membership of codes added in ascending order (a sorted list: a fraction of a set)."""

    def __init__(self, codes: Iterable[str] = ()):
        self._codes = sorted(codes)

    def extend_sorted(self, codes: Sequence[str]) -> None:
        if self._codes and codes and codes[0] <= self._codes[-1]:
            self._codes = sorted({*self._codes, *codes})
        else:
            self._codes.extend(codes)

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        at = bisect_left(self._codes, code)
        return at < len(self._codes) and self._codes[at] == code

    def __len__(self) -> int:
        return len(self._codes)
