"""Slot reading: money, age, birth year, year, occupation, language and places.

Runs on the lowercased message before slang normalization (separators such as "4,5jt" and
"Rp 4.500.000" matter here). Each reader returns the value and the character spans it used, so
a later reader does not read the same digits twice (a year is never part of an amount).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import compress

from bot.domain.understanding import PlaceFinder, PlaceMention, Slots
from bot.nlu.money import read_amount
from bot.nlu.normalize import basic_normalize

Span = tuple[int, int]

_AGE = re.compile(
    r"\b(?:umur|umurnya|usia|usianya|berumur|berusia|age|aged|u)\b"
    r"(?:\s+(?:saya|sy|aku|gw|gue|ku|sdh|sudah|udah|udh|dah|skrg|sekarang|baru|skrng|kini|"
    r"nya|ibu|bapak|ayah|suami|istri|is|i\s+am|i'm|am))*"
    r"\s*:?\s*(?P<n>\d{1,3})(?!\d)"
    r"|(?<![\d.,])(?P<m>\d{1,3})\s*(?:th|thn|tahun|taun|years?)?\s*(?:old|yo|y\.o)\b"
)
_BIRTH = re.compile(
    r"\b(?:lahir|lhr|kelahiran|klahiran|born|kelahran)\b\s*(?:di\s+)?"
    r"(?:(?:tahun|thn|th|taun|tahn|in|pada|tgl|tanggal)\s*)?"
    r"(?:\d{1,2}\s*[-/ ]\s*(?:\d{1,2}|[a-z]+)\s*[-/ ]\s*)?(?P<y>(?:19|20)\d\d)\b"
)
_YEAR = re.compile(r"(?<![\d.,])(?P<y>(?:19[5-9]\d|20[0-9]\d))(?![\d.,]\d)")
_CODE = re.compile(r"(?<![\d.])(?P<code>\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)(?![\d.]*\d)")
_DIGIT = re.compile(r"\d")
_ENGLISH_KINDS = frozenset(
    {"village", "district", "subdistrict", "regency", "city", "province", "municipality"}
)
_PLACE_KINDS = frozenset(
    {
        *("desa", "ds", "kelurahan", "kel", "kampung", "dusun"),
        *("kecamatan", "kec", "kabupaten", "kab", "kota", "provinsi", "prov"),
        *_ENGLISH_KINDS,
    }
)
# Words between an English keyword and the name: "village of sutera", "village target sutera".
_ENGLISH_LINKS = frozenset({"of", "target", "targets", "coverage"})


def lower_text(text: str) -> str:
    """NFKC and casefold: the text every span of this module indexes."""
    return unicodedata.normalize("NFKC", text).casefold()


def _outside(span: Span, used: Iterable[Span]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in used)


def read_age(text: str, used: list[Span]) -> int | None:
    for match in _AGE.finditer(text):
        if not _outside(match.span(), used):
            continue
        value = int(match.group("n") or match.group("m"))
        if 10 <= value <= 110:
            used.append(match.span())
            return value
    return None


def read_birth_year(text: str, used: list[Span], today: date) -> int | None:
    for match in _BIRTH.finditer(text):
        value = int(match.group("y"))
        if 1920 <= value <= today.year and _outside(match.span("y"), used):
            used.append(match.span("y"))
            return value
    return None


def read_year(text: str, used: list[Span]) -> int | None:
    for match in _YEAR.finditer(text):
        if _outside(match.span(), used):
            used.append(match.span())
            return int(match.group("y"))
    return None


def read_code(text: str, used: list[Span]) -> str | None:
    """A Kemendagri code typed as such ("61.04", "61.04.16.2006")."""
    for match in _CODE.finditer(text):
        if _outside(match.span(), used):
            used.append(match.span())
            return match.group("code")
    return None


class PhraseTable:
    """Whole-word phrase lookup (longest phrase first) mapping to a canonical value.

    Text of single-space separated words (what `basic_normalize` and the normalizer give) is
    matched word by word through a table of phrases by their first word; any other text goes
    through the equivalent regular expression. Both find the same phrases.
    """

    def __init__(self, entries: Mapping[str, Iterable[str]]):
        pairs = [
            (basic_normalize(phrase), value)
            for value, phrases in entries.items()
            for phrase in phrases
        ]
        pairs.sort(key=lambda pv: -len(pv[0]))
        self._pattern = (
            re.compile(r"\b(" + "|".join(re.escape(p) for p, _ in pairs if p) + r")\b")
            if pairs
            else None
        )
        self._values = {phrase: value for phrase, value in pairs}
        # first word -> (words, phrase), in the pattern's order (longest phrase first)
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, _ in pairs:
            if phrase:
                words = tuple(phrase.split(" "))
                self._by_first.setdefault(words[0], []).append((words, phrase))
        # the last few texts' matches, kept: one message asks for the same text's phrases
        # several times
        self._kept = lru_cache(maxsize=_MEMO)(self._match_words)

    def _matches(self, text: str) -> tuple[tuple[int, int, str], ...] | None:
        """(start word, end word, phrase) of each phrase in a text of single-spaced words,
        left to right and not overlapping; None for any other text."""
        return self._kept(text)

    def _match_words(self, text: str) -> tuple[tuple[int, int, str], ...] | None:
        words = _words(text)
        found: list[tuple[int, int, str]] | None = None
        if words is not None:
            by_first, found, at = self._by_first, [], 0
            starts = compress(range(len(words)), map(by_first.__contains__, words))
            for i in () if by_first.keys().isdisjoint(words) else starts:
                if i < at:
                    continue  # inside the phrase found before
                for phrase_words, phrase in by_first[words[i]]:
                    end = i + len(phrase_words)
                    if words[i:end] == phrase_words:
                        found.append((i, end, phrase))
                        at = end
                        break
        return None if found is None else tuple(found)

    def find(self, normalized: str) -> str | None:
        if self._pattern is None:
            return None
        found = self._matches(normalized)
        if found is not None:
            return self._values[found[0][2]] if found else None
        match = self._pattern.search(normalized)
        return self._values[match.group(1)] if match else None

    def find_all(self, normalized: str) -> set[str]:
        if self._pattern is None:
            return set()
        found = self._matches(normalized)
        if found is not None:
            return {self._values[phrase] for _, _, phrase in found}
        return {self._values[m.group(1)] for m in self._pattern.finditer(normalized)}

    def replaced(self, tokens: list[str]) -> list[str]:
        """The tokens with each phrase found replaced by its value (one token)."""
        if self._pattern is None:
            return tokens
        text = " ".join(tokens)
        found = self._matches(text)
        if found is not None:
            out: list[str] = []
            at = 0
            for start, end, phrase in found:
                out.extend(tokens[at:start])
                out.extend(self._values[phrase].split())
                at = end
            if not at:
                return tokens
            out.extend(tokens[at:])
            return out if out != tokens else tokens
        replaced = self._pattern.sub(lambda m: self._values[m.group(1)], text)
        return replaced.split() if replaced != text else tokens


_MEMO = 16  # texts whose phrases a table keeps (one message's sentences and whole)
_SPACED_WORDS = re.compile(r"[^\W_]+(?: [^\W_]+)*")


@lru_cache(maxsize=_MEMO)
def _words(text: str) -> tuple[str, ...] | None:
    """The words of a text of words (letters and digits) separated by single spaces, where
    a regular expression's word boundaries are exactly the spaces; else None."""
    return tuple(text.split(" ")) if _SPACED_WORDS.fullmatch(text) else None


