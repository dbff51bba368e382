"""Inbound text hygiene: strip control characters, refuse what cannot be a question."""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class InputProblem(StrEnum):
    """Each value is the message key of the polite reply."""

    EMPTY = "input.empty"
    TOO_LONG = "input.too_long"
    NO_WORDS = "input.no_words"


def clean_text(text: str) -> str:
    """NFC, no control or private-use characters (keeping line breaks), trimmed."""
    text = unicodedata.normalize("NFC", text)
    kept = (
        ch
        for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs", "Cn"}
    )
    return "".join(kept).strip()


# A staff command carries a whole announcement (Telegram allows 4,096 characters, plus the
# options); up to twice that reaches the command, whose own check names the platform limit.
MAX_COMMAND_CHARS = 8192


def input_problem(text: str, max_chars: int) -> InputProblem | None:
    if not text:
        return InputProblem.EMPTY
    if len(text) > max_chars:
        return InputProblem.TOO_LONG
    if not any(ch.isalnum() for ch in text):
        return InputProblem.NO_WORDS
    return None
