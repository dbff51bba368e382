"""A fake Telegram Bot API on 127.0.0.1: real HTTP, the Bot API's JSON envelope, scripted errors.

It records every call (method, decoded parameters, uploaded files, arrival time), serves
getUpdates from a queue (long poll), files for getFile/download, and answers the next calls
of a method with 429 (retry_after), 403 or 400 when told to. Used by the Telegram channel
tests and `benchmarks/telegram.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

TOKEN = "123456:TEST-token_for-fake"
BOT_ID = 123456
BOT_USERNAME = "jamsos_test_bot"
_MESSAGE_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    content_type: str
    at: float  # time.monotonic() on arrival


@dataclass(slots=True)
class _Failure:
    status: int
    description: str
    retry_after: int | None
    times: int


@dataclass(slots=True)
class FakeTelegramAPI:
    """State of the fake server; `app` is its Starlette application."""

    token: str = TOKEN
    url: str = ""  # set once serving: the base for JAMSOS_TELEGRAM_API_URL
    calls: list[Call] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id -> path, bytes
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, list[_Failure]] = field(default_factory=dict)
    _changed: asyncio.Condition | None = None
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1001))
    on_call: Callable[[Call], None] | None = None  # e.g. the benchmark's latency probe

    @property
    def app(self) -> ASGIApp:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
            ]
        )

    # -- scripting ------------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling mode)."""
        self._updates.append(update)
        self._notify()

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with this Bot API error."""
        self._failures.setdefault(method, []).append(
            _Failure(status, description, retry_after, times)
        )

    def add_file(self, file_id: str, file_path: str, content: bytes) -> None:
        self.files[file_id] = (file_path, content)

    # -- inspection -----------------------------------------------------------------------

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        where: Callable[[Call], bool] = lambda call: True,
        within: float = 5.0,
    ) -> list[Call]:
        """Wait until `count` matching calls arrived; returns them (fails on timeout)."""

        def matching() -> list[Call]:
            return [c for c in self.calls_of(method) if where(c)]

        async def arrived() -> list[Call]:
            condition = self._condition()
            async with condition:
                await condition.wait_for(lambda: len(matching()) >= count)
            return matching()

        try:
            return await asyncio.wait_for(arrived(), within)
        except TimeoutError:
            seen = [(c.method, c.params) for c in self.calls]
            message = f"no {count} x {method} within {within} s; calls: {seen}"
            raise AssertionError(message) from None

    def sent_texts(self, chat_id: int | str) -> list[str]:
        return [
            str(c.params.get("text"))
            for c in self.calls_of("sendMessage")
            if str(c.params.get("chat_id")) == str(chat_id)
        ]

    # -- server ---------------------------------------------------------------------------

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    def _notify(self) -> None:
        async def notify() -> None:
            condition = self._condition()
            async with condition:
                condition.notify_all()

        task = asyncio.get_running_loop().create_task(notify())
        _BACKGROUND.add(task)
        task.add_done_callback(_BACKGROUND.discard)

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params, files = await _decode(request)
        call = Call(
            method, params, files, request.headers.get("content-type", ""), time.monotonic()
        )
        self.calls.append(call)
        if self.on_call is not None:
            self.on_call(call)
        self._notify()
        failures = self._failures.get(method)
        if failures:
            failure = failures[0]
            failure.times -= 1
            if failure.times <= 0:
                failures.pop(0)
            extra = {"retry_after": failure.retry_after} if failure.retry_after else None
            return _error(failure.status, failure.description, extra)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None and method not in _MESSAGE_METHODS:
            return _error(404, "Not Found")
        result = await handler(params) if handler else self._message(params, files)
        return JSONResponse({"ok": True, "result": result})

    async def _file(self, request: Request) -> Response:
        wanted = request.path_params["path"]
        for file_path, content in self.files.values():
            if file_path == wanted:
                return Response(content, media_type="application/octet-stream")
        return Response(status_code=404)

    def _message(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat_id = str(params.get("chat_id"))
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {
                "id": int(chat_id) if chat_id.lstrip("-").isdigit() else 0,
                "type": "private",
            },
            "from": _bot_user(),
        }
        if "text" in params:
            message["text"] = params["text"]
        if "caption" in params:
            message["caption"] = params["caption"]
        if "photo" in params or "photo" in files:
            message["photo"] = [
                {"file_id": "AgAD-photo", "file_unique_id": "u1", "width": 1, "height": 1}
            ]
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **_bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and float(params.get("timeout") or 0) > 0:
            condition = self._condition()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(float(params["timeout"]), 0.1)), condition:
                    await condition.wait_for(lambda: bool(self._updates))
        return list(self._updates)

    async def _m_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id"))
        file_path, content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(content),
            "file_path": file_path,
        }

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True


_BACKGROUND: set[asyncio.Task[None]] = set()


def _bot_user() -> dict[str, Any]:
    return {"id": BOT_ID, "is_bot": True, "first_name": "Jamsos", "username": BOT_USERNAME}


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=status)


def _value(raw: str) -> Any:
    """python-telegram-bot JSON-encodes every non-string parameter inside the form."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


