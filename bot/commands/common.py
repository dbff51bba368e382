"""Helpers the command modules share (no `register`: not a command group itself)."""

from __future__ import annotations

import contextvars
import functools
import getpass
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TextIO

from bot.config import Settings
from bot.core.i18n import Catalogues, Translator
from bot.store import Store


@functools.cache
def _cli_catalogues() -> Catalogues:
    return Catalogues.load(domains=("cli",))


# The language `jamsosbot --help` speaks, set by `bot.cli.build_parser` (JAMSOS_DEFAULT_LOCALE).
HELP_LOCALE: contextvars.ContextVar[str] = contextvars.ContextVar("help_locale", default="id")


def help_text(key: str) -> str:
    """An option's or command's help text in the command line's language."""
    return cli_text(HELP_LOCALE.get())(key)


def cli_text(locale: str) -> Translator:
    """What the command line says, in the configured language (locales/*/cli.po): Indonesian
    by default, English with JAMSOS_DEFAULT_LOCALE=en; a language without cli.po falls back
    to Indonesian."""
    return _cli_catalogues().translator(locale)


@asynccontextmanager
async def open_store(
    settings: Settings, *, seed: bool = True, read_only: bool = False, any_schema: bool = False
) -> AsyncIterator[Store]:
    """The configured database (JAMSOS_DATABASE_URL, else the SQLite file), closed again
    when the block ends.

    `read_only` for commands that only look: nothing is created or migrated, and a wrong
    JAMSOS_DATA_DIR fails clearly (`DatabaseMissing`) instead of reporting an empty database.
    """
    store = await Store.open(
        settings.database_target,
        seed=seed,
        read_only=read_only,
        any_schema=any_schema,
        files=settings.data_dir,
        pool_size=settings.database_pool_size,
    )
    try:
        yield store
    finally:
        await store.close()


def cli_actor() -> str:
    """Who acts from the shell, as written to the audit log: `cli:<login>`."""
    return f"cli:{getpass.getuser()}"


class Progress:
    """How far a long job is, on stderr (stdout stays the result, fit for a pipe).

    In a terminal one line is rewritten at most five times a second; otherwise (a log, a
    pipe) a line is written at every tenth of the way. Nothing for an empty job.
    """

    def __init__(
        self,
        total: int,
        say: Translator,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.total = total
        self._say = say
        self._stream = stream or sys.stderr
        self._clock = clock
        try:
            self._terminal = self._stream.isatty()
        except (OSError, ValueError):
            self._terminal = False
        self._last_shown = -1.0
        self._last_tenth = 0

    def step(self, done: int) -> None:
        if self.total <= 0:
            return
        if self._terminal:
            now = self._clock()
            if now - self._last_shown >= 0.2:
                self._last_shown = now
                self._write(done, end="\r")
            return
        tenth = done * 10 // self.total
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            self._write(done)

    def done(self) -> None:
        if self.total > 0:
            self._write(self.total)

    def _write(self, done: int, end: str = "\n") -> None:
        percent = f"{done * 100 // self.total} %"
        line = self._say("cli.progress", done=done, total=self.total, percent=percent)
        print(line, end=end, file=self._stream, flush=True)
