"""Fold region names and typed text into one comparable form (pure, no I/O)."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = str.maketrans("", "", "'’`‘")
# Prefixes that name the kind of a regency, not the regency ("Kabupaten Ketapang" → "ketapang").
_KIND_PREFIXES = ("kabupaten administrasi ", "kota administrasi ", "kabupaten ", "kota ")
# Words people type before a name to say what kind of place it is.
LEVEL_CUES: dict[str, str] = {
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "pemkab": "kabupaten",
    "kota": "kota",
    "kotamadya": "kota",
    "pemkot": "kota",
    "provinsi": "province",
    "propinsi": "province",
    "prov": "province",
    "pemprov": "province",
    "kecamatan": "district",
    "kec": "district",
    "desa": "village",
    "ds": "village",
    "kelurahan": "village",
    "kel": "village",
    "kampung": "village",
    "nagari": "village",
    "gampong": "village",
}
CUE_WORDS = frozenset(LEVEL_CUES)


def fold(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces: "Ma'rang-Jaya" → "marang jaya"."""
    plain = text
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", plain.lower().translate(_APOSTROPHES)).strip()


def search_name(name: str, level: str) -> str:
    """The folded name as stored in `regions.search_name` (regencies lose "Kabupaten"/"Kota")."""
    folded = fold(name)
    if level != "regency":
        return folded
    for prefix in _KIND_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix) :]
    return folded


def query_names(text: str) -> list[str]:
    """What typed text may be called in `search_name` form: as typed, and without cue words.

    "kab. Ketapang" → ["kab ketapang", "ketapang"]; "Kota Sigli" (a district) stays findable.
    """
    folded = fold(text)
    names = [folded]
    words = folded.split()
    while len(words) > 1 and words[0] in CUE_WORDS:
        words = words[1:]
        names.append(" ".join(words))
    return names


def short_name(name: str) -> str:
    """The name without "Kabupaten"/"Kota" (and "Administrasi"), keeping its spelling."""
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def cue_level(text: str) -> str | None:
    """The gazetteer level a leading cue asks for: "desa X" → "village", "kab X" → "regency"."""
    words = fold(text).split()
    if len(words) < 2 or words[0] not in LEVEL_CUES:
        return None
    cue = LEVEL_CUES[words[0]]
    return "regency" if cue in ("kabupaten", "kota") else cue
