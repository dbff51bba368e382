"""Gettext catalogues from locales/<lang>/LC_MESSAGES/*.po, read with Babel at start-up.

Message ids are dotted keys (`conversation.welcome`); the msgstr is the sentence, with
`{named}` placeholders filled by `str.format`. Each topic has its own .po file, and all files
of one language are merged into one catalogue.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from pathlib import Path

from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
SUPPORTED = ("id", "en")
DEFAULT_LOCALE = "id"


def N_(key: str) -> str:
    """Mark a key that code stores or builds elsewhere, so the catalogue test finds it."""
    return key


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def read_catalogue(folder: Path, locale: str) -> dict[str, str]:
    """All non-fuzzy, translated messages of one language (blocking: call at start-up)."""
    messages: dict[str, str] = {}
    for po_path in sorted((folder / locale / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if not message.id or message.fuzzy or not isinstance(message.id, str):
                continue
            if not isinstance(message.string, str) or not message.string:
                continue
            if message.id in messages:
                raise ValueError(f"{po_path}: key {message.id} is defined twice")
            messages[message.id] = message.string
    return messages


class Catalogues:
    """The messages of every supported language."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]]):
        self._messages = messages

    @classmethod
    def load(cls, folder: Path = LOCALES_DIR) -> Catalogues:
        return cls({locale: read_catalogue(folder, locale) for locale in SUPPORTED})

    def keys(self, locale: str) -> set[str]:
        return set(self._messages.get(locale, {}))

    def template(self, locale: str, key: str) -> str | None:
        return self._messages.get(locale, {}).get(key)

    def translator(self, locale: str) -> Translator:
        return Translator(self, locale if locale in SUPPORTED else DEFAULT_LOCALE)


class Translator:
    """Key → sentence for one language, falling back to Indonesian, never to a raw crash."""

    def __init__(self, catalogues: Catalogues, locale: str):
        self._catalogues = catalogues
        self.locale = locale

    def __call__(self, key: str, /, **values: object) -> str:
        template = self._catalogues.template(self.locale, key)
        if template is None:
            template = self._catalogues.template(DEFAULT_LOCALE, key)
        if template is None:
            log.error("missing message key=%s locale=%s", key, self.locale)
            return key
        return template.format(**values) if values else template

    def for_locale(self, locale: str) -> Translator:
        """The same catalogues in another language (e.g. right after the user switched)."""
        return self._catalogues.translator(locale)

    def has(self, key: str) -> bool:
        return self._catalogues.template(self.locale, key) is not None


def normalize_locale(value: str | None) -> str | None:
    """Map a platform language code ("en-US", "id") to a supported locale, or None."""
    if not value:
        return None
    base = value.replace("-", "_").split("_")[0].lower()
    return base if base in SUPPORTED else None
