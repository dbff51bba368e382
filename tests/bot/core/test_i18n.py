"""Catalogues: complete in both languages, placeholders agree, every key used in code exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.app import App
from bot.config import Settings
from bot.core.i18n import (
    LANGUAGES,
    LOCALES_DIR,
    SUPPORTED,
    Catalogues,
    available_locales,
    normalize_locale,
    placeholders,
)
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming
from bot.regions.finder import RegionFinder
from bot.store.database import latest_migration
from tests.conftest import copy_seeded

ROOT = Path(__file__).resolve().parents[3]
CODE_DIRS = (ROOT / "bot", ROOT / "handlers")
# `t("key"` / `ctx.t("key"` / `N_("key"` with a literal dotted key.
KEY_USE = re.compile(r"""\b(?:t|N_|plural)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
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
            forms = (message.string,) if isinstance(message.string, str) else message.string
            assert forms is not None, where
            assert all(form and form.strip() for form in forms), f"empty: {where}"


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


# --- gettext plurals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [
        ("en", 1, "Still to register: 1 person"),
        ("en", 2, "Still to register: 2 people"),
        ("en", 0, "Still to register: 0 people"),
        ("id", 1, "Belum terdaftar: 1 orang lagi"),
        ("id", 5, "Belum terdaftar: 5 orang lagi"),
    ],
)
def test_plural_forms_follow_the_language_rule(
    catalogues: Catalogues, locale: str, count: int, expected: str
) -> None:
    t = catalogues.translator(locale)
    assert t.plural("villages.progress.remaining", count, remaining=str(count)) == expected


def test_plural_messages_have_every_form_of_their_language() -> None:
    for locale in SUPPORTED:
        for po_path in sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po")):
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            for message in catalog:
                if message.pluralizable:
                    assert isinstance(message.string, tuple | list), (po_path, message.id)
                    assert len(message.string) == catalog.num_plurals, (po_path, message.id)


def test_a_plural_key_missing_in_a_language_falls_back_to_indonesian() -> None:
    catalogues = Catalogues(
        {"id": {"x.n": ("{n} orang",)}, "en": {}}, {"id": lambda n: 0, "en": lambda n: int(n != 1)}
    )
    assert catalogues.translator("en").plural("x.n", 3, n="3") == "3 orang"


# --- a language added with its catalogues only -----------------------------------------------


def test_javanese_is_found_without_any_code_naming_it(catalogues: Catalogues) -> None:
    assert "jv" in LANGUAGES and "jv" not in SUPPORTED
    assert "jv" in catalogues.locales
    assert normalize_locale("jv-ID") == "jv"
    code = "\n".join(path.read_text(encoding="utf-8") for path in _code_files())
    assert '"jv"' not in code and "'jv'" not in code


def test_javanese_translates_the_core_and_falls_back_to_indonesian(
    catalogues: Catalogues,
) -> None:
    jv, indonesian = catalogues.translator("jv"), catalogues.translator("id")
    assert jv("conversation.welcome").startswith("Sugeng rawuh!")
    for key in ("conversation.menu", "conversation.fallback", "input.empty", "error.apology"):
        assert jv.has(key) and jv(key, ask="X") != indonesian(key, ask="X"), key
    # Not translated: answered in Indonesian, never as a raw key.
    assert not jv.has("button.program_overview")
    assert jv("button.program_overview") == indonesian("button.program_overview")


def test_javanese_keys_and_placeholders_match_indonesian(catalogues: Catalogues) -> None:
    for key in catalogues.keys("jv"):
        assert key in catalogues.keys("id"), key
        assert placeholders(catalogues.template("jv", key) or "") == placeholders(
            catalogues.template("id", key) or ""
        ), key


def test_a_new_language_is_a_folder_of_catalogues(tmp_path: Path) -> None:
    for locale in ("id", "xx"):
        folder = tmp_path / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        header = (
            f'msgid ""\nmsgstr ""\n"Language: {locale}\\n"\n'
            '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        )
        text = "Halo" if locale == "id" else "Hello from xx"
        (folder / "core.po").write_text(
            header + f'msgid "conversation.menu"\nmsgstr "{text}"\n', encoding="utf-8"
        )
    assert available_locales(tmp_path) == ("id", "xx")
    loaded = Catalogues.load(tmp_path)
    assert loaded.translator("xx")("conversation.menu") == "Hello from xx"


async def test_a_bot_configured_for_javanese_greets_in_javanese(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> None:
    settings = Settings(data_dir=tmp_path / "data", default_locale="jv")
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings, place_finder=place_finder)
    try:
        chat = ChatRef(channel="console", user_id="jv1", chat_id="jv1")
        replies = await app.dispatcher.handle(Incoming(chat=chat, text="/start"))
        assert replies[0].text.startswith("Sugeng rawuh!")
        assert await app.store.schema_version() == latest_migration()  # no migration for jv
    finally:
        await app.close()


def test_the_catalogues_are_package_data() -> None:
    """`pip install .` ships them: the code reads bot/locales, in the tree and installed."""
    assert LOCALES_DIR == ROOT / "bot" / "locales"
    assert (LOCALES_DIR / "id" / "LC_MESSAGES" / "core.po").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"bot" = ["locales/*/LC_MESSAGES/*.po"' in pyproject