async def _decode(request: Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = {k: _value(v) for k, v in request.query_params.items()}
    files: dict[str, bytes] = {}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        if body:
            params.update(json.loads(body))
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = await value.read()
            else:
                params[key] = _value(value)
        await form.close()
    return params, files


@contextlib.asynccontextmanager
async def serve_asgi(app: ASGIApp, *, lifespan: str = "off") -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on 127.0.0.1 (a free port) in this event loop."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan=lifespan,  # type: ignore[arg-type]
        log_config=None,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # startup failed: raise its error
            raise RuntimeError("uvicorn stopped during start-up")
        await asyncio.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def running_fake(fake: FakeTelegramAPI | None = None) -> AsyncIterator[FakeTelegramAPI]:
    """Start a fake Bot API; `fake.url` is the server base for JAMSOS_TELEGRAM_API_URL."""
    fake = fake or FakeTelegramAPI()
    async with serve_asgi(fake.app) as url:
        fake.url = url
        yield fake


# -- update builders ------------------------------------------------------------------------

_update_ids = itertools.count(1)


def next_update_id() -> int:
    return next(_update_ids)


def _user(user_id: int, language_code: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"}
    if language_code:
        user["language_code"] = language_code
    return user


def _chat(chat_id: int, chat_type: str) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "Grup Desa"
    return chat


def message_update(
    user_id: int,
    text: str | None = None,
    *,
    update_id: int | None = None,
    chat_id: int | None = None,
    chat_type: str = "private",
    language_code: str | None = "id",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message update; a leading "/command" gets its bot_command entity like Telegram's."""
    message: dict[str, Any] = {
        "message_id": next(_update_ids) + 5000,
        "date": int(time.time()),
        "chat": _chat(chat_id if chat_id is not None else user_id, chat_type),
        "from": _user(user_id, language_code),
    }
    if text is not None:
        message["text"] = text
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        mention = f"@{BOT_USERNAME}"
        if mention in text and not text.startswith("/"):
            entities.append(
                {"type": "mention", "offset": text.index(mention), "length": len(mention)}
            )
        if entities:
            message["entities"] = entities
    message.update(extra or {})
    return {"update_id": update_id or next_update_id(), "message": message}


def callback_update(
    user_id: int, data: str, *, update_id: int | None = None, language_code: str | None = "id"
) -> dict[str, Any]:
    uid = update_id or next_update_id()
    return {
        "update_id": uid,
        "callback_query": {
            "id": f"cq{uid}",
            "from": _user(user_id, language_code),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 1001,
                "date": int(time.time()),
                "chat": _chat(user_id, "private"),
                "from": _bot_user(),
                "text": "menu",
            },
        },
    }
