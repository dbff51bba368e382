"""Messages as people write them: sentences, the framing around a question, several questions.

A message is cut into sentences (".", "?", "!", ";", new lines; a dot between digits is part
of a number). Framing at the start or end of a sentence ("selamat pagi min", "mohon
bantuannya", "terima kasih") is dropped when anything else is left. The message as a whole
(the story included) is read once; each sentence that asks something is read on its own too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SEGMENTS = 3  # questions answered per message
MAX_SENTENCES = 24  # a pasted essay: the rest adds nothing

_SPLIT = re.compile(r"(?<=[?!;\n])|(?<=\.)(?!\d)")
_GREETINGS = (
    r"assalamu\W*alaikum(?:\W+(?:warahmatullahi|wr\.?|wb\.?|wabarakatuh|wbrkt))*",
    r"asalamualaikum",
    r"salam(?:\s+sejahtera)?",
    r"(?:selamat\s+)?(?:pagi|siang|sore|malam|malem)",
    r"good\s+(?:morning|afternoon|evening|day)",
    r"hal+o+|hel+o+|hai+|hi+|hey|dear|permisi|punten|nuwun\s+sewu|sugeng\s+(?:enjing|siang)",
    r"excuse\s+me|sorry|maaf(?:\s+(?:(?:mengganggu|ganggu)(?:\s+waktu(?:nya)?)?|sebelumnya|min|kak))?",
    r"mohon\s+maaf(?:\s+(?:sebelumnya|(?:mengganggu|ganggu)(?:\s+waktu(?:nya)?)?))?",
    r"(?:saya|sy|aku|mau|ingin|izin|ijin|numpang|boleh)\s+(?:mau\s+)?(?:tanya|bertanya|nanya)",
    r"tanya\s+dong|mau\s+nanya\s+dong",
)
_ADDRESS = (
    r"min|mimin|admin|kak|kakak|ka|gan|sis|bang|mas|mbak|mba|pak|bu|bapak|ibu|all|guys|ya|yah"
)
_CLOSINGS = (
    r"terima\s*kasih(?:\s+(?:banyak|sebelumnya|atas\s+\w+))*|makasih|makasi|mksh|trims|tks|thx",
    r"thanks?(?:\s+you)?(?:\s+(?:so\s+much|in\s+advance))?|thank\s+you",
    r"mohon\s+(?:bantuannya|bantuan|infonya|info|pencerahannya|pencerahan|penjelasannya"
    r"|jawabannya|responnya|arahannya|solusinya)",
    r"tolong\s+(?:dibantu|bantu|bantuannya)|please\s+help|please|pls|plis",
    r"wassalam(?:u\W*alaikum)?(?:\W+(?:wr\.?|wb\.?))*|salam",
    r"(?:ditunggu|saya\s+tunggu)\s+(?:jawabannya|balasannya|infonya)",
    r"matur\s+(?:nuwun|suwun)|hatur\s+nuhun|nuhun",
)
_FRAME = rf"(?:{'|'.join((*_GREETINGS, *_CLOSINGS, _ADDRESS))})"
_LEADING = re.compile(rf"^(?:[\W_]*\b{_FRAME}\b)+[\W_]*", re.IGNORECASE)
_TRAILING = re.compile(rf"(?:[\W_]*\b{_FRAME}\b)+[\W_]*$", re.IGNORECASE)
_QUESTION_WORDS = re.compile(
    r"\b(?:apa|apakah|apa\s+aja|bagaimana|gimana|gmn|gmna|bgmn|gimna|berapa|brp|kapan|kpn"
    r"|dimana|di\s+mana|mana|kenapa|mengapa|knp|napa|bisa|bisakah|bs|boleh|bolehkah|apa\s+bisa"
    r"|cara|caranya|syarat|syaratnya|harus|perlu|kah|kok|gak\s+sih|ya\s+kak|ya\s+min"
    r"|tolong|mohon|minta|pengen|ingin|mau|gimana\s+caranya|how|what|when|where|why|which"
    r"|can|could|should|is\s+it|are\s+there|do\s+i|does|will|piye|pripun|pira|piro|opo|endi"
    r"|kumaha|sabaraha|naon|iraha|dimana|tiasa|bade)\b",
    re.IGNORECASE,
)
# The same expressions without IGNORECASE, for ASCII text lowercased first: the same matches
# (their letters are all lowercase), found several times faster.
_TRAILING_LOWER = re.compile(_TRAILING.pattern)
_QUESTION_WORDS_LOWER = re.compile(_QUESTION_WORDS.pattern)
_WORD = re.compile(r"\w+")
# Inside a long sentence, the clauses that may each ask something ("saya masih kerja, apakah
# kalau kecelakaan masih ditanggung? terus iurannya dobel?").
_CLAUSE = re.compile(
    r",\s*|\s+(?=(?:terus|trus|lalu|kemudian|sekalian|dan\s+juga|and\s+also|also)\b)"
    r"|\s+(?=(?:dan|and|atau|or|sama)\s+(?:bisa|apa|apakah|gimana|bagaimana|berapa|kapan"
    r"|dimana|harus|perlu|how|what|can|where|when|which|is|do|does|should|will)\b)",
    re.IGNORECASE,
)
CLAUSE_WORDS = 2  # a clause of fewer words is part of its neighbour
_CLOSING = re.compile(rf"\b(?:{'|'.join(_CLOSINGS)})\b", re.IGNORECASE)
_TAIL = 120  # characters at the end of a sentence searched for closing framing


@dataclass(frozen=True, slots=True)
class Segments:
    """A message read as questions: `parts` are its asking sentences in order, `content` the
    message without its framing (empty when it is framing only: a greeting, thanks)."""

    parts: tuple[str, ...]
    content: str
    framing: str = ""  # "greeting" or "thanks" when the message is framing only


def sentences(text: str) -> list[str]:
    """The message's sentences, stripped, empty ones dropped (at most MAX_SENTENCES)."""
    found = [part.strip() for part in _SPLIT.split(text)]
    return [part for part in found if part][:MAX_SENTENCES]


