"""A fake WhatsApp Cloud API (Graph API) on 127.0.0.1 that records what the bot sends.

It answers what pywa needs: `POST /v{ver}/{phone_id}/messages` (JSON), `POST
/v{ver}/{phone_id}/media` (multipart upload), `GET /v{ver}/{media_id}` (media URL) and the
media download itself. Errors are scripted with `fail_next(code)`, in the JSON shape Meta
documents (`{"error": {"message", "type", "code", "error_data", "fbtrace_id"}}`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# Titles Meta gives these error codes (error-codes reference); the fake only needs a few.
ERROR_TITLES = {
    130429: "Rate limit hit",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    131050: "User stopped marketing messages",
    131000: "Something went wrong",
    100: "Invalid parameter",
}


@dataclass(frozen=True, slots=True)
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]
    json: dict[str, Any] | None = None
    form: dict[str, str] = field(default_factory=dict)
    file: bytes | None = None
    ok: bool = True  # False when the fake answered a scripted error
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass(slots=True)
class _Failure:
    code: int
    status: int
    times: int


class FakeGraphApi:
    """Records requests; `messages` are the sent message bodies, in order."""

    def __init__(self, phone_id: str = "1122334455667", api_version: str = "23.0"):
        self.phone_id = phone_id
        self.api_version = api_version
        self.requests: list[Recorded] = []
        self.media: dict[str, tuple[bytes, str]] = {}  # media id -> (content, mime type)
        self._failures: list[_Failure] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.port = 0
        prefix = f"/v{api_version}"
        self.app = Starlette(
            routes=[
                Route(f"{prefix}/{{phone_id}}/messages", self._messages, methods=["POST"]),
                Route(f"{prefix}/{{phone_id}}/media", self._upload, methods=["POST"]),
                Route(f"{prefix}/{{media_id}}", self._media_url, methods=["GET"]),
                Route("/files/{media_id}", self._download, methods=["GET"]),
            ]
        )

    # --- scripting --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, code: int, *, times: int = 1, status: int = 400) -> None:
        """The next `times` message sends get this Graph API error instead of succeeding."""
        self._failures.append(_Failure(code=code, status=status, times=times))

    def add_media(self, media_id: str, content: bytes, mime_type: str) -> None:
        """A file users "sent": `GET /{media_id}` points at its download URL."""
        self.media[media_id] = (content, mime_type)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Bodies of the message sends that succeeded."""
        return [
            r.json
            for r in self.requests
            if r.path.endswith("/messages") and r.json is not None and r.ok
        ]

    @property
    def attempts(self) -> list[dict[str, Any]]:
        """Bodies of every message send, failed ones included."""
        return [r.json for r in self.requests if r.path.endswith("/messages") and r.json]

    async def wait_for_messages(self, count: int, within: float = 5.0) -> list[dict[str, Any]]:
        """Wait until `count` messages were sent (fails after `within` seconds)."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(self.messages) >= count)
        return self.messages

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets of a TCP-typed
        # listener; without it every response waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_config=None, access_log=False, lifespan="off", timeout_keep_alive=30
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:  # noqa: ASYNC110 (uvicorn offers no event for this)
            await asyncio.sleep(0.005)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task

    # --- endpoints --------------------------------------------------------------------------

    async def _record(self, recorded: Recorded) -> None:
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()

    def _take_failure(self) -> _Failure | None:
        if not self._failures:
            return None
        failure = self._failures[0]
        failure.times -= 1
        if failure.times <= 0:
            self._failures.pop(0)
        return failure

    def _error(self, failure: _Failure) -> JSONResponse:
        title = ERROR_TITLES.get(failure.code, "Error")
        body = {
            "error": {
                "message": f"(#{failure.code}) {title}",
                "type": "OAuthException",
                "code": failure.code,
                "error_data": {"messaging_product": "whatsapp", "details": title},
                "fbtrace_id": "AbCdEfGhIjK",
            }
        }
        return JSONResponse(body, status_code=failure.status)

    async def _messages(self, request: Request) -> Response:
        body = await request.json()
        failure = self._take_failure()
        await self._record(
            Recorded(
                "POST", request.url.path, dict(request.headers), json=body, ok=failure is None
            )
        )
        if failure is not None:
            return self._error(failure)
        recipient = body.get("to") or body.get("recipient")
        contact = {"input": recipient}
        contact["user_id" if body.get("recipient") else "wa_id"] = recipient
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [contact],
                "messages": [{"id": f"wamid.OUT{next(self._ids)}"}],
            }
        )

    async def _upload(self, request: Request) -> Response:
        async with request.form() as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            upload = form.get("file")
            content = (
                await upload.read() if upload is not None and not isinstance(upload, str) else b""
            )
        await self._record(
            Recorded("POST", request.url.path, dict(request.headers), form=fields, file=content)
        )
        media_id = f"media{next(self._ids)}"
        self.media[media_id] = (content, fields.get("type", "application/octet-stream"))
        return JSONResponse({"id": media_id})

    async def _media_url(self, request: Request) -> Response:
        media_id = request.path_params["media_id"]
        await self._record(Recorded("GET", request.url.path, dict(request.headers)))
        if media_id not in self.media:
            return self._error(_Failure(code=100, status=404, times=1))
        content, mime_type = self.media[media_id]
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/files/{media_id}",
                "mime_type": mime_type,
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content),
                "id": media_id,
            }
        )

    async def _download(self, request: Request) -> Response:
        media_id = request.path_params["media_id"]
        await self._record(Recorded("GET", request.url.path, dict(request.headers)))
        if media_id not in self.media:
            return Response(status_code=404)
        content, mime_type = self.media[media_id]
        return Response(content, media_type=mime_type)


@contextlib.asynccontextmanager
async def running_graph_api(**kwargs: Any) -> AsyncIterator[FakeGraphApi]:
    fake = FakeGraphApi(**kwargs)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def dumps(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()
