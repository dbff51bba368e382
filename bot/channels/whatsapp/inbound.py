"""The `/whatsapp` webhook: verify, check the signature, parse, claim each message once, queue.

A burst of webhooks queues here for a few workers instead of flooding the event loop (which
would slow every database write); statuses are recorded by the same workers.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from starlette.responses import PlainTextResponse, Response

from bot.channels.http_body import SlowBody, read_body
from bot.channels.whatsapp.outbound import UNREACHABLE
from bot.channels.whatsapp.webhook import (
    SIGNATURE_HEADER,
    InboundMessage,
    MalformedWebhook,
    WebhookBatch,
    message_to_json,
    parse_webhook,
    signature_valid,
)
from bot.store.claims import Claim
from bot.store.whatsapp import StatusChange

if TYPE_CHECKING:
    from starlette.requests import Request

    from bot.store import Store

log = logging.getLogger(__package__)

MAX_WEBHOOK_BYTES = 1024 * 1024  # Meta's webhook bodies are a few kilobytes
WORKERS = 32  # webhook jobs processed at once (answers to different people run in parallel)

Answer = Callable[[InboundMessage], Coroutine[Any, Any, None]]


class WebhookInbox:
    """The webhook route and the workers that answer what it accepted."""

    def __init__(
        self,
        store: Store,
        answer: Answer,
        *,
        phone_id: str,
        app_secret: str,
        verify_token: str,
        refused: Callable[[str], None],
        claim: Callable[[], Claim] | None = None,
    ):
        self._claim = claim  # this worker's claim on the messages it takes (several workers)
        self._refused = refused  # counts and logs a refused webhook by reason (/metrics)
        self._store = store
        self._answer = answer
        self._phone_id = phone_id
        self._app_secret = app_secret
        self._verify_token = verify_token
        self._work: asyncio.Queue[Coroutine[Any, Any, None]] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self.accepting = True

    async def endpoint(self, request: Request) -> Response:
        if request.method == "GET":
            return self._verify(request)
        if not self._app_secret:
            self._refused("secret_not_configured")
            return PlainTextResponse("webhook secret not configured", status_code=403)
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            self._refused("signature_missing")
            return PlainTextResponse("signature missing", status_code=401)
        try:
            body = await read_body(request, MAX_WEBHOOK_BYTES)
        except SlowBody:
            log.warning("webhook body too slow: 408")
            return Response(status_code=408)
        if body is None:
            return PlainTextResponse("body too large", status_code=413)
        if not signature_valid(body, signature, self._app_secret):
            self._refused("signature_mismatch")
            return PlainTextResponse("signature mismatch", status_code=403)
        try:
            batch = parse_webhook(body, self._phone_id)
        except MalformedWebhook as exc:
            return PlainTextResponse(f"malformed webhook: {exc}", status_code=400)
        if not self.accepting:
            return PlainTextResponse("shutting down", status_code=503)  # Meta retries later
        wanted = [m for m in batch.messages if not m.ignored]
        fresh = await self._store.whatsapp.claim_inbound(
            [m.wamid for m in wanted],
            {m.wamid: message_to_json(m) for m in wanted},
            self._claim() if self._claim is not None else None,
        )
        for message in wanted:
            if message.wamid in fresh:
                fresh.discard(message.wamid)  # a wamid twice in one body: answer once
                self.spawn(self._answer(message))
        if batch.statuses:
            self.spawn(self._record_statuses(batch))
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
        self._refused("verify_token")
        return PlainTextResponse("forbidden", status_code=403)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        if not self._workers:
            self._workers = [asyncio.create_task(self._worker()) for _ in range(WORKERS)]
        self._work.put_nowait(work)

    async def drain(self) -> None:
        """Wait until every webhook accepted so far has been processed."""
        if self._workers:
            await self._work.join()

    async def close(self) -> None:
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers.clear()

    async def _worker(self) -> None:
        while True:
            work = await self._work.get()
            try:
                await work  # never raises: each job logs its own failure
            finally:
                self._work.task_done()

    async def _record_statuses(self, batch: WebhookBatch) -> None:
        changes = [
            StatusChange(
                wamid=s.wamid, status=s.status, error_code=s.error_code, error_title=s.error_title
            )
            for s in batch.statuses
        ]
        try:
            failures = await self._store.whatsapp.record_statuses(changes)
        except Exception:
            # One status the database refuses must not lose the others of the POST.
            log.exception("recording WhatsApp statuses failed: recording one by one")
            failures = []
            for change in changes:
                try:
                    failures += await self._store.whatsapp.record_statuses([change])
                except Exception:
                    log.exception("WhatsApp status for %s not recorded", change.wamid[:24])
        try:
            for failure in failures:
                if failure.error_code in UNREACHABLE and failure.user_id is not None:
                    await self._store.people.set_active(failure.user_id, False)
                    log.info(
                        "whatsapp user %d unreachable (%s)", failure.user_id, failure.error_code
                    )
        except Exception:
            log.exception("marking unreachable WhatsApp users failed")
