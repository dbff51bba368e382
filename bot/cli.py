"""Command line: `jamsosbot run | chat | ask | serve | db ...`, one module per group."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Coroutine, Sequence
from importlib import metadata
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from bot.commands import (
    broadcast,
    chat,
    dashboard,
    db,
    facts,
    faq,
    health,
    imports,
    roles,
    serve,
    stats,
    tickets,
    villages,
)
from bot.commands import eval as evaluation
from bot.commands.common import HELP_LOCALE, cli_text, help_text
from bot.config import CliLanguage, Settings
from bot.core.i18n import LANGUAGES
from bot.logs import redact, setup_logging
from bot.store import DatabaseMissing, DatabaseOutdated

log = logging.getLogger(__name__)

# Every command group, in the order `jamsosbot --help` lists them.
COMMAND_GROUPS: tuple[ModuleType, ...] = (
    broadcast,
    chat,
    dashboard,
    db,
    evaluation,
    facts,
    faq,
    health,
    imports,
    roles,
    serve,
    stats,
    tickets,
    villages,
)

Runner = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (every platform but Windows), else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def version() -> str:
    try:
        return metadata.version("jamsosbot")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


def build_parser(locale: str | None = None) -> argparse.ArgumentParser:
    """The parser, its help in `locale` (default: JAMSOS_DEFAULT_LOCALE, else Indonesian)."""
    token = HELP_LOCALE.set(locale or CliLanguage().default_locale)
    try:
        parser = argparse.ArgumentParser(
            prog="jamsosbot", description=help_text("cli.help.description")
        )
        parser.add_argument("--version", action="version", version=f"jamsosbot {version()}")
        sub = parser.add_subparsers(dest="command", required=True)
        for group in COMMAND_GROUPS:
            group.register(sub)
    finally:
        HELP_LOCALE.reset(token)
    return parser


def _secrets(settings: Settings) -> list[str]:
    values = [
        settings.telegram_token,
        settings.telegram_webhook_secret,
        settings.whatsapp_token,
        settings.whatsapp_app_secret,
        settings.whatsapp_verify_token,
    ]
    return [v.get_secret_value() for v in values if v is not None]


def _configuration_problems(error: ValidationError) -> str:
    """Which settings are wrong and why, without echoing values (they may be secrets)."""
    lines = []
    for problem in error.errors():
        where = "_".join(str(part) for part in problem["loc"]).upper()
        name = f"JAMSOS_{where}: " if where else ""
        lines.append("  " + redact(f"{name}{problem['msg']}"))
    return "\n".join(lines)


def _failure(exc: BaseException, secrets: Sequence[str], locale: str = "en") -> str:
    """One line for the operator; the secrets (and tokens, numbers) never in it."""
    say = cli_text(locale)
    if isinstance(exc, DatabaseMissing):
        text = say("cli.error.no_database", path=exc.path)
    elif isinstance(exc, DatabaseOutdated):
        text = say("cli.error.outdated", path=exc.path, found=exc.found, expected=exc.expected)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return "jamsosbot: " + redact(text, secrets)


def _console_mode(args: argparse.Namespace, settings: Settings) -> bool:
    """The chat runs in this terminal: logs must not be mixed into it."""
    if args.command in ("chat", "ask"):
        return True
    return args.command == "run" and not (settings.telegram_enabled or settings.whatsapp_enabled)


def _stdout_gone() -> None:
    """stdout was closed by its reader (`| head`): nothing more to say, and no traceback
    from the interpreter's last flush either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status.

    As the installed script (`argv` None) the process also never outlives its command: a
    thread still running after an error (an unclosed database connection, say) would keep
    it alive, so systemd would never restart it. Such a process ends at once instead.
    """
    code = _main(argv)
    if argv is None:
        _leave(code)
    return code


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        say = cli_text(CliLanguage().default_locale)
        print(say("cli.error.invalid_configuration"), file=sys.stderr)
        print(_configuration_problems(exc), file=sys.stderr)
        return 2
    say = cli_text(settings.default_locale)
    if settings.default_locale not in LANGUAGES:
        print(say("cli.error.invalid_configuration"), file=sys.stderr)
        problem = say(
            "cli.error.no_catalogue",
            locale=repr(settings.default_locale),
            available=", ".join(LANGUAGES),
        )
        print(f"  {problem}", file=sys.stderr)
        return 2
    secrets = _secrets(settings)
    level = settings.log_level
    if _console_mode(args, settings) and logging.getLevelName(level) < logging.WARNING:
        level = "WARNING"
    setup_logging(level, secrets)
    func: Runner = args.func
    try:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            code = runner.run(func(args, settings))
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 0
    except BrokenPipeError:
        _stdout_gone()
        return 0
    except Exception as exc:  # the operator gets one clear line; DEBUG logs the traceback
        log.debug("command failed", exc_info=True)
        print(_failure(exc, secrets, settings.default_locale), file=sys.stderr)
        return 1


def _leave(code: int) -> None:
    lingering = [
        thread
        for thread in threading.enumerate()
        if thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
    ]
    if not lingering:
        return
    names = sorted({thread.name for thread in lingering})
    log.warning("exiting with %d thread(s) still running: %s", len(lingering), ", ".join(names))
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
