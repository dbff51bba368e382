"""The announcement as each recipient gets it: their language, plus how to opt out."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.domain.messages import Reply


def announcement_text(text_id: str, text_en: str | None, locale: str) -> str:
    """English users get the English version when there is one; everyone else Indonesian."""
    return text_en if locale == "en" and text_en else text_id


def announcement_reply(text_id: str, text_en: str | None, locale: str, t: Translator) -> Reply:
    text = announcement_text(text_id, text_en, locale)
    return Reply(text=t.for_locale(locale)("announcements.message", text=text))
