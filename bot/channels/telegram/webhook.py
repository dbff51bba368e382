"""The `/telegram` webhook: check the secret, read the update, keep it in the store, answer 200.

Processing happens after the answer (python-telegram-bot's update queue, drained on stop).
Every update is kept in the store before Telegram is told it arrived, until it is answered.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from starlette.responses import Response
from telegram import Bot, Update
from telegram.ext import Application

from bot.channels.http_body import SlowBody, read_body
from bot.channels.telegram.legacy import upgrade

if TYPE_CHECKING:
    from starlette.requests import Request

    from bot.channels.telegram.dedupe import SeenUpdates

log = logging.getLogger(__package__)

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
MAX_UPDATE_BYTES = 1024 * 1024
MAX_UPDATE_ID = 2**63  # the store keeps update ids as SQLite integers (signed 64-bit)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class KeepingQueue(asyncio.Queue[object]):
    """python-telegram-bot's update queue, keeping each update in the store before queueing.

    The updater puts a batch from getUpdates here before asking for the next one (whose
    offset acknowledges the batch), and the webhook before answering 200: so an update is
    stored before Telegram forgets it. Duplicates are not queued.
    """

    def __init__(self, seen: SeenUpdates):
        super().__init__()
        self._seen = seen

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            await self.put_kept(item, item.to_json())
        else:
            await super().put(item)

    async def put_kept(self, update: Update, body: str) -> None:
        """Keep `body` (the update's JSON, as received when there is a webhook body), queue."""
        if not await self._seen.accept(update.update_id, body):
            log.info("telegram update %d delivered again: ignored", update.update_id)
            return
        await super().put(update)

    async def replay(self, kept: Sequence[tuple[int, str]], bot: Bot) -> None:
        """Queue kept updates nobody answered (a crash; a dead worker's, taken over)."""
        for update_id, body in kept:
            try:
                update = read_update(json.loads(body), bot)
            except Exception:
                update = None
            if update is None:
                log.warning("unreadable kept telegram update %d: dropped", update_id)
                await self._seen.finish(update_id)
                continue
            log.info("answering telegram update %d left unanswered", update_id)
            await self.put_kept(update, body)


class TelegramWebhook:
    """The ASGI endpoint for Telegram's webhook POSTs."""

    def __init__(
        self,
        application: AnyApplication,
        queue: KeepingQueue,
        secret: str | None,
        refused: Callable[[str], None],
    ):
        self._refused = refused  # counts and logs a refused webhook by reason (/metrics)
        self._application = application
        self._queue = queue
        self._secret = secret

    async def endpoint(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if self._secret is None or not hmac.compare_digest(
            given.encode("utf-8"), self._secret.encode("utf-8")
        ):
            self._refused("secret")
            return Response(status_code=403)
        if not self._application.running:
            return Response(status_code=503)  # starting or stopping: Telegram sends it again
        try:
            body = await read_body(request, MAX_UPDATE_BYTES)
        except SlowBody:
            log.warning("webhook body too slow: 408")
            return Response(status_code=408)
        if body is None:
            return Response(status_code=413)
        data = _json_object(body)
        if data is None:
            return Response(status_code=400)  # not an update at all
        update = read_update(data, self._application.bot)
        if update is None:
            return Response()  # skipped (logged): 200, or Telegram sends it again for a day
        try:
            await self._queue.put_kept(update, _as_text(body, update))  # kept in the store first
        except Exception:
            log.exception("telegram webhook: could not keep update %d", update.update_id)
            return Response(status_code=500)  # Telegram sends it again
        return Response()


def read_update(data: dict[str, Any], bot: Bot) -> Update | None:
    """The update, older formats upgraded (`legacy`); None (logged) when it is skipped."""
    update_id = data["update_id"]
    if not 0 <= update_id < MAX_UPDATE_ID:
        log.warning("telegram webhook: update_id %s out of range: skipped", update_id)
        return None
    try:
        return Update.de_json(data, bot)
    except Exception as first:
        filled = upgrade(data)
        try:
            update = Update.de_json(data, bot)
        except Exception as exc:
            kinds = sorted(k for k in data if k != "update_id")
            log.warning(
                "telegram webhook: update %d (%s) unreadable, skipped: %s",
                update_id,
                ",".join(kinds)[:100],
                str(exc)[:200],
            )
            return None
        log.info(
            "telegram webhook: update %d in an older format (%s), filled in: %s",
            update_id,
            str(first)[:100],
            ", ".join(filled)[:200],
        )
        return update


def _json_object(body: bytes) -> dict[str, Any] | None:
    """The body as a JSON object with an integer `update_id`, else None."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        log.warning("telegram webhook: body is not JSON")
        return None
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return None
    return data


def _as_text(body: bytes, update: Update) -> str:
    """The webhook body as kept (Telegram sends UTF-8; anything else is re-encoded)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return update.to_json()
