"""Command line: `jamsosbot run | chat | ask | serve | db ...`, one module per group."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
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
from bot.config import Settings
from bot.logs import setup_logging

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jamsosbot", description="BPJS Ketenagakerjaan assistant for Telegram and WhatsApp"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
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
        name = "JAMSOS_" + "_".join(str(part) for part in problem["loc"]).upper()
        lines.append(f"  {name}: {problem['msg']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"jamsosbot: invalid configuration\n{_configuration_problems(exc)}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, _secrets(settings))
    func: Runner = args.func
    try:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            return runner.run(func(args, settings))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 0
    except Exception as exc:  # the operator gets one clear line; DEBUG logs the traceback
        log.debug("command failed", exc_info=True)
        print(f"jamsosbot: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
