"""Amounts of money as people type them: "4,5jt", "Rp 4.500.000", "empat setengah juta".

Runs on lowercased text (see `slots.lower_text`); returns the value and the spans it used.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

Span = tuple[int, int]

_MULTIPLIERS: dict[str, int] = {
    "jt": 1_000_000,
    "jta": 1_000_000,
    "jtan": 1_000_000,
    "juta": 1_000_000,
    "yuta": 1_000_000,  # Javanese spelling
    "jutaan": 1_000_000,
    "jeti": 1_000_000,
    "million": 1_000_000,
    "mio": 1_000_000,
    "rb": 1_000,
    "rbu": 1_000,
    "rban": 1_000,
    "ribu": 1_000,
    "ribuan": 1_000,
    "rebu": 1_000,
    "k": 1_000,
    "thousand": 1_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
    "m": 1_000_000_000,
}
_MULT_RE = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))
_MONEY = re.compile(
    rf"(?P<rp>(?<![a-z])(?:rp|idr)\.?\s*)?"
    rf"(?<![\d.,])(?P<num>\d+(?:[.,]\d+)*)"
    rf"(?:\s*(?P<half>setengah|stgh))?"
    rf"(?:\s*(?P<mult>{_MULT_RE})(?:\s*-?\s*an)?(?![a-z]))?"
)
_MONEY_CUES = re.compile(
    r"\b(?:gaji|gajih|gajinya|upah|upahnya|penghasilan|pendapatan|income|salary|wage|"
    r"iuran|bayar|omzet|omset|hasil)\b[^\d]{0,20}$"
)
_WAGE_CUES = re.compile(
    r"\b(?:gaji|gajih|gajinya|gaji\s+saya|upah|upahnya|penghasilan|pendapatan|income|salary"
    r"|wage|omzet|omset)\b\s*(?:saya|sy|cuma|hanya|sekitar|kira2|kurang\s+lebih|:)?\s*$"
)
_NEGATIVE = re.compile(r"(?:^|[\s:=(])-\s*$")
_JOIN = re.compile(r"\s*(?:dan|lebih|plus|\+)?\s*")
_UNITS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_SPECIAL = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
_SCALE = {"puluh": 10, "ratus": 100}
_BIG = {"ribu": 1_000, "rb": 1_000, "juta": 1_000_000, "jt": 1_000_000, "miliar": 10**9}
_BIG_SE = {"seribu": 1_000, "sejuta": 1_000_000, "semiliar": 10**9}
_NUMBER_WORDS = (
    set(_UNITS) | set(_SPECIAL) | set(_SCALE) | set(_BIG) | set(_BIG_SE) | {"belas", "setengah"}
)
_WORD = re.compile(r"[a-z]+")


def parse_amount(number: str, multiplier: int | None) -> float | None:
    """A typed number with Indonesian or English separators ("4,5", "4.500.000", "4,500.00")."""
    seps = [(i, ch) for i, ch in enumerate(number) if ch in ".,"]
    if not seps:
        return float(number)
    last_i = seps[-1][0]
    tail = len(number) - last_i - 1
    kinds = {ch for _, ch in seps}
    if len(kinds) == 2 or (tail != 3 and len(seps) == 1):
        whole = re.sub(r"[.,]", "", number[:last_i])
        if not whole:
            return None
        return float(f"{whole}.{number[last_i + 1 :]}")
    groups = number.replace(",", ".").split(".")
    if tail == 3 and all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
        return float("".join(groups))
    if multiplier is not None and len(seps) == 1:
        return float(number.replace(",", "."))
    return None


def _words_amount(words: Sequence[str]) -> int | None:
    """Indonesian number words with a multiplier: "empat setengah juta", "tiga ratus ribu".

    A multiplier counts only after a number word or in its se- form ("sejuta").
    """
    total = 0.0
    small = 0.0
    last = 0.0
    fraction = False
    seen_big = False
    last_big = 0
    for word in words:
        if fraction and word in _UNITS:
            small += _UNITS[word] / 10
            fraction = False
        elif word in _UNITS:
            small += _UNITS[word]
            last = _UNITS[word]
        elif word in _SPECIAL:
            small += _SPECIAL[word]
            last = 0
        elif word == "belas":
            small += 10
            last = 0
        elif word in _SCALE:
            small += last * (_SCALE[word] - 1)
            last = 0
        elif word == "setengah":
            if small == 0 and seen_big and last_big:
                total += last_big / 2
            else:
                small += 0.5
        elif word == "koma":
            fraction = True
        elif word in _BIG_SE or (word in _BIG and small):
            # A bare unit ("brp jt", "umr brp rb") is no amount: "juta" needs a number word.
            scale = _BIG.get(word) or _BIG_SE[word]
            total += small * scale if word in _BIG else scale
            small = last = 0
            seen_big = True
            last_big = scale
    if not seen_big:
        return None
    return round(total + small)


@dataclass(frozen=True, slots=True)
class Amount:
    """The first amount of a message: `value` when it reads as money; `guess` when it looks
    mistyped ("gaji 4500", "-5jt": what it likely means, to ask about); the spans it covers."""

    value: int | None
    spans: tuple[Span, ...]
    guess: int | None = None


def read_money(text: str) -> tuple[int | None, list[Span]]:
    """The first amount of money in lowercased text (None when it looks mistyped), its spans."""
    amount = read_amount(text)
    return amount.value, list(amount.spans)


def _is_code(match: re.Match[str]) -> bool:
    """Digits that name something rather than count money: a phone number (leading 0 or
    62), a region code, NIK or KPJ number (nine digits or more typed without separators)."""
    number = match.group("num")
    if match.group("rp") or match.group("mult") or not number.isdigit():
        return False
    return len(number) >= 9 or (number.startswith("0") and len(number) >= 4)


@functools.lru_cache(maxsize=256)
def read_amount(text: str) -> Amount:
    """The first amount in lowercased text, with a following smaller part ("3 juta 200
    ribu", "4jt 500rb"); codes, phone numbers and years are never money.

    The last few texts' amounts are kept: a sentence of a long message is read for its
    question and again for its slots."""
    matches = list(_MONEY.finditer(text))
    for n, match in enumerate(matches):
        mult_word = match.group("mult")
        multiplier = _MULTIPLIERS.get(mult_word) if mult_word else None
        if mult_word == "m" and not match.group("rp"):
            continue  # "5 m" may be metres or minutes
        if _is_code(match):
            continue
        value = parse_amount(match.group("num"), multiplier)
        if value is None:
            continue
        if match.group("half"):
            value += 0.5
        negative = _NEGATIVE.search(text[: match.start("num")]) is not None
        cue = _MONEY_CUES.search(text[max(0, match.start() - 40) : match.start()])
        spans = [match.span()]
        if multiplier is not None:
            value *= multiplier
            rest = matches[n + 1] if n + 1 < len(matches) else None
            part = _smaller_part(text, match, rest, multiplier)
            if part is not None and rest is not None:
                value += part
                spans.append(rest.span())
        elif not match.group("rp"):
            if 1950 <= value <= 2099 and not cue:
                continue
            if value < 100_000:
                wage = _WAGE_CUES.search(text[max(0, match.start() - 40) : match.start()])
                decimal = not match.group("num").isdigit()
                if wage and (value >= 100 or (decimal and value < 100)):
                    # "gaji 4500", "upah 4,5": a wage typed without its unit.
                    scale = 1_000_000 if value < 100 else 1_000
                    return Amount(None, tuple(spans), guess=round(value * scale))
                if not (cue and value >= 1_000):  # "iuran 16.800" is a contribution
                    continue
        if value <= 0 or value >= 10**13:
            continue
        if negative:
            return Amount(None, tuple(spans), guess=round(value))
        return Amount(round(value), tuple(spans))
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        if words[i].group() not in _NUMBER_WORDS:
            i += 1
            continue
        j = i
        while j < len(words) and (words[j].group() in _NUMBER_WORDS or words[j].group() == "koma"):
            j += 1
        amount = _words_amount([w.group() for w in words[i:j]])
        if amount:
            return Amount(amount, ((words[i].start(), words[j - 1].end()),))
        i = j
    return Amount(None, ())


def _smaller_part(
    text: str, match: re.Match[str], rest: re.Match[str] | None, multiplier: int
) -> float | None:
    """The "200 ribu" of "3 juta 200 ribu": right after the amount (an optional "dan" or
    "lebih"), with a smaller unit, and less than one of the larger unit."""
    if rest is None or rest.group("rp") or not rest.group("mult"):
        return None
    between = text[match.end() : rest.start()]
    if not _JOIN.fullmatch(between):
        return None
    unit = _MULTIPLIERS.get(rest.group("mult"))
    if unit is None or unit >= multiplier:
        return None
    part = parse_amount(rest.group("num"), unit)
    if part is None or part * unit >= multiplier:
        return None
    return part * unit
