"""Sending to Telegram: replies as Bot API calls, paced, with Telegram's errors mapped.

Texts are split below 4,096 characters (buttons on the last part), images go out as photos,
long button payloads travel as stored keys. Every call waits for the pacer; a 429 pauses all
sending, 403 marks the user unreachable, BadRequest is never retried. A reply that did not
reach Telegram (connection refused, 5xx) is tried again a few times with growing pauses; a
timeout after the request went out is not (the message may have arrived: no duplicates).
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.channels.telegram.pacing import TelegramPace
from bot.channels.telegram.render import (
    MAX_CAPTION,
    STORED_CALLBACK_PREFIX,
    button_rows,
    fits_callback,
    split_text,
    utf16_len,
)
from bot.core.delivery import DeliveryFailed, FailureKind
from bot.domain.messages import Button, ChatRef, Reply
from bot.store import Store

log = logging.getLogger(__package__)
T = TypeVar("T")

# `do_api_request("sendMessage")` asks to use `send_message` instead; see `_send_text` for why.
# A process-wide filter on purpose: `warnings.catch_warnings()` around an `await` is not safe
# with concurrent sends (each restores the filter list it saved, out of order).
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning
)

KEYBOARD_CACHE = 512  # distinct keyboards kept (menus and topic buttons: a few dozen)


def retry_after_seconds(error: RetryAfter) -> float:
    """`retry_after` is a timedelta with PTB_TIMEDELTA=true, else a deprecated int."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = error.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


