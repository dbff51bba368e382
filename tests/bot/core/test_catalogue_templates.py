"""`pybabel extract / update / compile` work on the tree: no run-time key is marked obsolete."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.catalogue_templates import domains, write_templates
from bot.core.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[3]
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


# `make catalogues` runs pybabel once per domain and language (some sixty commands); here they
# run in one Python process, each through the command line of `pybabel` (its `main`), in order,
# stopping at the first that fails: the same work without sixty interpreter start-ups.
_SEVERAL = """
import json, sys
from babel.messages.frontend import CommandLineInterface
for argv in json.load(sys.stdin):
    status = CommandLineInterface().run(["pybabel", "--quiet", *argv])
    if status:
        sys.exit(f"pybabel {' '.join(argv)}: exit status {status}")
"""


def pybabel(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PYBABEL, "--quiet", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def pybabel_each(commands: list[list[str]], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Several pybabel commands in one child process (see `_SEVERAL`)."""
    return subprocess.run(
        [sys.executable, "-c", _SEVERAL],
        input=json.dumps(commands),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def messages(path: Path, locale: str) -> dict[object, object]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert not list(catalog.obsolete), f"{path}: obsolete {list(catalog.obsolete)}"
    return {m.id: m.string for m in catalog if m.id}


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of locales/ after `make catalogues` (templates, update, compile)."""
    folder = tmp_path_factory.mktemp("tree") / "locales"
    shutil.copytree(LOCALES_DIR, folder, ignore=shutil.ignore_patterns("templates", "*.mo"))
    write_templates(folder)
    commands: list[list[str]] = []
    for domain in domains(folder):
        template = str(folder / "templates" / f"{domain}.pot")
        for locale in ("en", "jv"):
            commands.append(
                ["update", "--no-wrap", "-N", "--init-missing", "-i", template,
                 "-d", str(folder), "-D", domain, "-l", locale]
            )  # fmt: skip
        commands.append(["compile", "-d", str(folder), "-D", domain])
    done = pybabel_each(commands, cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder


def test_update_keeps_every_english_message_and_marks_nothing_obsolete(updated: Path) -> None:
    for domain in domains(LOCALES_DIR):
        before = messages(LOCALES_DIR / "en" / "LC_MESSAGES" / f"{domain}.po", "en")
        after = messages(updated / "en" / "LC_MESSAGES" / f"{domain}.po", "en")
        assert after == before, domain


def test_update_gives_a_new_language_every_key_to_translate(updated: Path) -> None:
    for domain in domains(LOCALES_DIR):
        source = messages(LOCALES_DIR / "id" / "LC_MESSAGES" / f"{domain}.po", "id")
        javanese = messages(updated / "jv" / "LC_MESSAGES" / f"{domain}.po", "jv")
        assert set(javanese) == set(source), domain
    kept = messages(updated / "jv" / "LC_MESSAGES" / "core.po", "jv")
    assert str(kept["conversation.welcome"]).startswith("Sugeng rawuh!")  # translations stay


def test_compile_writes_a_machine_object_per_domain_and_language(updated: Path) -> None:
    for locale in ("id", "en", "jv"):
        for domain in domains(LOCALES_DIR):
            assert (updated / locale / "LC_MESSAGES" / f"{domain}.mo").is_file(), (locale, domain)


def test_every_key_pybabel_extracts_from_the_code_is_in_a_template(tmp_path: Path) -> None:
    pot = tmp_path / "code.pot"
    done = pybabel(
        "extract", "-F", "babel.cfg", "--no-default-keywords", "-k", "t", "-k", "N_",
        "-k", "plural:1", "-o", str(pot), "bot", "handlers", cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with pot.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}
    keys = {k for k in extracted if re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", k)}
    assert len(keys) > 100
    templates: set[str] = set()
    for domain in domains(LOCALES_DIR):
        with (LOCALES_DIR / "id" / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            for m in read_po(handle):
                if m.id:
                    templates.add(m.id if isinstance(m.id, str) else m.id[0])
    assert not keys - templates, sorted(keys - templates)
