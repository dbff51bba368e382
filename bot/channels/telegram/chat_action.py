"""Showing "typing..." while an answer takes a while, for a bounded number of chats."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import TelegramError

log = logging.getLogger(__package__)

TYPING_REPEAT = 4.5  # a chat action shows for about 5 seconds
MAX_TYPING = 32  # chats shown "typing..." at once


class Typing:
    """Starts "typing..." after `after` seconds unless the answer is ready by then."""

    def __init__(self, bot: Bot, after: float):
        self._bot = bot
        self._after = after
        self._tasks: set[asyncio.Task[None]] = set()

    def schedule(
        self, chat_id: str, done: asyncio.Event, thread: int | None = None
    ) -> asyncio.TimerHandle:
        """Show typing in `chat_id` (its topic `thread`) from `after` s on until `done` is set."""
        return asyncio.get_running_loop().call_later(
            self._after, self._start, chat_id, done, thread
        )

    async def wait(self) -> None:
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _keep_typing(self, chat_id: str, done: asyncio.Event, thread: int | None) -> None:
        while not done.is_set():
            try:
                await self._bot.send_chat_action(
                    chat_id, ChatAction.TYPING, message_thread_id=thread
                )
            except TelegramError as exc:
                log.debug("telegram typing action failed: %s", exc)
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), TYPING_REPEAT)

    def _start(self, chat_id: str, done: asyncio.Event, thread: int | None) -> None:
        if len(self._tasks) >= MAX_TYPING:
            return  # overloaded: typing indicators would only add to the queue
        task = asyncio.create_task(self._keep_typing(chat_id, done, thread))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
