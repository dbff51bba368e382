"""python-telegram-bot over aiohttp, on real sockets: what PTB receives, and failures that
stay retryable only when nothing can have reached Telegram."""

from __future__ import annotations

import asyncio
import json
import socket
from urllib.parse import parse_qs

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram.outbound import not_delivered
from bot.channels.telegram.request import AiohttpRequest
from tests.fakes.raw_http import raw_server, read_request, response

TOKEN = "123456:TEST-token"


async def test_a_call_goes_out_as_a_form_and_the_answer_comes_back() -> None:
    seen: list[tuple[str, dict[str, str], bytes]] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await read_request(reader))
        answer = {
            "ok": True,
            "result": {"message_id": 7, "date": 0, "chat": {"id": 5, "type": "private"}},
        }
        writer.write(response(json.dumps(answer).encode()))
        await writer.drain()
        writer.close()

    async with (
        raw_server(handler) as url,
        AiohttpRequest(connections=2) as request,
    ):
        sent = await Bot(TOKEN, base_url=f"{url}/bot", request=request).send_message(5, "halo ü")
    assert sent.message_id == 7
    line, headers, body = seen[0]
    assert line == f"POST /bot{TOKEN}/sendMessage HTTP/1.1"
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert headers["user-agent"].startswith("python-telegram-bot")
    assert parse_qs(body.decode()) == {"chat_id": ["5"], "text": ["halo ü"]}


async def test_a_refused_connection_is_a_network_error_safe_to_retry() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with AiohttpRequest(connections=1) as request:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/sendMessage")
    assert not_delivered(caught.value)


async def test_a_hang_up_after_the_request_is_not_retried() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.close()  # Telegram may have the message: a retry could send it twice

    async with AiohttpRequest(connections=1) as request, raw_server(handler) as url:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"{url}/bot{TOKEN}/sendMessage")
    assert not not_delivered(caught.value)


async def test_no_answer_in_time_is_timed_out_and_not_retried() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)
        writer.close()

    async with (
        AiohttpRequest(connections=1, read_timeout=0.2) as request,
        raw_server(handler) as url,
    ):
        with pytest.raises(TimedOut) as caught:
            await request.post(f"{url}/bot{TOKEN}/sendMessage")
    assert not not_delivered(caught.value)


async def test_an_egress_proxy_from_the_environment_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Offices that reach the internet through a proxy set HTTPS_PROXY / HTTP_PROXY."""
    seen: list[str] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        line, _, _ = await read_request(reader)
        seen.append(line)
        writer.write(response(b'{"ok": true, "result": true}'))
        await writer.drain()
        writer.close()

    async with raw_server(proxy) as proxy_url:
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with AiohttpRequest(connections=1) as request:
            result = await request.post(f"http://api.telegram.invalid/bot{TOKEN}/close")
    assert result is True
    assert seen == [f"POST http://api.telegram.invalid/bot{TOKEN}/close HTTP/1.1"]
