"""Interactive console chat: the default channel when no platform token is configured."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from collections.abc import AsyncIterator
from typing import TextIO

from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Translator
from bot.domain.messages import Button, ChatRef, Incoming, Reply

CONSOLE_CHAT = ChatRef(channel="console", user_id="console", chat_id="console")
PROMPT = "> "


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def render(replies: list[Reply], t: Translator) -> str:
    """Replies as plain text, buttons as numbered choices (also used by `jamsosbot ask`)."""
    blocks: list[str] = []
    number = 0
    for reply in replies:
        lines = [reply.text]
        if reply.image is not None:
            lines.append(t("console.image", path=reply.image.path))
        for button in reply.buttons:
            number += 1
            lines.append(f"  {number}. {button.title}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _is_pipe_like(stream: TextIO) -> bool:
    """True for pipes, terminals and sockets, which the event loop can watch directly."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
        terminal = stream.isatty()
    except (OSError, ValueError):
        return False
    # Other character devices (/dev/null) cannot be polled: they are read in a thread.
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or (stat.S_ISCHR(mode) and terminal)


async def _lines(stream: TextIO) -> AsyncIterator[str]:
    """Lines from stdin without blocking the loop: a pipe reader, or a thread for files."""
    if not _is_pipe_like(stream):
        while line := await asyncio.to_thread(stream.readline):
            yield line
        return
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), stream
    )
    try:
        while line_bytes := await reader.readline():
            yield line_bytes.decode("utf-8", errors="replace")
    finally:
        transport.close()


class ConsoleChat:
    """Reads one message per line; a number picks one of the last buttons shown."""

    def __init__(
        self, dispatcher: Dispatcher, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
    ):
        self._dispatcher = dispatcher
        self._stdin = stdin
        self._stdout = stdout
        self._choices: tuple[Button, ...] = ()

    async def run(self) -> None:
        """Answer line by line until end of input. In a terminal the bot speaks first (the
        welcome) and shows a prompt, so the person knows it is waiting for them."""
        interactive = _is_terminal(self._stdin)
        if interactive:
            self._write(await self._translator(), "conversation.welcome")
            self._prompt()
        async for line in _lines(self._stdin):
            await self.answer(line.rstrip("\r\n"))
            if interactive:
                self._prompt()
        if interactive:
            print(file=self._stdout)
        self._write(await self._translator(), "console.bye")

    def _prompt(self) -> None:
        print(PROMPT, end="", file=self._stdout, flush=True)

    async def answer(self, line: str) -> None:
        text = line.strip()
        payload = None
        if text.isdigit() and 1 <= int(text) <= len(self._choices):
            payload = self._choices[int(text) - 1].payload
            text = ""
        replies = await self._dispatcher.handle(
            Incoming(chat=CONSOLE_CHAT, text=text, payload=payload)
        )
        self._choices = tuple(button for reply in replies for button in reply.buttons)
        t = await self._translator()
        print(render(replies, t), file=self._stdout)
        if self._choices:
            self._write(t, "console.choices")
        print(file=self._stdout, flush=True)

    async def _translator(self) -> Translator:
        return await self._dispatcher.translator_for(CONSOLE_CHAT.channel, CONSOLE_CHAT.user_id)

    def _write(self, t: Translator, key: str) -> None:
        print(t(key), file=self._stdout, flush=True)
