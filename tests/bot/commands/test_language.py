"""Every CLI command speaks one language: Indonesian by default, English with the setting."""

from __future__ import annotations

import argparse
import ast
import io
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.commands.common import Progress, cli_text

COMMANDS = Path(__file__).resolve().parents[3] / "bot" / "commands"
# Functions (per module) whose messages are not yet through cli.po: none any more.
UNCONVERTED: dict[str, tuple[str, ...]] = {}


def _outside(tree: ast.AST, functions: tuple[str, ...]) -> list[ast.AST]:
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in functions
        for inner in ast.walk(node)
    }
    return [node for node in ast.walk(tree) if id(node) not in skipped]


def test_no_command_prints_a_sentence_that_is_not_in_the_catalogues() -> None:
    """print() gets catalogue text or data (names, counts, JSON), never an English literal."""
    offending = []
    for path in sorted(COMMANDS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _outside(tree, UNCONVERTED.get(path.name, ())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"):
                continue
            for argument in node.args:
                parts = [argument] if isinstance(argument, ast.Constant) else []
                if isinstance(argument, ast.JoinedStr):
                    parts = [v for v in argument.values if isinstance(v, ast.Constant)]
                for part in parts:
                    words = [w for w in str(part.value).split() if w.isalpha() and len(w) > 2]
                    if words:
                        offending.append(f"{path.name}:{node.lineno}: {part.value!r}")
    assert not offending, offending


def test_indonesian_by_default_english_with_the_setting(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["db", "backup", str(tmp_path / "a.sqlite3")]) == 0
    assert main(["faq", "list"]) == 0
    assert main(["roles", "list"]) == 0
    indonesian = capsys.readouterr().out
    assert "cadangan ditulis ke" in indonesian and "0 FAQ aktif" in indonesian
    assert "backup written" not in indonesian

    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "en")
    assert main(["db", "backup", str(tmp_path / "b.sqlite3")]) == 0
    assert main(["faq", "list"]) == 0
    english = capsys.readouterr().out
    assert "backup written to" in english and "0 active FAQs" in english
    assert "cadangan" not in english


def test_errors_speak_the_configured_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JAMSOS_DATA_DIR", str(tmp_path / "typo"))
    assert main(["stats"]) == 1
    assert "tidak ada basis data di" in capsys.readouterr().err
    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "en")
    assert main(["stats"]) == 1
    assert "no database at" in capsys.readouterr().err
    monkeypatch.setenv("JAMSOS_LOG_LEVEL", "LOUD")
    assert main(["stats"]) == 2
    assert "invalid configuration" in capsys.readouterr().err  # even with the rest wrong


def test_an_unknown_language_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "fr")
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert "JAMSOS_DEFAULT_LOCALE" in err and "'fr'" in err and "id" in err


def test_plural_forms_on_the_command_line() -> None:
    english = cli_text("en")
    assert english.plural("cli.faq.active", 1, count=1) == "1 active FAQ"
    assert english.plural("cli.faq.active", 2, count=2) == "2 active FAQs"
    assert cli_text("id").plural("cli.faq.active", 2, count=2) == "2 FAQ aktif"


def test_progress_in_a_log_is_a_line_per_tenth() -> None:
    out = io.StringIO()
    progress = Progress(50, cli_text("id"), stream=out)
    for done in range(50):
        progress.step(done)
    progress.done()
    lines = out.getvalue().splitlines()
    assert lines[0] == "5/50 (10 %)" and lines[-1] == "50/50 (100 %)"
    assert len(lines) == 10


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_in_a_terminal_rewrites_one_line_at_most_five_times_a_second() -> None:
    out, now = Terminal(), [0.0]
    progress = Progress(1000, cli_text("en"), stream=out, clock=lambda: now[0])
    for done in range(1000):
        now[0] += 0.001  # a whole second in all
        progress.step(done)
    progress.done()
    text = out.getvalue()
    assert text.count("\r") == 5 and text.endswith("1000/1000 (100 %)\n")


def _help_of(parser: argparse.ArgumentParser, *path: str) -> str:
    for name in path:
        actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = actions[0].choices[name]
    return parser.format_help()


def test_help_speaks_the_configured_language(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "cadangan daring" in _help_of(build_parser(), "db")
    assert "online backup" in _help_of(build_parser("en"), "db")
    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "en")
    assert "period up to today" in _help_of(build_parser(), "stats")


def test_no_help_text_is_a_literal() -> None:
    offending = []
    for path in sorted(COMMANDS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _outside(tree, UNCONVERTED.get(path.name, ())):
            literal = isinstance(getattr(node, "value", None), ast.Constant | ast.JoinedStr)
            if isinstance(node, ast.keyword) and node.arg == "help" and literal:
                offending.append(f"{path.name}:{node.value.lineno}")
    assert not offending, offending