def not_delivered(error: TelegramError) -> bool:
    """The call surely did not deliver: no connection, or Telegram answered with a 5xx.

    PTB raises NetworkError for an HTTP error status (no httpx cause) and for transport
    errors (httpx cause); TimedOut is ambiguous unless the connection was never made.
    """
    if isinstance(error, BadRequest) or not isinstance(error, NetworkError):
        return False
    cause = error.__cause__
    if isinstance(error, TimedOut):
        return isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout)
    if isinstance(cause, httpx.HTTPError):
        return isinstance(cause, httpx.ConnectError)
    return True  # an error status from the server: 5xx (4xx have their own classes)


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        store: Store,
        pacer: TelegramPace,
        *,
        max_retries: int = 3,
        retry_backoff: float = 0.5,
    ):
        self._bot = bot
        self._store = store
        self._pacer = pacer
        self._max_retries = max_retries
        self._retry_backoff = retry_backoff
        self._keyboards: OrderedDict[tuple[Button, ...], InlineKeyboardMarkup] = OrderedDict()

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        """Send replies in order; returns the id of the last message. Raises DeliveryFailed."""
        last = ""
        for reply in replies:
            last = await self._send_reply(chat, reply, bulk=bulk) or last
        return last

    async def _send_reply(self, chat: ChatRef, reply: Reply, *, bulk: bool) -> str:
        bot = self._bot
        texts = split_text(reply.text)
        markup = await self._keyboard(reply.buttons) if reply.buttons else None
        last = ""
        if reply.image is not None:
            image = reply.image
            caption = image.caption if utf16_len(image.caption) <= MAX_CAPTION else ""
            if image.caption and not caption:
                texts = [*split_text(image.caption), *texts]
            data = await asyncio.to_thread(image.path.read_bytes)
            photo = InputFile(data, filename=image.path.name)
            photo_markup = markup if not texts else None
            sent = await self._call(
                chat,
                bulk,
                lambda: bot.send_photo(
                    chat.chat_id, photo, caption=caption or None, reply_markup=photo_markup
                ),
            )
            last = str(sent.message_id)
        for index, text in enumerate(texts):
            text_markup = markup if index == len(texts) - 1 else None
            message_id = await self._call(
                chat,
                bulk,
                lambda text=text, text_markup=text_markup: self._send_text(  # type: ignore[misc]
                    chat.chat_id, text, text_markup
                ),
            )
            last = str(message_id)
        return last

    async def _send_text(
        self, chat_id: str, text: str, markup: InlineKeyboardMarkup | None
    ) -> int:
        """sendMessage, keeping only the new message's id.

        `Bot.send_message` reads Telegram's answer (the whole message, keyboard included) into
        `Message` objects: a fifth of the bot's CPU per answer (py-spy, benchmarks/telegram.py).
        `do_api_request` is python-telegram-bot's raw call, with the same request, errors and
        retry-after handling, and returns the JSON as it came.
        """
        params: dict[str, object] = {"chat_id": chat_id, "text": text}
        if markup is not None:
            params["reply_markup"] = markup
        result = await self._bot.do_api_request("sendMessage", api_kwargs=params)
        return int(result["message_id"])

    async def _keyboard(self, buttons: Sequence[Button]) -> InlineKeyboardMarkup:
        """The inline keyboard; the same buttons (menus, mostly) reuse one immutable markup."""
        key = tuple(buttons)
        cached = self._keyboards.get(key)
        if cached is not None:
            self._keyboards.move_to_end(key)
            return cached
        markup, stored = await self._build_keyboard(buttons)
        if not stored:  # stored payload keys are not cached: the store may forget them
            self._keyboards[key] = markup
            if len(self._keyboards) > KEYBOARD_CACHE:
                self._keyboards.popitem(last=False)
        return markup

    async def _build_keyboard(
        self, buttons: Sequence[Button]
    ) -> tuple[InlineKeyboardMarkup, bool]:
        stored = False
        rows = []
        for row in button_rows(buttons):
            keys = []
            for button in row:
                data = button.payload
                if not fits_callback(data):
                    key = await self._store.telegram.store_callback(data)
                    data = STORED_CALLBACK_PREFIX + key
                    stored = True
                keys.append(InlineKeyboardButton(button.title, callback_data=data))
            rows.append(keys)
        return InlineKeyboardMarkup(rows), stored

    async def _call(self, chat: ChatRef, bulk: bool, send: Callable[[], Awaitable[T]]) -> T:
        """One paced Bot API call, Telegram errors mapped to DeliveryFailed.

        A 429 pauses all sending for `retry_after`; replies are then retried (a few times),
        announcements give the failure back to the outbox. BadRequest is never retried.
        Replies that surely did not arrive (`not_delivered`) are retried after 1, 2, 4...
        times `retry_backoff` seconds.
        """
        attempts = 0
        failures = 0
        while True:
            await self._pacer.acquire(chat.chat_id, group=chat.is_group, bulk=bulk)
            try:
                return await send()
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                self._pacer.pause(wait)
                attempts += 1
                log.warning("telegram flood control: pausing %.1f s", wait)
                if bulk or attempts > self._max_retries:
                    raise DeliveryFailed(
                        FailureKind.RATE_LIMITED, exc.message, retry_after=wait
                    ) from exc
            except Forbidden as exc:
                if not chat.is_group:
                    await self._mark_unreachable(chat)
                raise DeliveryFailed(FailureKind.BLOCKED, exc.message) from exc
            except (BadRequest, ChatMigrated) as exc:
                raise DeliveryFailed(FailureKind.INVALID, exc.message) from exc
            except TelegramError as exc:  # TimedOut, NetworkError, Conflict...
                if bulk or failures >= self._max_retries or not not_delivered(exc):
                    raise DeliveryFailed(FailureKind.TRANSIENT, exc.message) from exc
                wait = self._retry_backoff * 2**failures
                failures += 1
                log.warning("telegram send failed (%s): again in %.1f s", exc.message, wait)
                await asyncio.sleep(wait)

    async def _mark_unreachable(self, chat: ChatRef) -> None:
        """The user blocked the bot: inactive (announcements skip them) until they write."""
        user = await self._store.people.find("telegram", chat.user_id)
        if user is not None and user.active:
            await self._store.people.set_active(user.id, False)
            log.info("telegram user %d blocked the bot: marked inactive", user.id)
