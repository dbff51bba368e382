"""The web server's limits against a real uvicorn on 127.0.0.1, driven with raw sockets:
unfinished headers, trickled bodies and oversized headers are cut off (issue 17)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels import http_body
from bot.channels.http_body import SlowBody, read_body
from bot.channels.http_server import KEEP_ALIVE, MAX_HEADER_BYTES, server_config

CADDYFILE = Path(__file__).resolve().parents[3] / "deploy" / "Caddyfile"
HEADER_TIMEOUT = 0.5


async def echo(request: Request) -> Response:
    try:
        body = await read_body(request, 1024)
    except SlowBody:
        return Response(status_code=408)
    if body is None:
        return Response(status_code=413)
    return PlainTextResponse(f"got {len(body)}")


@contextlib.asynccontextmanager
async def server(limit_concurrency: int = 512) -> AsyncIterator[int]:
    app = Starlette(routes=[Route("/hook", echo, methods=["POST"])])
    config = server_config(
        app,
        host="127.0.0.1",
        port=0,
        header_timeout=HEADER_TIMEOUT,
        limit_concurrency=limit_concurrency,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    running = uvicorn.Server(config)
    task = asyncio.create_task(running.serve())
    while not running.started:
        assert not task.done()
        await asyncio.sleep(0.005)
    try:
        yield running.servers[0].sockets[0].getsockname()[1]
    finally:
        running.should_exit = True
        await task


async def closed_by_server(reader: asyncio.StreamReader, within: float) -> bytes:
    """What the server sent before closing; fails if it keeps the connection open.

    A server that closes while our unread bytes wait in its buffer resets the connection
    (RST) instead of a clean FIN: closed all the same.
    """
    async with asyncio.timeout(within):
        try:
            return await reader.read()
        except ConnectionResetError:
            return b""


async def test_300_unfinished_headers_from_one_client_are_all_closed() -> None:
    async with server() as port:
        connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(300)]
        for _, writer in connections:
            writer.write(b"POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Le")
            await writer.drain()
        started = time.monotonic()

        answers = await asyncio.gather(
            *(closed_by_server(reader, HEADER_TIMEOUT + 5) for reader, _ in connections)
        )

        assert answers == [b""] * 300  # closed without an answer, none kept
        assert time.monotonic() - started < HEADER_TIMEOUT + 5
        for _, writer in connections:
            writer.close()


async def test_a_connection_that_sends_nothing_is_closed() -> None:
    async with server() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)

        assert await closed_by_server(reader, HEADER_TIMEOUT + 5) == b""
        writer.close()


async def test_headers_trickled_byte_by_byte_are_cut_off_at_the_deadline() -> None:
    async with server() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        request = b"POST /hook HTTP/1.1\r\nHost: bot\r\nX-Pad: " + b"a" * 500
        started = time.monotonic()
        with contextlib.suppress(ConnectionError):
            for byte in request:
                if reader.at_eof() or time.monotonic() - started > HEADER_TIMEOUT + 3:
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.01)

        assert await closed_by_server(reader, 5) == b""
        assert time.monotonic() - started < HEADER_TIMEOUT + 3
        writer.close()


async def test_a_trickled_body_gets_408(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_body, "BODY_TIMEOUT", 0.5)
    async with server() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Length: 100\r\n\r\n12345")
        await writer.drain()

        async with asyncio.timeout(5):
            status = await reader.readline()

        assert status.startswith(b"HTTP/1.1 408")
        writer.close()


async def test_oversized_headers_get_431_and_the_connection_closes() -> None:
    async with server() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        pad = b"X-Pad: " + b"a" * (MAX_HEADER_BYTES + 10) + b"\r\n"
        writer.write(b"POST /hook HTTP/1.1\r\nHost: bot\r\n" + pad)
        await writer.drain()

        answer = await closed_by_server(reader, 5)

        assert answer.startswith(b"HTTP/1.1 431")
        writer.close()


async def test_normal_requests_and_keep_alive_still_work() -> None:
    async with server() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(2):  # two requests on one connection, the second after a pause
            writer.write(b"POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Length: 3\r\n\r\nabc")
            await writer.drain()
            async with asyncio.timeout(5):
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"content-length: (\d+)", head.lower()).group(1))  # type: ignore[union-attr]
                body = await reader.readexactly(length)
            assert head.startswith(b"HTTP/1.1 200") and body == b"got 3"
            await asyncio.sleep(HEADER_TIMEOUT / 2)
        # idle after the response: closed by keep-alive, not kept for ever
        assert await closed_by_server(reader, KEEP_ALIVE + 5) == b""
        writer.close()


async def test_past_the_concurrency_limit_new_requests_get_503() -> None:
    async with server(limit_concurrency=5) as port:
        held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(5)]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()

        async with asyncio.timeout(5):
            status = await reader.readline()

        assert status.startswith(b"HTTP/1.1 503")
        for _, w in [*held, (reader, writer)]:
            w.close()


def test_the_shipped_caddyfile_sets_read_and_idle_timeouts() -> None:
    caddyfile = CADDYFILE.read_text(encoding="utf-8")
    timeouts = re.search(r"servers \{.*?timeouts \{(?P<body>.*?)\}", caddyfile, re.S)

    assert timeouts is not None
    body = timeouts.group("body")
    for option in ("read_header", "read_body", "idle"):
        assert re.search(rf"^\s*{option} \d+[sm]\s*$", body, re.M), option
    assert caddyfile.lstrip().startswith("#") or caddyfile.lstrip().startswith("{")
    assert caddyfile.index("servers {") < caddyfile.index("{$JAMSOS_DOMAIN}")  # global block first
