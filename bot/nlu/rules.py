"""Rules first: exact commands and one-word messages, matched after light normalization."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from bot.domain.intents import Intent

_NOT_WORD = re.compile(r"[^\w/ ]+")
_SPACES = re.compile(r"\s+")


def command_text(text: str) -> str:
    """A message as an exact command or phrase is looked up: NFKC, lowercase, punctuation to
    spaces but slashes kept ("/start"), single spaces. Unlike `normalize.basic_normalize`, it
    keeps slashes and does not casefold or drop URLs."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


class PhraseRules:
    """Exact phrase → intent table built from the `phrases` lists of the intents file."""

    def __init__(self, data: Mapping[str, Any]):
        self._table: dict[str, Intent] = {}
        for name, spec in data.items():
            intent = Intent(name)
            for phrase in (spec or {}).get("phrases", ()):
                key = command_text(str(phrase))
                if key in self._table and self._table[key] is not intent:
                    raise ValueError(f"phrase {phrase!r} is claimed by two intents")
                self._table[key] = intent

    def match(self, text: str) -> Intent | None:
        return self._table.get(command_text(text))
