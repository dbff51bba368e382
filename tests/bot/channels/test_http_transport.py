"""httpx over aiohttp, on real sockets on loopback: bodies both ways, compressed answers, and
errors that keep "surely not sent" apart from "maybe sent"."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket

import httpx
import pytest

from bot.channels.http_transport import AiohttpTransport
from tests.fakes.raw_http import raw_server, read_request, response


async def test_a_json_post_and_a_gzipped_answer_arrive_whole() -> None:
    seen: list[tuple[str, dict[str, str], bytes]] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                seen.append(await read_request(reader))
            except asyncio.IncompleteReadError:
                break
            answer = gzip.compress(json.dumps({"ok": True, "n": len(seen)}).encode())
            writer.write(response(answer, "content-encoding: gzip"))
            await writer.drain()
        writer.close()

    async with (
        raw_server(handler) as url,
        httpx.AsyncClient(transport=AiohttpTransport(connections=4), base_url=url) as client,
    ):
        first = await client.post("/v23.0/1/messages", json={"text": "halo ü"})
        second = await client.post("/v23.0/1/messages", json={"text": "lagi"})

    assert first.json() == {"ok": True, "n": 1} and second.json() == {"ok": True, "n": 2}
    line, headers, body = seen[0]
    assert line == "POST /v23.0/1/messages HTTP/1.1"
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"text": "halo ü"}
    assert "transfer-encoding" not in headers


async def test_a_refused_connection_is_a_connect_error_nothing_was_sent() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with httpx.AsyncClient(transport=AiohttpTransport(connections=1)) as client:
        with pytest.raises(httpx.ConnectError):
            await client.post(f"http://127.0.0.1:{port}/x", json={})


async def test_a_connection_dropped_after_the_request_is_not_a_connect_error() -> None:
    received = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        received.set()  # the server has the request, then hangs up without answering
        writer.close()

    async with (
        raw_server(handler) as url,
        httpx.AsyncClient(transport=AiohttpTransport(connections=1)) as client,
    ):
        with pytest.raises(httpx.TransportError) as caught:
            await client.post(f"{url}/x", json={"text": "maybe delivered"})
    assert received.is_set()
    # A sender retries only ConnectError/ConnectTimeout: this message may have arrived.
    assert not isinstance(caught.value, httpx.ConnectError | httpx.ConnectTimeout)


async def test_a_silent_server_is_a_read_timeout() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)  # never answers in time
        writer.close()

    async with (
        raw_server(handler) as url,
        httpx.AsyncClient(transport=AiohttpTransport(connections=1), timeout=0.2) as client,
    ):
        with pytest.raises(httpx.ReadTimeout):
            await client.post(f"{url}/x", json={})
