"""Gettext templates (.pot) for `pybabel update`, one per domain, from the Indonesian catalogues.

Message ids here are keys, and many are built at run time (`button.{intent}`), so extracting
them from the code alone (`pybabel extract`) would miss those and `pybabel update` would mark
them obsolete. Indonesian is the source language: its catalogues hold every key, so the
template of a domain is its Indonesian file without the sentences. `pybabel extract` (see
babel.cfg) still lists the keys written literally in the code, and a test checks that each
of them is in a template.

    python -m bot.core.catalogue_templates [LOCALES_DIR]   # writes LOCALES_DIR/templates/*.pot

Blocking file work, for the Makefile (`make catalogues`), never at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.core.i18n import DEFAULT_LOCALE, LOCALES_DIR


def domains(folder: Path = LOCALES_DIR) -> list[str]:
    return sorted(path.stem for path in (folder / DEFAULT_LOCALE / "LC_MESSAGES").glob("*.po"))


def template(folder: Path, domain: str) -> Catalog:
    """The .pot of one domain: every message id (and plural id) of the Indonesian file."""
    with (folder / DEFAULT_LOCALE / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        source = read_po(handle, locale=DEFAULT_LOCALE)
    pot = Catalog(project="jamsosbot", version=source.version, fuzzy=False)
    for message in source:
        if message.id:
            pot.add(message.id, string=None, auto_comments=message.auto_comments)
    return pot


def write_templates(folder: Path = LOCALES_DIR) -> list[Path]:
    out = folder / "templates"
    out.mkdir(exist_ok=True)
    written = []
    for domain in domains(folder):
        path = out / f"{domain}.pot"
        with path.open("wb") as handle:
            write_po(handle, template(folder, domain), width=0, omit_header=False)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else LOCALES_DIR
    for path in write_templates(folder):
        print(path)  # noqa: T201 (a build tool's output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
