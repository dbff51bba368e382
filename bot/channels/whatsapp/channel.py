"""WhatsApp Cloud API channel: the `/whatsapp` webhook in our ASGI app, sending via pywa_async.

pywa sends (messages, media upload, templates, media download) and maps Graph API errors to
exceptions carrying Meta's error code. Webhooks are checked and parsed here instead
(`whatsapp_webhook`), because our route must fail closed without an app secret and claim each
message id in the database before answering. pywa always talks to graph.facebook.com; a small
transport sends those requests to `JAMSOS_WHATSAPP_API_URL` instead (a gateway, or a test fake).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import logging
import re
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from pywa.types.callback import Button as WaButton
from pywa.types.callback import Section, SectionList, SectionRow
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError
from pywa_async.types.templates import TemplateLanguage
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels.http_body import read_body
from bot.channels.http_transport import AiohttpTransport
from bot.channels.whatsapp.pacing import WhatsAppPace
from bot.channels.whatsapp.render import (
    ButtonsPart,
    ImagePart,
    ListPart,
    Part,
    TextPart,
    render,
)
from bot.channels.whatsapp.webhook import (
    SIGNATURE_HEADER,
    InboundMessage,
    MalformedWebhook,
    Sender,
    WebhookBatch,
    message_from_json,
    message_to_json,
    parse_webhook,
    signature_valid,
)
from bot.core.delivery import DeliveryFailed, FailureKind
from bot.domain.messages import Attachment, ChatRef, Incoming, Reply
from bot.domain.service_window import inside_window
from bot.store.whatsapp import OutgoingKind, StatusChange

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.dispatcher import Dispatcher, Turn
    from bot.store import Store

log = logging.getLogger(__package__)
K = TypeVar("K")
V = TypeVar("V")

GRAPH_HOST = "graph.facebook.com"
WEBHOOK_PATH = "/whatsapp"

# Meta error codes (Cloud API error-code reference), by what the sender must do.
UNREACHABLE = frozenset({131026, 131050})  # not on WhatsApp / stopped messages: mark inactive
OUTSIDE_WINDOW = frozenset({131047})  # more than 24 h since the user wrote: needs a template
THROUGHPUT = frozenset({4, 80007, 130429, 131057})  # number-wide limit: pause all, retry
PAIR_LIMIT = frozenset({131056})  # too many to this user: wait for them, retry
HALT = frozenset({131048, 131049, 131064})  # quality / marketing caps: stop, retry much later
TRANSIENT = frozenset({1, 2, 131000, 131016})
# Network errors before the request was sent: safe to retry (nothing reached Meta).
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

REPLAY_WINDOW = timedelta(hours=1)  # older unanswered messages are stale: not answered late
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_WEBHOOK_BYTES = 1024 * 1024  # Meta's webhook bodies are a few kilobytes
HTTP_CONNECTIONS = 64  # to the Graph API: one per message in flight (about 0.2 s each)
WORKERS = 32  # webhook jobs processed at once (answers to different people run in parallel)
CACHE_SIZE = 10_000  # people remembered per cache (menus, recipients, ids), most recent
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*\.?\s*$")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class GraphApiTransport(httpx.AsyncBaseTransport):
    """Sends pywa's graph.facebook.com requests to the configured API server."""

    def __init__(self, api_url: str, inner: httpx.AsyncBaseTransport | None = None):
        self._target = httpx.URL(api_url.rstrip("/"))
        self._inner = inner or AiohttpTransport(connections=HTTP_CONNECTIONS)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self._target
        if request.url.host == GRAPH_HOST and target.host != GRAPH_HOST:
            request.url = request.url.copy_with(
                scheme=target.scheme,
                host=target.host,
                port=target.port,
                path=target.path.rstrip("/") + request.url.path,
            )
            request.headers["Host"] = target.netloc.decode()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class WhatsAppChannel:
    """The `Channel` for one WhatsApp Business phone number."""

    name = "whatsapp"

    def __init__(self, settings: Settings, store: Store, dispatcher: Dispatcher):
        if settings.whatsapp_token is None or not settings.whatsapp_phone_id:
            raise ValueError("WhatsApp needs JAMSOS_WHATSAPP_TOKEN and JAMSOS_WHATSAPP_PHONE_ID")
        self._dispatcher = dispatcher
        self._store = store
        self._phone_id = settings.whatsapp_phone_id
        self._app_secret = (
            settings.whatsapp_app_secret.get_secret_value() if settings.whatsapp_app_secret else ""
        )
        self._verify_token = (
            settings.whatsapp_verify_token.get_secret_value()
            if settings.whatsapp_verify_token
            else ""
        )
        self._backoff = settings.whatsapp_backoff_seconds
        self._max_attempts = max(1, settings.whatsapp_max_attempts)
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
        self._pacer = WhatsAppPace(settings.whatsapp_messages_per_second)
        # Accepted webhook work, done by a few workers: a burst of webhooks queues here
        # instead of flooding the event loop (which would slow every database write).
        self._work: asyncio.Queue[Coroutine[Any, Any, None]] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        # (phone, BSUID) -> external id; numbered menus per external id. Both hold phone
        # numbers, so a person's entries go when they delete their data (`_forget`).
        self._senders: OrderedDict[tuple[str | None, str | None], str] = OrderedDict()
        self._menus: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._accepting = True
        self._store.privacy.on_forget(self._forget)

    # --- Channel protocol -------------------------------------------------------------------

    def routes(self) -> Sequence[BaseRoute]:
        return [Route(WEBHOOK_PATH, self._webhook, methods=["GET", "POST"])]

    async def start(self, *, receive: bool = True) -> None:
        """Start; `receive=False` only prepares sending (`broadcast send`): no replay of
        messages left unanswered, which the server answers when it starts."""
        self._accepting = receive
        if not receive:
            return
        pruned = await self._store.whatsapp.prune_inbound()
        if pruned:
            log.info("forgot %d old WhatsApp message ids", pruned)
        if not self._app_secret:
            log.error("JAMSOS_WHATSAPP_APP_SECRET is not set: every webhook POST is refused")
        # Messages accepted shortly before a crash, never answered: answer them now.
        since = datetime.now(UTC) - REPLAY_WINDOW
        await self._store.whatsapp.forget_pending(since)
        for key, raw in await self._store.whatsapp.unhandled(since):
            try:
                message = message_from_json(raw)
            except (ValueError, TypeError, KeyError):
                log.warning("unreadable pending WhatsApp message %s", key[:12])
                continue
            self._spawn(self._answer(message))

    async def stop(self) -> None:
        """Finish the messages already accepted, then close the HTTP client."""
        self._accepting = False
        await self.drain()
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers.clear()
        await self._session.aclose()
        self._store.privacy.remove_listener(self._forget)

    async def drain(self) -> None:
        """Wait until every webhook accepted so far has been processed."""
        if self._workers:
            await self._work.join()

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        """Send replies to a person; `bulk` (announcements) yields to replies and needs the
        24-hour window open, else `DeliveryFailed(OUTSIDE_WINDOW)`: send a template instead."""
        user_id, recipient = await self._recipient(chat)
        if bulk:
            await self._require_window(chat)
        sent = await self._send_replies(chat, recipient, user_id, replies, bulk=bulk)
        await self._store.whatsapp.record_outgoing(
            sent, user_id=user_id, kind="bulk" if bulk else "reply"
        )
        return sent[-1] if sent else ""

    async def send_template(
        self, chat: ChatRef, name: str, language_code: str, parameters: Sequence[str]
    ) -> str:
        """Send an approved template (outside the 24-hour window); body `{{1}}..` = parameters."""
        user_id, recipient = await self._recipient(chat)
        try:
            language = TemplateLanguage(language_code)
        except ValueError as exc:
            raise DeliveryFailed(
                FailureKind.INVALID, f"template language {language_code}"
            ) from exc
        params: list[dict[str, Any]] | None = None
        if parameters:
            body = [{"type": "text", "text": value} for value in parameters]
            params = [{"type": "body", "parameters": body}]

        async def send() -> str:
            sent = await self._wa.send_template(
                to=recipient, name=name, language=language, params=params
            )
            return str(sent.id)

        wamid = await self._guarded(user_id, lambda: self._with_retries(send, bulk=True))
        await self._store.whatsapp.record_outgoing([wamid], user_id=user_id, kind="template")
        return wamid

    # --- webhook ----------------------------------------------------------------------------

    async def _webhook(self, request: Request) -> Response:
        if request.method == "GET":
            return self._verify(request)
        if not self._app_secret:
            self._dispatcher.metrics.webhook_refused("whatsapp", "secret_not_configured")
            return PlainTextResponse("webhook secret not configured", status_code=403)
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            self._dispatcher.metrics.webhook_refused("whatsapp", "signature_missing")
            return PlainTextResponse("signature missing", status_code=401)
        body = await read_body(request, MAX_WEBHOOK_BYTES)
        if body is None:
            return PlainTextResponse("body too large", status_code=413)
        if not signature_valid(body, signature, self._app_secret):
            self._dispatcher.metrics.webhook_refused("whatsapp", "signature_mismatch")
            return PlainTextResponse("signature mismatch", status_code=403)
        try:
            batch = parse_webhook(body, self._phone_id)
        except MalformedWebhook as exc:
            return PlainTextResponse(f"malformed webhook: {exc}", status_code=400)
        if not self._accepting:
            return PlainTextResponse("shutting down", status_code=503)  # Meta retries later
        wanted = [m for m in batch.messages if not m.ignored]
        fresh = await self._store.whatsapp.claim_inbound(
            [m.wamid for m in wanted], {m.wamid: message_to_json(m) for m in wanted}
        )
        for message in wanted:
            if message.wamid in fresh:
                fresh.discard(message.wamid)  # a wamid twice in one body: answer once
                self._spawn(self._answer(message))
        if batch.statuses:
            self._spawn(self._record_statuses(batch))
        return Response(status_code=200)

    def _verify(self, request: Request) -> Response:
        query = request.query_params
        token = query.get("hub.verify_token", "")
        if (
            self._verify_token
            and query.get("hub.mode") == "subscribe"
            and hmac.compare_digest(token.encode(), self._verify_token.encode())
        ):
            return PlainTextResponse(query.get("hub.challenge", ""))
        self._dispatcher.metrics.webhook_refused("whatsapp", "verify_token")
        return PlainTextResponse("forbidden", status_code=403)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        if not self._workers:
            self._workers = [asyncio.create_task(self._worker()) for _ in range(WORKERS)]
        self._work.put_nowait(work)

    async def _worker(self) -> None:
        while True:
            work = await self._work.get()
            try:
                await work  # never raises: each job logs its own failure
            finally:
                self._work.task_done()

    async def _record_statuses(self, batch: WebhookBatch) -> None:
        try:
            changes = [
                StatusChange(
                    wamid=s.wamid,
                    status=s.status,
                    error_code=s.error_code,
                    error_title=s.error_title,
                )
                for s in batch.statuses
            ]
            for failure in await self._store.whatsapp.record_statuses(changes):
                if failure.error_code in UNREACHABLE and failure.user_id is not None:
                    await self._store.people.set_active(failure.user_id, False)
                    log.info(
                        "whatsapp user %d unreachable (%s)", failure.user_id, failure.error_code
                    )
        except Exception:
            log.exception("recording WhatsApp statuses failed")

    # --- answering --------------------------------------------------------------------------

    async def _answer(self, message: InboundMessage) -> None:
        try:
            external_id = await self._external_id(message.sender)
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
            log.warning("reply not delivered: %s", exc.kind.value)
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

    async def _external_id(self, sender: Sender) -> str:
        """The person's id in `users`: the one first seen, else the phone, else the BSUID."""
        key = (sender.wa_id, sender.bsuid)
        cached = self._senders.get(key)
        if cached is not None:
            return cached
        known = await self._store.whatsapp.find_contact(wa_id=sender.wa_id, bsuid=sender.bsuid)
        external = known.external_id if known is not None else sender.wa_id or sender.bsuid
        if external is None:  # parse_webhook drops such messages
            raise ValueError("message without sender")
        self._remember(self._senders, key, external)
        return external

    async def _incoming(self, message: InboundMessage, chat: ChatRef) -> Incoming:
        common: dict[str, Any] = {"chat": chat, "message_id": message.wamid}
        if message.sent_at is not None:
            common["received_at"] = message.sent_at
        if message.kind == "text":
            payload = self._menu_choice(chat.user_id, message.text)
            if payload is not None:
                return Incoming(payload=payload, **common)
            return Incoming(text=message.text, **common)
        if message.payload is not None:
            return Incoming(text=message.text, payload=message.payload, **common)
        if message.kind == "button":
            return Incoming(text=message.text, **common)
        if message.kind == "document" and message.media_id:
            attachment = await self._staff_document(message, chat)
            if attachment is not None:
                return Incoming(text=message.text, attachment=attachment, **common)
        return Incoming(unsupported=message.kind, **common)

    def _menu_choice(self, external_id: str, text: str) -> str | None:
        menu = self._menus.get(external_id)
        match = _NUMBER.match(text)
        if not menu or match is None:
            return None
        number = int(match.group(1))
        return menu[number - 1] if 1 <= number <= len(menu) else None

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

    async def _recipient(self, chat: ChatRef) -> tuple[int | None, str]:
        """(users.id if known, the id to send to): phone if known, else BSUID."""
        contact = await self._store.whatsapp.contact_of(chat.user_id)
        if contact is not None:
            return contact.user_id, contact.recipient
        user = await self._store.people.find("whatsapp", chat.user_id)
        return (user.id if user else None), chat.chat_id or chat.user_id

    async def _require_window(self, chat: ChatRef) -> None:
        user = await self._store.people.find("whatsapp", chat.user_id)
        last = user.last_seen_at if user else None
        if not inside_window(last, datetime.now(UTC)):
            raise DeliveryFailed(FailureKind.OUTSIDE_WINDOW, "24-hour window closed")

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
            self._remember(self._menus, chat.user_id, rendered.menu)
        sent: list[str] = []
        for part in rendered.parts:
            send_part = functools.partial(self._send_part, recipient, part)
            retrying = functools.partial(self._with_retries, send_part, bulk=bulk)
            sent.append(await self._guarded(user_id, retrying, chat=chat))
        return sent

    async def _send_part(self, recipient: str, part: Part) -> str:
        wa = self._wa
        if isinstance(part, TextPart):
            sent: Any = await wa.send_message(to=recipient, text=part.body)
        elif isinstance(part, ButtonsPart):
            buttons = [WaButton(title=b.title, callback_data=b.payload) for b in part.buttons]
            sent = await wa.send_message(to=recipient, text=part.body, buttons=buttons)
        elif isinstance(part, ListPart):
            rows = [
                SectionRow(
                    title=r.title, callback_data=r.payload, description=r.description or None
                )
                for r in part.rows
            ]
            sections = SectionList(
                button_title=part.label, sections=[Section(title=part.label, rows=rows)]
            )
            sent = await wa.send_message(to=recipient, text=part.body, buttons=sections)
        elif isinstance(part, ImagePart):
            content = await asyncio.to_thread(part.image.path.read_bytes)
            sent = await wa.send_image(
                to=recipient, image=content, caption=part.caption or None, mime_type="image/png"
            )
        return str(sent.id)

    async def _guarded(
        self,
        user_id: int | None,
        send: Callable[[], Awaitable[str]],
        *,
        chat: ChatRef | None = None,
    ) -> str:
        """Mark a person unreachable when Meta says so; the failure still goes up."""
        try:
            return await send()
        except DeliveryFailed as exc:
            if exc.kind is FailureKind.BLOCKED:
                if user_id is None and chat is not None:
                    user = await self._store.people.find("whatsapp", chat.user_id)
                    user_id = user.id if user else None
                if user_id is not None:
                    await self._store.people.set_active(user_id, False)
            raise

    async def _with_retries(self, send: Callable[[], Awaitable[str]], *, bulk: bool) -> str:
        """Paced send; rate limits back off and retry, other errors become `DeliveryFailed`."""
        attempt = 0
        while True:
            attempt += 1
            await self._pacer.acquire(bulk=bulk)
            try:
                return await send()
            except WhatsAppError as exc:
                code = exc.code
                if code in THROUGHPUT or code in PAIR_LIMIT or code in TRANSIENT:
                    factor = 4 if code in PAIR_LIMIT else 2
                    delay = self._backoff * factor ** (attempt - 1)
                    if attempt >= self._max_attempts:
                        kind = (
                            FailureKind.TRANSIENT
                            if code in TRANSIENT
                            else FailureKind.RATE_LIMITED
                        )
                        raise DeliveryFailed(kind, f"code {code}", retry_after=delay) from exc
                    log.info("WhatsApp error %s, retrying in %.3f s", code, delay)
                    if code in THROUGHPUT:
                        self._pacer.pause(delay)
                    else:
                        await asyncio.sleep(delay)
                    continue
                raise _failure(exc) from exc
            except NOT_SENT as exc:  # no connection: the request never left, send again
                delay = self._backoff * 2 ** (attempt - 1)
                if attempt >= self._max_attempts:
                    raise DeliveryFailed(
                        FailureKind.TRANSIENT, type(exc).__name__, retry_after=delay
                    ) from exc
                await asyncio.sleep(delay)
            except httpx.HTTPError as exc:
                # Sent, but the answer was lost (read timeout, dropped connection): Meta may
                # have accepted it, and sending again could deliver it twice. Not retried here;
                # the outbox may retry an announcement later and counts it as possibly sent.
                raise DeliveryFailed(
                    FailureKind.TRANSIENT,
                    f"{type(exc).__name__}: possibly sent",
                    retry_after=self._backoff,
                    possibly_sent=True,
                ) from exc

    def _forget(self, channel: str, external_id: str) -> None:
        """A person deleted their data: drop what this channel remembers about them."""
        if channel != self.name:
            return
        self._menus.pop(external_id, None)
        for key in [key for key, value in self._senders.items() if value == external_id]:
            del self._senders[key]

    @staticmethod
    def _remember(cache: OrderedDict[K, V], key: K, value: V) -> None:
        if value:
            cache[key] = value
            cache.move_to_end(key)
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
        else:
            cache.pop(key, None)


def _failure(exc: WhatsAppError) -> DeliveryFailed:
    code = exc.code
    if code in UNREACHABLE:
        return DeliveryFailed(FailureKind.BLOCKED, f"code {code}")
    if code in OUTSIDE_WINDOW:
        return DeliveryFailed(FailureKind.OUTSIDE_WINDOW, f"code {code}")
    if code in HALT:
        return DeliveryFailed(FailureKind.RATE_LIMITED, f"code {code}", retry_after=86_400)
    status = exc.status_code
    if status is not None and status >= 500:
        return DeliveryFailed(FailureKind.TRANSIENT, f"code {code}")
    return DeliveryFailed(FailureKind.INVALID, f"code {code}")


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