def cue_places(text: str, stop_words: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(kind, name) for places introduced by a keyword: "desa sukadana", "kab ketapang".

    A name has up to four words and ends before a number, another keyword or a word of
    `stop_words` ("desa sutera berapa"). After an English keyword the name may also come
    first ("sutera village").
    """
    found: list[tuple[str, str]] = []
    words = basic_normalize(text).split()

    def part_of_name(word: str) -> bool:
        return word not in stop_words and word not in _PLACE_KINDS and word.isalpha()

    for i, word in enumerate(words):
        if word not in _PLACE_KINDS:
            continue
        start = i + 1
        if word in _ENGLISH_KINDS:
            while start < len(words) and words[start] in _ENGLISH_LINKS:
                start += 1
        name: list[str] = []
        for following in words[start : start + 4]:
            if not part_of_name(following):
                break
            name.append(following)
        if not name and word in _ENGLISH_KINDS:  # "sutera village", "ketapang regency"
            for before in reversed(words[max(0, i - 4) : i]):
                if not part_of_name(before):
                    break
                name.insert(0, before)
        if name:
            found.append((word, " ".join(name)))
    return found


@dataclass(frozen=True, slots=True)
class PlaceSlots:
    place: str | None = None
    region: str | None = None
    other_region: str | None = None
    village: str | None = None


def _is_village(code: str) -> bool:
    return code.count(".") == 3


def place_slots(
    text: str,
    finder: PlaceFinder | None,
    typed_code: str | None,
    stop_words: frozenset[str] = frozenset(),
) -> PlaceSlots:
    """Slots for places: the gazetteer finder's mentions, else keyword cues, else a typed code."""
    mentions: list[PlaceMention] = []
    if finder is not None:
        mentions = [m for m in finder.find(text) if m.text]
    if not mentions:
        cues = cue_places(text, stop_words)
        if cues:
            return PlaceSlots(
                place=cues[0][1],
                region=typed_code,
                other_region=next((name for _, name in cues[1:] if name != cues[0][1]), None),
            )
        if typed_code is not None:
            village = typed_code if _is_village(typed_code) else None
            return PlaceSlots(region=typed_code, village=village)
        return PlaceSlots()
    first = mentions[0]
    region = first.codes[0] if len(first.codes) == 1 else typed_code
    village = region if region is not None and _is_village(region) else None
    other: str | None = None
    # The same place named again ("di kabupaten ketapang ... di ketapang ini") is no second
    # place: the other region is the first mention that denotes something else.
    second = next((m for m in mentions[1:] if m.codes != first.codes), None)
    if second is not None:
        other = second.codes[0] if len(second.codes) == 1 else second.text
    return PlaceSlots(place=first.text, region=region, other_region=other, village=village)


@dataclass(frozen=True, slots=True)
class SlotReading:
    """Every slot of one message, read once; `for_intent` picks what an intent uses.

    `slots` holds the slots every intent reads (places from keyword cues or a typed code);
    `language` and `options` (intent name -> the option its words name) are kept apart, so
    "meninggal" never becomes an option of an intent that has none.
    """

    slots: Slots
    money_spans: tuple[Span, ...]
    money_guess: int | None = None  # a mistyped amount's likely meaning ("gaji 4500")
    code: str | None = None
    language: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def for_intent(self, intent: str, *, language: bool = False) -> Slots:
        return replace(
            self.slots,
            language=self.language if language else None,
            option=self.options.get(intent),
        )


class SlotReader:
    """Reads every slot of one message; `finder` resolves place names when available.

    `options` maps an intent name to its option values and the words that name them (the
    situation of a JHT claim, the fund a village target question is about).
    """

    def __init__(
        self,
        *,
        occupations: Mapping[str, Iterable[str]],
        languages: Mapping[str, Iterable[str]],
        options: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
        place_stop_words: Iterable[str] = (),
        finder: PlaceFinder | None = None,
    ):
        self._place_stop = frozenset(place_stop_words)
        self._occupations = PhraseTable(occupations)
        self._languages = PhraseTable(languages)
        self._options = {intent: PhraseTable(table) for intent, table in (options or {}).items()}
        self.finder = finder

    def read(self, text: str, *, today: date, places: bool = True) -> SlotReading:
        """All slots; places through the finder when `places` (else keyword cues only)."""
        lowered = lower_text(text)
        amount = read_amount(lowered)
        money, used = amount.value, list(amount.spans)
        money_spans = amount.spans
        code: str | None = None
        birth_year = age = year = None
        if _DIGIT.search(lowered):  # each of these reads digits
            code = read_code(lowered, used)
            birth_year = read_birth_year(lowered, used, today)
            age = read_age(lowered, used)
            year = read_year(lowered, used)
        plain = basic_normalize(text)
        where = place_slots(text, self.finder if places else None, code, self._place_stop)
        slots = Slots(
            money=money,
            age=age,
            birth_year=birth_year,
            year=year,
            occupation=self._occupations.find(plain),
            place=where.place,
            region=where.region,
            other_region=where.other_region,
            village=where.village,
        )
        options = {}
        for intent, table in self._options.items():
            value = table.find(plain)
            if value is not None:
                options[intent] = value
        return SlotReading(
            slots=slots,
            money_spans=money_spans,
            money_guess=amount.guess,
            code=code,
            language=self._languages.find(plain),
            options=options,
        )

    def with_found_places(self, text: str, reading: SlotReading) -> SlotReading:
        """`reading` with its places looked up by the finder (keyword cues when none)."""
        if self.finder is None:
            return reading
        where = place_slots(text, self.finder, reading.code, self._place_stop)
        slots = replace(
            reading.slots,
            place=where.place,
            region=where.region,
            other_region=where.other_region,
            village=where.village,
        )
        return replace(reading, slots=slots)
