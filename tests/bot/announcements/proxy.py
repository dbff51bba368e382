"""A faulty HTTP/1.1 proxy on 127.0.0.1 in front of a fake platform server: an outage (every
call answered 502 for a while), and lost answers (the call reaches the fake, which takes the
message, then the connection is dropped before the answer: the sender cannot know).

The channels under test keep their real HTTP clients; only their base URL points here.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import httpx

from tests.fakes.raw_http import raw_server

# (method, path, body) → whether this call's answer is lost (after the fake handled it)
LoseAnswer = Callable[[str, str, bytes], bool]

_BAD_GATEWAY = b'{"ok": false, "error_code": 502, "description": "Bad Gateway"}'


@dataclass
class FaultyProxy:
    upstream: str
    url: str = ""
    outage_after: int | None = None  # message calls forwarded before the outage begins
    outage_seconds: float = 0.0
    lose_answer: LoseAnswer | None = None
    is_message: Callable[[str], bool] = lambda path: True
    forwarded: int = 0  # message calls that reached the fake
    refused: int = 0  # calls answered 502 during the outage
    lost: int = 0  # calls whose answer was dropped
    outage_began: float | None = None
    outage_ended: float | None = None
    _client: httpx.AsyncClient = field(default_factory=httpx.AsyncClient)

    def _in_outage(self, message: bool) -> bool:
        now = time.monotonic()
        if self.outage_began is None:
            if message and self.outage_after is not None and self.forwarded >= self.outage_after:
                self.outage_began = now
            else:
                return False
        if now - self.outage_began < self.outage_seconds:
            return True
        if self.outage_ended is None:
            self.outage_ended = now
        return False

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                method, path, headers, body = await _read(reader)
                message = self.is_message(path)
                if self._in_outage(message):
                    self.refused += 1
                    writer.write(_answer(502, "Bad Gateway", _BAD_GATEWAY, "application/json"))
                    await writer.drain()
                    continue
                upstream = await self._client.request(
                    method,
                    self.upstream + path,
                    content=body,
                    headers={k: v for k, v in headers.items() if k not in _HOP},
                )
                if message:
                    self.forwarded += 1
                if self.lose_answer is not None and self.lose_answer(method, path, body):
                    self.lost += 1
                    writer.close()  # the fake has it; the sender sees a dropped connection
                    return
                writer.write(
                    _answer(
                        upstream.status_code,
                        upstream.reason_phrase,
                        upstream.content,
                        upstream.headers.get("content-type", "application/json"),
                    )
                )
                await writer.drain()


_HOP = frozenset({"host", "content-length", "connection", "keep-alive", "transfer-encoding"})


async def _read(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str], bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    method, path, _ = head[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in head[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return method, path, headers, body


def _answer(status: int, reason: str, body: bytes, content_type: str) -> bytes:
    head = [
        f"HTTP/1.1 {status} {reason}",
        f"content-type: {content_type}",
        f"content-length: {len(body)}",
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


@contextlib.asynccontextmanager
async def faulty_proxy(upstream: str, **faults: object) -> AsyncIterator[FaultyProxy]:
    proxy = FaultyProxy(upstream.rstrip("/"), **faults)  # type: ignore[arg-type]
    try:
        async with raw_server(proxy.handle) as url:
            proxy.url = url
            yield proxy
    finally:
        await proxy._client.aclose()
