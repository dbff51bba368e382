"""Telegram channel: a thin python-telegram-bot 22 adapter around the channel-agnostic core.

Updates become `Incoming` messages for the dispatcher; `Reply` lists become Bot API calls
(text split at 4,096, inline keyboards, photos). Long polling by default; with a public URL
the updates arrive as a webhook on the project's ASGI app at `/telegram`, which answers 200
at once and processes after (python-telegram-bot's update queue, drained on stop). Every
update is kept in the store before Telegram is told it arrived, until it is answered; the
ones a crash left unanswered are answered at the next start (see `telegram_dedupe`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.routing import BaseRoute, Route
from telegram import BotCommand, CallbackQuery, Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from bot.channels.claims import ClaimKeeper
from bot.channels.location import region_payload
from bot.channels.telegram.chat_action import Typing
from bot.channels.telegram.dedupe import SeenUpdates
from bot.channels.telegram.documents import MAX_DOWNLOAD_BYTES, download, too_big
from bot.channels.telegram.flood import FloodControl, FloodVerdict
from bot.channels.telegram.inbound import (
    addressed_text,
    anonymous_admin,
    is_group,
    replied_id,
    unsupported_kind,
)
from bot.channels.telegram.outbound import TelegramSender
from bot.channels.telegram.pacing import PaceLimits, TelegramPace
from bot.channels.telegram.render import COMMANDS, STORED_CALLBACK_PREFIX
from bot.channels.telegram.request import AiohttpRequest
from bot.channels.telegram.webhook import (
    WEBHOOK_PATH,
    AnyApplication,
    KeepingQueue,
    TelegramWebhook,
)
from bot.core.delivery import DeliveryFailed
from bot.core.i18n import DEFAULT_LOCALE, SUPPORTED, Translator
from bot.domain.messages import ChatRef, Incoming, Reply

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.dispatcher import Dispatcher
    from bot.store import Store

log = logging.getLogger(__package__)

ALLOWED_UPDATES = ("message", "callback_query")
# Bot API connections: the pacer keeps sends to ~30/s, so a dozen or so kept alive serve best.
HTTP_CONNECTIONS = 16
_SECRET_CHARS = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class TelegramConfigError(ValueError):
    """The Telegram settings cannot work together (reported at start-up)."""


class TelegramChannel:
    """One bot: receive (polling or webhook), answer through the dispatcher, deliver."""

    name = "telegram"

    def __init__(
        self,
        store: Store,
        dispatcher: Dispatcher,
        *,
        data_dir: Path,
        token: str,
        api_url: str = "https://api.telegram.org",
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        limits: PaceLimits | None = None,
        flood: FloodControl | None = None,
        typing_after: float = 1.0,
        poll_timeout: float = 10.0,
        max_retries: int = 3,
        retry_backoff: float = 0.5,
    ):
        if webhook_url is not None and webhook_secret is None:
            raise TelegramConfigError(
                "JAMSOS_PUBLIC_URL is set (webhook mode) but JAMSOS_TELEGRAM_WEBHOOK_SECRET is"
                " not: set it to a random string of 1-256 characters A-Z a-z 0-9 _ -"
            )
        if webhook_secret is not None and not _SECRET_CHARS.match(webhook_secret):
            raise TelegramConfigError(
                "JAMSOS_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters A-Z a-z 0-9 _ -"
            )
        self._store = store
        self._dispatcher = dispatcher
        self._webhook_url = webhook_url
        self._secret = webhook_secret
        pace = limits or PaceLimits()
        bot_id = token.partition(":")[0]  # the bot's user id: one cap per bot, all workers
        shared = store.pacing.limiter(f"telegram:{bot_id}", pace.overall_rate, pace.overall_burst)
        self._pacer = TelegramPace(pace, shared=shared)
        self._flood = flood or FloodControl()
        self._poll_timeout = poll_timeout
        self._incoming_dir = data_dir / "telegram" / "incoming"
        self._seen = SeenUpdates(store.telegram)
        self._keeper = ClaimKeeper(self._keep_claims)  # renewals; a dead worker's leftovers
        base = api_url.rstrip("/")
        self._queue = KeepingQueue(self._seen)
        builder = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .request(AiohttpRequest(connections=HTTP_CONNECTIONS, pool_timeout=30.0))
            .get_updates_request(AiohttpRequest(connections=1))
            .concurrent_updates(256)
            .update_queue(self._queue)
            .job_queue(None)
        )
        if webhook_url is not None:
            builder = builder.updater(None)
        self._application: AnyApplication = builder.build()
        self._sender = TelegramSender(
            self._application.bot,
            store,
            self._pacer,
            max_retries=max_retries,
            retry_backoff=retry_backoff,
        )
        # Bare commands answered in groups: the menu's (some reach the understanding as
        # text, like /menu) and every command the routers define.
        self._known_commands = dispatcher.command_names | {name for name, _ in COMMANDS}
        self._typing = Typing(self._application.bot, typing_after)
        self._webhook = TelegramWebhook(
            self._application,
            self._queue,
            webhook_secret,
            refused=lambda reason: dispatcher.metrics.webhook_refused("telegram", reason),
        )
        self._application.add_handler(TypeHandler(Update, self._on_update))
        self._application.add_error_handler(self._on_error)

    # -- lifecycle ------------------------------------------------------------------------

    def routes(self) -> Sequence[BaseRoute]:
        if self._webhook_url is None:
            return []
        return [Route(WEBHOOK_PATH, self._webhook.endpoint, methods=["POST"])]

    async def start(self) -> None:
        """getMe, command menu, webhook registration (or polling), then process updates."""
        await self._application.initialize()
        try:
            unanswered = await self._seen.load()
            await self._set_commands()
            if self._webhook_url is not None:
                await self._application.bot.set_webhook(
                    self._webhook_url,
                    secret_token=self._secret,
                    allowed_updates=list(ALLOWED_UPDATES),
                )
            await self._application.start()
            await self._queue.replay(unanswered, self._application.bot)
            self._keeper.start()
            updater = self._application.updater
            if self._webhook_url is None and updater is not None:
                await updater.start_polling(
                    timeout=int(self._poll_timeout), allowed_updates=list(ALLOWED_UPDATES)
                )
        except BaseException:
            if self._application.running:
                await self._application.stop()
            await self._application.shutdown()
            raise
        log.info(
            "telegram bot @%s started (%s)",
            self._application.bot.username,
            "webhook" if self._webhook_url else "polling",
        )

    async def stop(self) -> None:
        """Stop receiving, finish every update already accepted, then close; what was not
        answered (cut off) is released for the other workers at once."""
        await self._keeper.stop()
        updater = self._application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self._application.running:
            await self._application.stop()
        await self._seen.release()
        await self._typing.wait()
        await self._pacer.close()
        await self._application.shutdown()

    async def _keep_claims(self) -> None:
        """Renew this worker's claims; answer what dead workers left (their claims expired)."""
        await self._seen.renew()
        await self._queue.replay(await self._seen.take_over(), self._application.bot)

    async def _set_commands(self) -> None:
        catalogues = self._dispatcher.catalogues
        for locale in SUPPORTED:
            t = catalogues.translator(locale)
            commands = [BotCommand(name, t(key)) for name, key in COMMANDS]
            # Indonesian is the default menu; other languages for users whose app uses them.
            language = None if locale == DEFAULT_LOCALE else locale
            await self._application.bot.set_my_commands(commands, language_code=language)

    # -- inbound --------------------------------------------------------------------------

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer, then mark handled; a failure is handled too (no replay of a bug), but an
        interrupted answer (cancelled: the process stops hard) stays kept for the next start."""
        try:
            if update.callback_query is not None:
                await self._on_callback(update.callback_query)
            elif update.message is not None:
                await self._on_message(update.message)
        except Exception:
            await self._seen.finish(update.update_id)
            raise
        await self._seen.finish(update.update_id)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed", exc_info=context.error)

    async def _on_callback(self, query: CallbackQuery) -> None:
        with contextlib.suppress(TelegramError):
            await query.answer()  # stop the button's spinner at once, whatever follows
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        chat = ChatRef(
            channel="telegram",
            user_id=str(query.from_user.id),
            chat_id=str(chat_id),
            is_group=message is not None and is_group(message.chat),
        )
        data = query.data or ""
        if data.startswith(STORED_CALLBACK_PREFIX):
            data = await self._store.telegram.callback_payload(data[1:]) or data
        incoming = Incoming(
            chat=chat,
            payload=data,
            platform_locale=query.from_user.language_code,
            message_id=str(message.message_id) if message is not None else None,
        )
        if await self._admit(incoming.chat, incoming.platform_locale):
            await self._answer(incoming)

    async def _on_message(self, message: Message) -> None:
        sender = message.from_user
        if sender is None:
            return
        group = is_group(message.chat)
        if anonymous_admin(message):
            user_id = str(message.chat.id)  # the admin is anonymous: the group speaks
        elif sender.is_bot:
            return
        else:
            user_id = str(sender.id)
        topic = message.message_thread_id if message.is_topic_message else None
        chat = ChatRef(
            channel="telegram",
            user_id=user_id,
            chat_id=str(message.chat.id),
            is_group=group,
            thread_id=str(topic) if topic is not None else None,
        )
        locale = sender.language_code
        known = self._known_commands if group else frozenset[str]()
        text = addressed_text(message, self._application.bot.bot, group=group, known=known)
        kind = unsupported_kind(message)
        if group and (text is None or kind is not None):
            return  # in groups: only commands and messages for the bot, and only text
        if kind is None and text is None:
            return
        service = message.text is None and not message.caption and message.document is None
        if service and kind is None:
            return  # service messages (members joined, pinned...): nothing to answer
        if not await self._admit(chat, locale):
            return
        base = Incoming(
            chat=chat,
            text=text or "",
            platform_locale=locale,
            message_id=str(message.message_id),
            received_at=message.date,
            reply_to=replied_id(message),
        )
        venue = message.venue
        if venue is not None and not group:
            found = region_payload(
                self._dispatcher.understander, self._dispatcher.today(), venue.title, venue.address
            )
            if found is not None:
                kind = None
                base = replace(base, payload=found)
        if kind is not None:
            await self._answer(replace(base, unsupported=kind))
        elif message.document is not None:
            await self._on_document(message, base)
        else:
            await self._answer(base)

    async def _on_document(self, message: Message, base: Incoming) -> None:
        """Staff files (imports) are downloaded and passed on; others get "please type"."""
        document = message.document
        if document is None:
            return
        user = await self._store.people.touch("telegram", base.chat.user_id)
        if not self._dispatcher.accepts_documents(await self._dispatcher.role_of(user)):
            await self._answer(replace(base, unsupported="document"))
            return
        if too_big(document):
            t = await self._translator(base.chat, base.platform_locale)
            text = t("telegram.file_too_big", limit_mb=MAX_DOWNLOAD_BYTES // (1024 * 1024))
            await self._send_quietly(base.chat, [Reply(text=text)])
            return
        attachment = await download(document, self._incoming_dir)
        if attachment is None:
            await self._answer(replace(base, unsupported="document"))
            return
        await self._answer(replace(base, attachment=attachment))

    async def _admit(self, chat: ChatRef, platform_locale: str | None) -> bool:
        """Per-user flood control; the one notice goes out here."""
        verdict = self._flood.check(chat.user_id)
        if verdict is FloodVerdict.ANSWER:
            return True
        if verdict is FloodVerdict.NOTICE:
            t = await self._translator(chat, platform_locale)
            await self._send_quietly(chat, [Reply(text=t("telegram.flood"))])
        return False

    async def _translator(self, chat: ChatRef, platform_locale: str | None) -> Translator:
        return await self._dispatcher.translator_for("telegram", chat.user_id, platform_locale)

    async def _answer(self, incoming: Incoming) -> None:
        """Dispatch, showing "typing..." if the answer takes a while, then send the replies."""
        done = asyncio.Event()
        chat = incoming.chat
        thread = int(chat.thread_id) if chat.thread_id else None
        timer = self._typing.schedule(chat.chat_id, done, thread)
        async with self._dispatcher.turn(incoming.chat) as turn:  # held through delivery
            try:
                replies = (await turn.process(incoming)).replies
            finally:
                timer.cancel()
                done.set()
                if incoming.attachment is not None:  # our temporary download: gone once read
                    await asyncio.to_thread(incoming.attachment.path.unlink, missing_ok=True)
            await self._send_quietly(incoming.chat, replies)

    async def _send_quietly(self, chat: ChatRef, replies: Sequence[Reply]) -> None:
        try:
            await self.deliver(chat, replies)
        except DeliveryFailed as exc:
            log.warning("telegram reply not delivered: %s", exc.kind.value)

    # -- outbound -------------------------------------------------------------------------

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        """Send replies in order; returns the id of the last message. Raises DeliveryFailed."""
        return await self._sender.deliver(chat, replies, bulk=bulk)


def create(settings: Settings, store: Store, dispatcher: Dispatcher) -> TelegramChannel:
    """The channel from settings: webhook mode when JAMSOS_PUBLIC_URL is set."""
    if settings.telegram_token is None:
        raise TelegramConfigError("JAMSOS_TELEGRAM_TOKEN is not set")
    webhook_url = None
    if settings.public_url:
        webhook_url = settings.public_url.rstrip("/") + WEBHOOK_PATH
    secret = settings.telegram_webhook_secret
    return TelegramChannel(
        store,
        dispatcher,
        data_dir=settings.data_dir,
        token=settings.telegram_token.get_secret_value(),
        api_url=settings.telegram_api_url,
        webhook_url=webhook_url,
        webhook_secret=secret.get_secret_value() if secret is not None else None,
        limits=PaceLimits(overall_rate=settings.telegram_max_rate),
    )
