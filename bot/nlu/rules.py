"""Rules first: exact commands and one-word messages, matched after light normalization."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from importlib import resources
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

from bot.domain.intents import Intent
from bot.domain.understanding import Understanding

_NOT_WORD = re.compile(r"[^\w/ ]+")
_SPACES = re.compile(r"\s+")


def basic_normalize(text: str) -> str:
    """NFKC, lowercase, punctuation to spaces (keeping a leading slash), single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def load_intent_data() -> dict[str, Any]:
    """The intents file shipped with the package (examples, phrases)."""
    raw = (resources.files("bot.nlu") / "data" / "intents.yml").read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=SafeLoader)
    if not isinstance(data, dict):
        raise ValueError("intents.yml must map intent ids to their data")
    return data


class PhraseRules:
    """Exact phrase → intent table built from the `phrases` lists of the intents file."""

    def __init__(self, data: Mapping[str, Any]):
        self._table: dict[str, Intent] = {}
        for name, spec in data.items():
            intent = Intent(name)
            for phrase in (spec or {}).get("phrases", ()):
                key = basic_normalize(str(phrase))
                if key in self._table and self._table[key] is not intent:
                    raise ValueError(f"phrase {phrase!r} is claimed by two intents")
                self._table[key] = intent

    def match(self, text: str) -> Intent | None:
        return self._table.get(basic_normalize(text))


class RuleUnderstander:
    """Understands only the exact phrases; everything else is the fallback."""

    def __init__(self, rules: PhraseRules):
        self._rules = rules

    def understand(
        self, text: str, *, previous: Understanding | None = None, today: date | None = None
    ) -> Understanding:
        intent = self._rules.match(text)
        if intent is None:
            return Understanding(intent=Intent.FALLBACK, score=0.0)
        return Understanding(intent=intent, score=1.0)