def without_framing(sentence: str) -> str:
    """The sentence without greetings, thanks, apologies and forms of address around it."""
    head = _LEADING.sub("", sentence)
    # Closing framing is searched in the sentence's last characters only (fast on long text).
    cut = max(0, len(head) - _TAIL)
    while cut and head[cut - 1].isalnum():
        cut -= 1  # start at a word boundary
    stripped = (head[:cut] + _without_closing(head[cut:])).strip(" ,.-:;")
    if stripped and "?" in sentence and "?" not in stripped:
        stripped += "?"  # "kapan cairnya min?": still a question
    return stripped


def _without_closing(tail: str) -> str:
    """`_TRAILING.sub("", tail)`: at most one match, which ends the text."""
    ascii_text = tail.isascii()
    pattern = _TRAILING_LOWER if ascii_text else _TRAILING
    match = pattern.search(tail.lower() if ascii_text else tail)
    return tail if match is None else tail[: match.start()] + tail[match.end() :]


def asks(sentence: str) -> bool:
    """Whether a sentence asks or requests something (else it tells the story around it)."""
    if "?" in sentence:
        return True
    if sentence.isascii():
        return _QUESTION_WORDS_LOWER.search(sentence.lower()) is not None
    return _QUESTION_WORDS.search(sentence) is not None


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses (commas, "terus", "lalu", "sekalian"…), each of at least
    CLAUSE_WORDS words (a shorter one joins the clause before it)."""
    out: list[str] = []
    for piece in _CLAUSE.split(sentence):
        piece = piece.strip(" ,")
        if not piece:
            continue
        if out and (word_count(piece) < CLAUSE_WORDS or word_count(out[-1]) < CLAUSE_WORDS):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def asking_clauses(sentence: str) -> list[str]:
    """The clauses that ask something on their own, when a sentence asks in two or more."""
    found = [piece for piece in clauses(sentence) if asks(piece)]
    return found if len(found) >= 2 else []


def segment(text: str) -> Segments:
    """The message without framing, and its sentences that ask something."""
    kept = [cut for cut in (without_framing(s) for s in sentences(text)) if _WORD.search(cut)]
    if not kept:
        return Segments(parts=(), content="", framing=_framing_kind(text))
    return Segments(parts=tuple(s for s in kept if asks(s)), content=" ".join(kept))


def _framing_kind(text: str) -> str:
    """A message of framing only is thanks when it thanks (or closes), else a greeting."""
    if not _WORD.search(text):
        return ""
    return "thanks" if _CLOSING.search(text) else "greeting"
