"""The sharded transport over real HTTP on loopback: requests spread over small pools, and
every pool's slot comes back when a response is closed, or when a request fails."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.channels.http_pool import ShardedTransport
from tests.fakes.telegram_api import serve_asgi


def _slow_echo_app(peers: set[tuple[str, int]]) -> Starlette:
    async def echo(request: Request) -> JSONResponse:
        assert request.client is not None
        peers.add((request.client.host, request.client.port))  # one per TCP connection
        await asyncio.sleep(0.05)  # requests overlap: each needs a connection of its own
        return JSONResponse({"n": int(request.query_params["n"])})

    return Starlette(routes=[Route("/echo", echo)])


async def test_concurrent_requests_spread_over_the_pools_and_all_slots_come_back() -> None:
    peers: set[tuple[str, int]] = set()
    transport = ShardedTransport(connections=8, per_pool=2)
    async with (
        serve_asgi(_slow_echo_app(peers)) as url,
        httpx.AsyncClient(transport=transport, base_url=url) as client,
    ):
        responses = await asyncio.gather(*(client.get("/echo", params={"n": i}) for i in range(8)))
        assert [r.json()["n"] for r in responses] == list(range(8))
        assert len(peers) == 8  # 4 pools of 2: every request had a connection at once
        assert transport._in_flight == [0, 0, 0, 0]

        again = await asyncio.gather(*(client.get("/echo", params={"n": i}) for i in range(8)))
        assert all(r.status_code == 200 for r in again)
        assert len(peers) == 8  # kept alive and reused: no new connections


async def test_a_failed_request_gives_its_slot_back() -> None:
    transport = ShardedTransport(connections=2, per_pool=1)
    async with httpx.AsyncClient(transport=transport, timeout=2.0) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("http://127.0.0.1:9/")  # the discard port: nobody listens
    assert transport._in_flight == [0, 0]
