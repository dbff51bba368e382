"""Catalogues: complete in both languages, placeholders agree, every key used in code exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.i18n import LOCALES_DIR, SUPPORTED, Catalogues, normalize_locale, placeholders
from bot.domain.intents import Intent

ROOT = Path(__file__).resolve().parents[3]
CODE_DIRS = (ROOT / "bot", ROOT / "handlers")
# `t("key"` / `ctx.t("key"` / `N_("key"` with a literal dotted key.
KEY_USE = re.compile(r"""\b(?:t|N_)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
BUTTON_LIMIT = 20  # WhatsApp reply-button titles; Telegram shows them too


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues.load()


def _code_files() -> list[Path]:
    return [path for folder in CODE_DIRS for path in sorted(folder.rglob("*.py"))]


def test_both_languages_have_the_same_keys(catalogues: Catalogues) -> None:
    only_id = catalogues.keys("id") - catalogues.keys("en")
    only_en = catalogues.keys("en") - catalogues.keys("id")
    assert not only_id, f"missing in English: {sorted(only_id)}"
    assert not only_en, f"missing in Indonesian: {sorted(only_en)}"


def test_placeholders_agree_across_languages(catalogues: Catalogues) -> None:
    differing = [
        key
        for key in catalogues.keys("id")
        if placeholders(catalogues.template("id", key) or "")
        != placeholders(catalogues.template("en", key) or "")
    ]
    assert not differing, f"placeholders differ: {differing}"


def test_every_key_used_in_code_exists_in_both_catalogues(catalogues: Catalogues) -> None:
    used: dict[str, Path] = {}
    for path in _code_files():
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, path)
    assert used, "the scan found no key at all: the pattern is broken"
    for locale in SUPPORTED:
        missing = {key: str(path.relative_to(ROOT)) for key, path in used.items()}
        missing = {k: v for k, v in missing.items() if k not in catalogues.keys(locale)}
        assert not missing, f"keys missing in {locale}: {missing}"


def test_every_intent_has_a_short_button_label(catalogues: Catalogues) -> None:
    for locale in SUPPORTED:
        for intent in Intent:
            label = catalogues.template(locale, f"button.{intent.value}")
            assert label, f"no button.{intent.value} in {locale}"
        too_long = {
            key: catalogues.template(locale, key)
            for key in catalogues.keys(locale)
            if key.startswith("button.") or ".button." in key
            if len(catalogues.template(locale, key) or "") > BUTTON_LIMIT
        }
        assert not too_long, f"button labels over {BUTTON_LIMIT} characters: {too_long}"


@pytest.mark.parametrize("locale", SUPPORTED)
def test_no_empty_or_fuzzy_messages(locale: str) -> None:
    files = sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po"))
    assert files
    for po_path in files:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if not message.id:
                continue
            where = f"{po_path.name}: {message.id}"
            assert not message.fuzzy, f"fuzzy: {where}"
            assert isinstance(message.string, str) and message.string.strip(), f"empty: {where}"


def test_every_template_renders_with_its_placeholders(catalogues: Catalogues) -> None:
    for locale in SUPPORTED:
        t = catalogues.translator(locale)
        for key in catalogues.keys(locale):
            template = catalogues.template(locale, key) or ""
            values = {name: "X" for name in placeholders(template)}
            assert t(key, **values)


def _string_literals(tree: ast.AST) -> list[ast.Constant]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    logged = {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in {"log", "logger", "logging"}
        for arg in node.args
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings | logged
    ]


SENTENCE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}")


def _sentences(source: str) -> list[tuple[int, str]]:
    return [
        (node.lineno, str(node.value))
        for node in _string_literals(ast.parse(source))
        if SENTENCE.search(str(node.value))
    ]


def test_the_sentence_detector_flags_prose_but_not_docstrings_or_logs() -> None:
    source = (
        'def f():\n    """A docstring is fine here."""\n'
        '    log.info("logged text is fine too")\n'
        '    return Reply(text="Silakan ketik pertanyaan Anda")\n'
    )
    assert _sentences(source) == [(4, "Silakan ketik pertanyaan Anda")]


def test_handlers_contain_no_user_facing_sentences() -> None:
    """Sentences belong in locales/; handlers hold keys, slots and logic only."""
    offending = [
        f"{path.name}:{line}: {text!r}"
        for path in sorted((ROOT / "handlers").glob("*.py"))
        for line, text in _sentences(path.read_text(encoding="utf-8"))
    ]
    assert not offending, "move these sentences into locales/:\n" + "\n".join(offending)


def test_missing_key_falls_back_to_indonesian_then_to_the_key() -> None:
    catalogues = Catalogues({"id": {"a.b": "Halo {name}"}, "en": {}})
    assert catalogues.translator("en")("a.b", name="Siti") == "Halo Siti"
    assert catalogues.translator("xx").locale == "id"
    assert catalogues.translator("en")("no.such") == "no.such"


@pytest.mark.parametrize(
    ("platform", "expected"),
    [("en-US", "en"), ("id", "id"), ("in", None), ("ms", None), (None, None), ("EN_gb", "en")],
)
def test_platform_language_codes(platform: str | None, expected: str | None) -> None:
    assert normalize_locale(platform) == expected


def test_lowercase_fragments_never_start_a_sentence(catalogues: Catalogues) -> None:
    """`{ask}` ("hubungi call center ... 175.") reads as a clause, so it follows "," or ";"."""
    starts = re.compile(r"(^|[.!?]\s+)\{ask\}")
    for locale in SUPPORTED:
        bad = [
            key
            for key in catalogues.keys(locale)
            if starts.search(catalogues.template(locale, key) or "")
        ]
        assert not bad, f"{locale}: {{ask}} starts a sentence in {bad}"
