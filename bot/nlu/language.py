"""Which language a message is written in, when it is not Indonesian (answers follow it)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z']+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words of English that are not also common in Indonesian chat.
_ENGLISH = _words(
    """the a an is are was were be been am i i'm my me we our you your it its this that these
    those what how when where why which who whom can could should would will do does did
    have has had to of for with from about after before and or but if not no any some much
    many more there their they them please get got want know need pay paid work working
    worked job company employer salary leave leaving left withdraw money still only"""
)
_INDONESIAN = _words(
    """saya aku yang dan di ke dari untuk dengan ini itu apa bagaimana gimana berapa bisa
    tidak gak nggak sudah udah belum ada kalau kalo mau ingin bapak ibu kak min tolong mohon
    juga atau karena tapi sama jadi lagi nya dong ya kok"""
)


def message_locale(text: str) -> str | None:
    """ "en" for a message written in English, else None (Indonesian and the regional
    languages are answered in Indonesian)."""
    words = _WORD.findall(text.casefold())
    if len(words) < 3:
        return None  # "ok", "hi min": too short to tell
    english = sum(1 for w in words if w in _ENGLISH)
    indonesian = sum(1 for w in words if w in _INDONESIAN)
    if english >= 2 and english >= 0.3 * len(words) and english > 2 * indonesian:
        return "en"
    return None
