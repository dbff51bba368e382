"""`import targets FILE`, `import coverage FILE` [--dry-run]: staff spreadsheets into the store."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.commands.common import cli_text, help_text, open_store
from bot.config import Settings
from bot.core.formatting import Formatter
from bot.core.i18n import Catalogues, Translator
from bot.imports.rendering import render_report
from bot.imports.runner import KINDS, import_file

EXIT_INVALID = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help=help_text("cli.help.imports.1"),
    )
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("file", type=Path)
    parser.add_argument("--dry-run", action="store_true", help=help_text("cli.help.imports.2"))
    parser.set_defaults(func=_import)


def _show_rows_checked(say: Translator, done: int) -> None:
    print(say("cli.imports.progress", done=done), file=sys.stderr, flush=True)


async def _import(args: argparse.Namespace, settings: Settings) -> int:
    catalogues = await asyncio.to_thread(Catalogues.load)
    t = catalogues.translator(settings.default_locale)
    say = cli_text(settings.default_locale)
    loop = asyncio.get_running_loop()

    def progress(done: int) -> None:  # called in the checking thread: the loop prints
        loop.call_soon_threadsafe(_show_rows_checked, say, done)

    async with open_store(settings) as store:
        report = await import_file(
            store,
            args.kind,
            args.file,
            today=datetime.now(ZoneInfo(settings.timezone)).date(),
            dry_run=args.dry_run,
            progress=progress,
        )
    print(render_report(report, t, Formatter(t.locale)))
    return 0 if report.ok else EXIT_INVALID
