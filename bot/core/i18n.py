"""Gettext catalogues from locales/<lang>/LC_MESSAGES/*.po, read with Babel at start-up.

Message ids are dotted keys (`conversation.welcome`); the msgstr is the sentence, with
`{named}` placeholders filled by `str.format`. Each topic has its own .po file (a gettext
domain), and all files of one language are merged into one catalogue.

Plurals are gettext plurals: an entry with `msgid_plural` and `msgstr[n]`, the form chosen by
the catalogue's own `Plural-Forms` header (`Translator.plural`). Indonesian has one form,
English two; a language brings its own rule in its header.

The languages are the folders under locales/: a new one (Javanese, `jv`) is its catalogues
only. A key it does not translate (absent, empty or fuzzy) falls back to Indonesian.
`SUPPORTED` are the complete languages (every key translated, checked by the tests).

The catalogues ship inside the package (`bot/locales`, package data; in the source tree a
link to the top-level `locales/`), so a normal `pip install .` answers in sentences.
"""

from __future__ import annotations

import gettext
import logging
import string
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
SUPPORTED = ("id", "en")
DEFAULT_LOCALE = "id"

Template = str | tuple[str, ...]  # a sentence, or its plural forms in catalogue order
PluralRule = Callable[[int], int]


def _singular(_: int) -> int:
    return 0


def available_locales(folder: Path = LOCALES_DIR) -> tuple[str, ...]:
    """Every language with a catalogue folder, Indonesian first (blocking: start-up only)."""
    if not folder.is_dir():
        return ()
    found = {
        entry.name
        for entry in folder.iterdir()
        if (entry / "LC_MESSAGES").is_dir() and any((entry / "LC_MESSAGES").glob("*.po"))
    }
    return tuple(sorted(found, key=lambda code: (code != DEFAULT_LOCALE, code)))


# The languages present when the process started: adding one is adding its folder.
LANGUAGES: tuple[str, ...] = available_locales() or SUPPORTED


def N_(key: str) -> str:
    """Mark a key that code stores or builds elsewhere, so the catalogue test finds it."""
    return key


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def read_catalogue(folder: Path, locale: str) -> dict[str, str]:
    """All non-fuzzy, translated messages of one language (plurals: their first form)."""
    messages, _ = read_catalogue_with_plurals(folder, locale)
    return {key: value if isinstance(value, str) else value[0] for key, value in messages.items()}


def read_catalogue_with_plurals(
    folder: Path, locale: str, domains: Sequence[str] | None = None
) -> tuple[dict[str, Template], str]:
    """(key → sentence or plural forms, the `Plural-Forms` expression) of one language;
    `domains` reads only those .po files (`cli` for the command line), else all of them."""
    messages: dict[str, Template] = {}
    plural_expr = "0"
    files = sorted((folder / locale / "LC_MESSAGES").glob("*.po"))
    if domains is not None:
        files = [path for path in files if path.stem in domains]
    for po_path in files:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        plural_expr = catalog.plural_expr or plural_expr
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            value: Template
            if isinstance(message.string, str):
                if not message.string:
                    continue
                value = message.string
            elif message.string is None:
                continue
            else:
                forms = tuple(form or "" for form in message.string)
                if not all(forms):
                    continue  # a half-translated plural falls back as a whole
                value = forms
            if key in messages:
                raise ValueError(f"{po_path}: key {key} is defined twice")
            messages[key] = value
    return messages, plural_expr


def plural_rule(expression: str) -> PluralRule:
    """The C expression of a `Plural-Forms` header as a function (gettext's own parser)."""
    rule: PluralRule = gettext.c2py(expression)
    return rule


class Catalogues:
    """The messages of every language found under locales/."""

    def __init__(
        self,
        messages: Mapping[str, Mapping[str, Template]],
        plurals: Mapping[str, PluralRule] | None = None,
    ):
        self._messages = messages
        self._plurals = dict(plurals or {})

    @classmethod
    def load(cls, folder: Path = LOCALES_DIR, domains: Sequence[str] | None = None) -> Catalogues:
        messages: dict[str, Mapping[str, Template]] = {}
        plurals: dict[str, PluralRule] = {}
        for locale in available_locales(folder) or SUPPORTED:
            messages[locale], expression = read_catalogue_with_plurals(folder, locale, domains)
            plurals[locale] = plural_rule(expression)
        return cls(messages, plurals)

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self._messages)

    def keys(self, locale: str) -> set[str]:
        return set(self._messages.get(locale, {}))

    def template(self, locale: str, key: str) -> str | None:
        value = self._messages.get(locale, {}).get(key)
        return value[0] if isinstance(value, tuple) else value

    def forms(self, locale: str, key: str) -> tuple[str, ...] | None:
        """The plural forms of `key` (one form for a message without plurals)."""
        value = self._messages.get(locale, {}).get(key)
        if value is None:
            return None
        return value if isinstance(value, tuple) else (value,)

    def plural_index(self, locale: str, count: int) -> int:
        return self._plurals.get(locale, _singular)(count)

    def translator(self, locale: str) -> Translator:
        return Translator(self, locale if locale in self._messages else DEFAULT_LOCALE)


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

    def plural(self, key: str, count: int, /, **values: object) -> str:
        """The form of `key` for `count` by the language's plural rule (gettext `ngettext`);
        `count` is only chosen on, the shown number is a formatted value in `values`."""
        for locale in (self.locale, DEFAULT_LOCALE):
            forms = self._catalogues.forms(locale, key)
            if forms:
                index = self._catalogues.plural_index(locale, count)
                template = forms[min(max(index, 0), len(forms) - 1)]
                return template.format(**values)
        log.error("missing message key=%s locale=%s", key, self.locale)
        return key

    def for_locale(self, locale: str) -> Translator:
        """The same catalogues in another language (e.g. right after the user switched)."""
        return self._catalogues.translator(locale)

    def has(self, key: str) -> bool:
        return self._catalogues.template(self.locale, key) is not None


def normalize_locale(value: str | None) -> str | None:
    """Map a platform language code ("en-US", "id") to a language of locales/, or None."""
    if not value:
        return None
    base = value.replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else None
