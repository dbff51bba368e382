"""WhatsApp Cloud API channel: lifecycle and wiring, and answering one accepted message.

pywa sends (messages, media upload, templates, media download) and maps Graph API errors to
exceptions carrying Meta's error code (`outbound`). Webhooks are checked and parsed by us
instead (`inbound`, `webhook`), because our route must fail closed without an app secret and
claim each message id in the database before answering. pywa always talks to
graph.facebook.com; a small transport sends those requests to `JAMSOS_WHATSAPP_API_URL`
instead (`transport`: a gateway, or a test fake).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError
from starlette.routing import BaseRoute, Route

from bot.channels.claims import CLAIM_TTL, ClaimKeeper, worker_name
from bot.channels.location import region_payload
from bot.channels.whatsapp.contacts import Contacts
from bot.channels.whatsapp.inbound import WebhookInbox
from bot.channels.whatsapp.outbound import WhatsAppSender
from bot.channels.whatsapp.pacing import WhatsAppPace
from bot.channels.whatsapp.render import render
from bot.channels.whatsapp.transport import GraphApiTransport
from bot.channels.whatsapp.webhook import InboundMessage, message_from_json
from bot.core.delivery import DeliveryFailed
from bot.core.payload import encode
from bot.domain.intents import Intent
from bot.domain.messages import Attachment, ChatRef, Incoming, Reply
from bot.store.claims import Claim
from bot.store.whatsapp import OutgoingKind

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.dispatcher import Dispatcher, Turn
    from bot.store import Store

log = logging.getLogger(__package__)

WEBHOOK_PATH = "/whatsapp"
REPLAY_WINDOW = timedelta(hours=1)  # older unanswered messages are stale: not answered late
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class WhatsAppChannel:
    """The `Channel` for one WhatsApp Business phone number."""

    name = "whatsapp"

    def __init__(self, settings: Settings, store: Store, dispatcher: Dispatcher):
        if settings.whatsapp_token is None or not settings.whatsapp_phone_id:
            raise ValueError("WhatsApp needs JAMSOS_WHATSAPP_TOKEN and JAMSOS_WHATSAPP_PHONE_ID")
        self._dispatcher = dispatcher
        self._store = store
        self._phone_id = settings.whatsapp_phone_id
        app_secret = (
            settings.whatsapp_app_secret.get_secret_value() if settings.whatsapp_app_secret else ""
        )
        self._app_secret = app_secret
        verify_token = (
            settings.whatsapp_verify_token.get_secret_value()
            if settings.whatsapp_verify_token
            else ""
        )
        self._downloads = settings.data_dir / "incoming" / "whatsapp"
        self._session = httpx.AsyncClient(
            transport=GraphApiTransport(settings.whatsapp_api_url),
            timeout=httpx.Timeout(15.0, connect=5.0),
        )
        self._wa = WhatsApp(
            phone_id=self._phone_id,
            token=settings.whatsapp_token.get_secret_value(),
            session=self._session,
            api_version=settings.whatsapp_api_version,
            validate_updates=False,
        )
        # pywa set the session's base URL to graph.facebook.com; pointing it at the configured
        # server spares the transport a URL rewrite per call (it still catches absolute URLs).
        api_url = settings.whatsapp_api_url.rstrip("/")
        self._session.base_url = httpx.URL(f"{api_url}/v{settings.whatsapp_api_version}")
        self._sender = WhatsAppSender(
            self._wa,
            store,
            WhatsAppPace(
                settings.whatsapp_messages_per_second,
                shared=store.pacing.limiter(  # one cap per number, for all workers
                    f"whatsapp:{self._phone_id}", settings.whatsapp_messages_per_second, 10
                ),
            ),
            backoff=settings.whatsapp_backoff_seconds,
            max_attempts=settings.whatsapp_max_attempts,
        )
        self.worker = worker_name()  # claims the messages it answers (several workers)
        self._keeper = ClaimKeeper(self._keep_claims)
        self._inbox = WebhookInbox(
            store,
            self._answer,
            phone_id=self._phone_id,
            app_secret=app_secret,
            verify_token=verify_token,
            refused=lambda reason: dispatcher.metrics.webhook_refused("whatsapp", reason),
            claim=self._claim,
        )
        self._contacts = Contacts(store)
        self._store.privacy.on_forget(self._forget)

    # --- Channel protocol -------------------------------------------------------------------

    def routes(self) -> Sequence[BaseRoute]:
        return [Route(WEBHOOK_PATH, self._inbox.endpoint, methods=["GET", "POST"])]

    async def start(self, *, receive: bool = True) -> None:
        """Start; `receive=False` only prepares sending (`broadcast send`): no replay of
        messages left unanswered, which the server answers when it starts."""
        self._inbox.accepting = receive
        if not receive:
            return
        pruned = await self._store.whatsapp.prune_inbound()
        if pruned:
            log.info("forgot %d old WhatsApp message ids", pruned)
        if not self._app_secret:
            log.error("JAMSOS_WHATSAPP_APP_SECRET is not set: every webhook POST is refused")
        # Messages accepted shortly before a crash, never answered: answer them now (and,
        # every few seconds, those a dead worker left: its claims expired).
        await self._store.whatsapp.forget_pending(datetime.now(UTC) - REPLAY_WINDOW)
        await self._take_over()
        self._keeper.start()

    def _claim(self) -> Claim:
        return Claim.fresh(self.worker, CLAIM_TTL)

    async def _take_over(self) -> None:
        since = datetime.now(UTC) - REPLAY_WINDOW
        for key, raw in await self._store.whatsapp.claim_unhandled(since, self._claim()):
            try:
                message = message_from_json(raw)
            except (ValueError, TypeError, KeyError):
                log.warning("unreadable pending WhatsApp message %s", key[:12])
                continue
            self._inbox.spawn(self._answer(message))

    async def _keep_claims(self) -> None:
        await self._store.whatsapp.claims.renew(self.worker, datetime.now(UTC) + CLAIM_TTL)
        await self._take_over()

    async def stop(self) -> None:
        """Finish the messages already accepted, then close the HTTP client; what was not
        answered (cut off) is released for the other workers at once."""
        await self._keeper.stop()
        self._inbox.accepting = False
        await self.drain()
        await self._store.whatsapp.claims.release(self.worker)
        await self._inbox.close()
        await self._session.aclose()
        self._store.privacy.remove_listener(self._forget)

    async def drain(self) -> None:
        """Wait until every webhook accepted so far has been processed."""
        await self._inbox.drain()

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        """Send replies to a person; `bulk` (announcements) yields to replies and needs the
        24-hour window open, else `DeliveryFailed(OUTSIDE_WINDOW)`: send a template instead."""
        user_id, recipient = await self._sender.recipient(chat)
        if bulk:
            await self._sender.require_window(chat)
        sent = await self._send_replies(chat, recipient, user_id, replies, bulk=bulk)
        await self._store.whatsapp.record_outgoing(
            sent, user_id=user_id, kind="bulk" if bulk else "reply"
        )
        return sent[-1] if sent else ""

    async def send_template(
        self, chat: ChatRef, name: str, language_code: str, parameters: Sequence[str]
    ) -> str:
        """Send an approved template (outside the 24-hour window); body `{{1}}..` = parameters."""
        return await self._sender.send_template(chat, name, language_code, parameters)

    # --- answering --------------------------------------------------------------------------

    async def _answer(self, message: InboundMessage) -> None:
        try:
            external_id = await self._contacts.external_id(message.sender)
            sender = message.sender
            recipient = sender.wa_id or sender.bsuid or external_id
            chat = ChatRef(channel="whatsapp", user_id=external_id, chat_id=recipient)
            # The person's turn covers reading the numbered menu, answering and sending.
            async with self._dispatcher.turn(chat) as turn:
                await self._answer_in_turn(turn, message, chat)
        except Exception:
            log.exception("answering a WhatsApp message failed")

    async def _answer_in_turn(self, turn: Turn, message: InboundMessage, chat: ChatRef) -> None:
        sender = message.sender
        external_id, recipient = chat.user_id, chat.chat_id
        incoming = await self._incoming(message, chat)
        try:
            outcome = await turn.process(incoming)
        finally:
            if incoming.attachment is not None:
                await asyncio.to_thread(_remove_download, incoming.attachment.path)
        sent: list[str] = []
        try:
            sent = await self._send_replies(
                chat, recipient, None, outcome.replies, bulk=False, locale=outcome.locale
            )
        except DeliveryFailed as exc:
            log.warning("reply not delivered: %s (%s)", exc.kind.value, exc.detail or "-")
        # The contact is upserted with every message (a no-op when unchanged): after
        # /hapusdata the next message must create it again, so no "already saved" cache.
        await self._store.whatsapp.finish_inbound(
            message.wamid,
            external_id=external_id,
            wa_id=sender.wa_id,
            bsuid=sender.bsuid,
            update_contact=True,
            sent=sent,
        )

    async def _incoming(self, message: InboundMessage, chat: ChatRef) -> Incoming:
        common: dict[str, Any] = {"chat": chat, "message_id": message.wamid}
        if message.sent_at is not None:
            common["received_at"] = message.sent_at
        if message.kind == "text":
            payload = self._contacts.menu_choice(chat.user_id, message.text)
            if payload is not None:
                return Incoming(payload=payload, **common)
            return Incoming(text=message.text, **common)
        if message.payload is not None:
            return Incoming(text=message.text, payload=message.payload, **common)
        if message.kind == "button":  # a template's quick reply: its label, as if typed
            return Incoming(text=message.text, **common)
        if message.kind == "request_welcome":  # the person opened the chat for the first time
            return Incoming(payload=encode(Intent.GREETING), **common)
        if message.kind == "location":
            dispatcher = self._dispatcher
            found = region_payload(dispatcher.understander, dispatcher.today(), message.text)
            if found is not None:
                return Incoming(payload=found, **common)
        if message.kind == "document" and message.media_id:
            attachment = await self._staff_document(message, chat)
            if attachment is not None:
                return Incoming(text=message.text, attachment=attachment, **common)
        return Incoming(unsupported=message.kind, **common)

    async def _staff_document(self, message: InboundMessage, chat: ChatRef) -> Attachment | None:
        """Download a file only for the roles the `document` command accepts (staff imports;
        the dispatcher decides, for every channel alike); others get the polite "please type"."""
        user = await self._store.people.find("whatsapp", chat.user_id)
        dispatcher = self._dispatcher
        if user is None or not dispatcher.accepts_documents(await dispatcher.role_of(user)):
            return None
        if message.media_id is None:
            return None
        try:
            media = await self._wa.get_media_url(message.media_id)
            if media.file_size and media.file_size > MAX_DOCUMENT_BYTES:
                log.warning("document too large (%d bytes)", media.file_size)
                return None
            content = await self._wa.get_media_bytes(media.url)
        except (WhatsAppError, httpx.HTTPError):
            log.exception("downloading a WhatsApp document failed")
            return None
        filename = _SAFE_NAME.sub("_", message.filename or "document").strip("._") or "document"
        folder = self._downloads / uuid.uuid4().hex
        path = await asyncio.to_thread(_save_download, folder, filename, content)
        return Attachment(path=path, filename=filename, mime_type=message.mime_type)

    # --- sending ----------------------------------------------------------------------------

    async def _send_replies(
        self,
        chat: ChatRef,
        recipient: str,
        user_id: int | None,
        replies: Sequence[Reply],
        *,
        bulk: bool,
        locale: str | None = None,
    ) -> list[str]:
        """`locale`: the replies' language when known (answers); else the person's is read."""
        if any(len(r.buttons) > 3 or (r.buttons and not r.text.strip()) for r in replies):
            t = (
                self._dispatcher.translator(locale)
                if locale is not None
                else await self._dispatcher.translator_for("whatsapp", chat.user_id)
            )
            rendered = render(
                replies,
                list_label=t("whatsapp.list_button"),
                menu_hint=t("whatsapp.menu_hint"),
                prompt=t("whatsapp.choose"),
            )
        else:
            rendered = render(replies, list_label="", menu_hint="")
        if not bulk or rendered.menu:
            self._contacts.remember_menu(chat.user_id, rendered.menu)
        return await self._sender.send_parts(chat, recipient, user_id, rendered.parts, bulk=bulk)

    def _forget(self, channel: str, external_id: str) -> None:
        """A person deleted their data: drop what this channel remembers about them."""
        if channel == self.name:
            self._contacts.forget(external_id)


def _save_download(folder: Path, filename: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_bytes(content)
    return path


def _remove_download(path: Path) -> None:
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def create(settings: Settings, store: Store, dispatcher: Dispatcher) -> WhatsAppChannel:
    return WhatsAppChannel(settings, store, dispatcher)


__all__ = ["GraphApiTransport", "OutgoingKind", "WhatsAppChannel", "create"]
