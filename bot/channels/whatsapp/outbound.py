"""Sending through pywa: paced, retried on rate limits, Meta's error codes mapped to failures."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
from pywa.types.callback import Button as WaButton
from pywa.types.callback import Section, SectionList, SectionRow
from pywa_async.errors import WhatsAppError
from pywa_async.types.templates import TemplateLanguage

from bot.channels.whatsapp.meta_errors import cause
from bot.channels.whatsapp.render import ButtonsPart, ImagePart, ListPart, Part, TextPart
from bot.core.delivery import DeliveryFailed, FailureKind, about_to_send
from bot.domain.service_window import inside_window

if TYPE_CHECKING:
    from pywa_async.client import WhatsApp

    from bot.channels.whatsapp.pacing import WhatsAppPace
    from bot.domain.messages import ChatRef
    from bot.store import Store

log = logging.getLogger(__package__)

# Meta error codes (Cloud API error-code reference), by what the sender must do.
UNREACHABLE = frozenset({131026, 131050})  # not on WhatsApp / stopped messages: mark inactive
OUTSIDE_WINDOW = frozenset({131047})  # more than 24 h since the user wrote: needs a template
THROUGHPUT = frozenset({4, 80007, 130429, 131057})  # number-wide limit: pause all, retry
PAIR_LIMIT = frozenset({131056})  # too many to this user: wait for them, retry
HALT = frozenset({131048, 131049, 131064})  # quality / marketing caps: stop, retry much later
TRANSIENT = frozenset({1, 2, 131000, 131016})
# Network errors before the request was sent: safe to retry (nothing reached Meta).
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class WhatsAppSender:
    """Sends rendered parts and templates to one person; marks them unreachable when told."""

    def __init__(
        self,
        wa: WhatsApp,
        store: Store,
        pacer: WhatsAppPace,
        *,
        backoff: float,
        max_attempts: int,
    ):
        self._wa = wa
        self._store = store
        self._pacer = pacer
        self._backoff = backoff
        self._max_attempts = max(1, max_attempts)

    async def recipient(self, chat: ChatRef) -> tuple[int | None, str]:
        """(users.id if known, the id to send to): phone if known, else BSUID."""
        contact = await self._store.whatsapp.contact_of(chat.user_id)
        if contact is not None:
            return contact.user_id, contact.recipient
        user = await self._store.people.find("whatsapp", chat.user_id)
        return (user.id if user else None), chat.chat_id or chat.user_id

    async def require_window(self, chat: ChatRef) -> None:
        user = await self._store.people.find("whatsapp", chat.user_id)
        last = user.last_seen_at if user else None
        if not inside_window(last, datetime.now(UTC)):
            raise DeliveryFailed(FailureKind.OUTSIDE_WINDOW, "24-hour window closed")

    async def send_parts(
        self,
        chat: ChatRef,
        recipient: str,
        user_id: int | None,
        parts: Sequence[Part],
        *,
        bulk: bool,
    ) -> list[str]:
        sent: list[str] = []
        for part in parts:
            send_part = functools.partial(self._send_part, recipient, part)
            retrying = functools.partial(self._with_retries, send_part, bulk=bulk)
            sent.append(await self._guarded(user_id, retrying, chat=chat))
        return sent

    async def send_template(
        self, chat: ChatRef, name: str, language_code: str, parameters: Sequence[str]
    ) -> str:
        """Send an approved template (outside the 24-hour window); body `{{1}}..` = parameters."""
        user_id, recipient = await self.recipient(chat)
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
            if bulk:
                await about_to_send()  # the outbox marks the row as handed over (or refuses)
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
                        raise DeliveryFailed(
                            kind, cause(code, exc.message, exc.details), retry_after=delay
                        ) from exc
                    log.info("WhatsApp error %s, retrying in %.3f s", code, delay)
                    if code in THROUGHPUT:
                        self._pacer.pause(delay)
                    else:
                        await asyncio.sleep(delay)
                    continue
                raise failure(exc) from exc
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


def failure(exc: WhatsAppError) -> DeliveryFailed:
    """Meta's error as a delivery failure the outbox understands (detail: code and reason)."""
    code = exc.code
    detail = cause(code, exc.message, exc.details)
    if code in UNREACHABLE:
        return DeliveryFailed(FailureKind.BLOCKED, detail)
    if code in OUTSIDE_WINDOW:
        return DeliveryFailed(FailureKind.OUTSIDE_WINDOW, detail)
    if code in HALT:
        return DeliveryFailed(FailureKind.RATE_LIMITED, detail, retry_after=86_400)
    status = exc.status_code
    if status is not None and status >= 500:
        return DeliveryFailed(FailureKind.TRANSIENT, detail)
    return DeliveryFailed(FailureKind.INVALID, detail)
