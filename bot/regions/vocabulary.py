"""The shipped word lists of the place finder: aliases, cue words, names that are also words."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from bot.regions.names import LEVEL_CUES, fold

Cue = Literal["kabupaten", "kota", "province", "district", "village", "context", "topic"]
_CUES: tuple[Cue, ...] = (
    "kabupaten",
    "kota",
    "province",
    "district",
    "village",
    "context",
    "topic",
)


@dataclass(frozen=True, slots=True)
class Alias:
    name: str  # folded
    code: str
    weak: bool  # also an ordinary word ("ktp"): needs a cue or a message about regions


@dataclass(frozen=True, slots=True)
class Vocabulary:
    aliases: tuple[Alias, ...]
    cues: dict[str, Cue]
    common_words: frozenset[str]
    chat_words: frozenset[str]  # never a bare place name on their own


def _read(name: str) -> str:
    return (resources.files("bot.regions") / "data" / name).read_text(encoding="utf-8")


def _cue(value: str) -> Cue:
    for cue in _CUES:
        if cue == value:
            return cue
    raise ValueError(f"unknown cue meaning {value!r}")


def load_vocabulary() -> Vocabulary:
    """Blocking (reads package data): call at start-up, off the event loop."""
    aliases = tuple(
        Alias(name=fold(row["alias"]), code=row["code"], weak=row["weak"] == "1")
        for row in csv.DictReader(io.StringIO(_read("aliases.csv")))
    )
    cues = {word: _cue(meaning) for word, meaning in LEVEL_CUES.items()}
    cues.update(
        (fold(row["word"]), _cue(row["meaning"]))
        for row in csv.DictReader(io.StringIO(_read("cues.csv")))
    )
    return Vocabulary(
        aliases=aliases,
        cues=cues,
        common_words=_word_list("common_words.txt"),
        chat_words=_word_list("chat_words.txt"),
    )


def load_province_labels() -> dict[str, str]:
    """Short province names for buttons ("Jabar", "NTB"); blocking, call at import/start-up."""
    return {
        row["code"]: row["label"]
        for row in csv.DictReader(io.StringIO(_read("province_labels.csv")))
    }


def _word_list(name: str) -> frozenset[str]:
    return frozenset(
        fold(line)
        for line in _read(name).splitlines()
        if line.strip() and not line.startswith("#")
    )
