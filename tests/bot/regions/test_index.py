"""The name tables behind the place finder: exact, joined, prefix and nearest-name lookups."""

from __future__ import annotations

import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.regions import index as index_module
from bot.regions.index import NameTable, max_distance

NAMES = {
    "sutera": "61.06.01.2001",
    "sutra": "61.06.01.2002",
    "sukadana": "61.06.01",
    "sungai raya": "61.12.02",
    "sungai ayak": "61.03.05.2003",
    "sambas": "61.01",
    "simpang hilir": "61.06.06",
    "ketapang": "61.04",
    "kayong utara": "61.11",
}


def _table() -> NameTable:
    table = NameTable()
    for name, code in NAMES.items():
        table.add(name, code)
    table.finish()
    return table


def _every_name_nearest(table: NameTable, query: str) -> tuple[str, int] | None:
    """The nearest name compared against every name of the same first letter, in the order
    added: what `closest` must return although it compares only names of a near length."""
    limit = max_distance(query)
    choices = [name for name in NAMES if name[:1] == query[:1]]
    if not limit or not choices:
        return None
    found = process.extractOne(query, choices, scorer=OSA.distance, score_cutoff=limit)
    return (found[0], int(found[1])) if found else None


def test_closest_finds_a_name_one_or_two_edits_away() -> None:
    table = _table()
    assert table.closest("sukadna") == ("sukadana", 1)
    assert table.closest("simpang hilr") == ("simpang hilir", 1)
    assert table.closest("kayong utra") == ("kayong utara", 1)
    assert table.closest("ketapng") == ("ketapang", 1)


def test_closest_forgives_nothing_in_short_words_and_needs_the_first_letter() -> None:
    table = _table()
    assert table.closest("samba") is None  # under 6 letters: exact only
    assert table.closest("xukadana") is None  # another first letter
    assert table.closest("sukamaju raya") is None  # too far


def test_closest_agrees_with_comparing_every_name_of_the_first_letter() -> None:
    table = _table()
    queries = [
        "sutera",
        "suteraa",
        "sungai raya",
        "sungairaya",
        "sungai ayk",
        "sungai aya",
        "sungai rayaa",
        "sambass",
        "sukadanaa",
        "sukaadana",
        "simpanghilir",
        "ketapangg",
        "kayongutara",
        "sukadanaaa",  # two edits longer (names of 9+ letters forgive two)
        "sungai ry",  # two edits shorter
    ]
    for query in queries:
        assert table.closest(query) == _every_name_nearest(table, query), query


def test_closest_of_equally_near_names_is_the_first_added() -> None:
    table = NameTable()
    table.add("sungai raya", "1")
    table.add("sungai rayo", "2")
    table.finish()
    assert table.closest("sungai rayu") == ("sungai raya", 1)
    longer_first = NameTable()  # names of another length, equally near: still the first
    longer_first.add("sungai raya", "1")
    longer_first.add("sungai ray", "2")
    longer_first.finish()
    assert longer_first.closest("sungai rayx") == ("sungai raya", 1)
    shorter_first = NameTable()
    shorter_first.add("sungai ray", "2")
    shorter_first.add("sungai raya", "1")
    shorter_first.finish()
    assert shorter_first.closest("sungai rayx") == ("sungai ray", 1)


def test_closest_answers_the_same_when_asked_again() -> None:
    table = _table()
    first = table.closest("sukadna")
    assert table.closest("sukadna") == first == ("sukadana", 1)
    assert table.closest("nothing here") is None
    assert table.closest("nothing here") is None
    assert table.closest("sukadanaaa") == ("sukadana", 2)
    assert table.closest("sungai ry") == ("sungai raya", 2)


def test_kept_answers_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "_NEAR_CACHE", 2)
    table = _table()
    for query in ["sukadna", "ketapng", "kayong utra", "sukadna", "simpang hilr"] * 2:
        assert table.closest(query) == _every_name_nearest(table, query), query
        assert table._near.cache_info().currsize <= 2


def test_starts_any_knows_names_with_and_without_their_spaces() -> None:
    table = _table()
    assert table.starts_any("sungai")
    assert table.starts_any("sungaira")  # "sungairaya", the name written without its space
    assert table.starts_any("kayong")
    assert not table.starts_any("jakarta")
    assert not table.starts_any("sungaix")


def test_get_words_reads_a_name_written_with_or_without_spaces() -> None:
    table = _table()
    assert table.get_words(["sungai", "raya"]) == ("61.12.02",)
    assert table.get_words(["sungairaya"]) == ("61.12.02",)
    assert table.get_words(["kayong", "utara"]) == ("61.11",)
    assert table.get_words(["kayong"]) == ()
