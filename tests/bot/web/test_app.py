"""The served app's lifecycle: one channel failing to start does not take the others down."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import uvicorn
from httpx import AsyncClient
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import App
from bot.domain.messages import ChatRef, Reply
from bot.web import create_web_app
from tests.fakes.telegram_api import serve_asgi


class LifecycleChannel:
    """A channel with a webhook route that answers "ok"; `broken` ones fail to start."""

    def __init__(self, name: str, *, broken: bool = False):
        self.name = name
        self.broken = broken
        self.running = False

    def routes(self) -> Sequence[BaseRoute]:
        async def hook(_: Request) -> Response:
            return PlainTextResponse("ok" if self.running else "down")

        return [Route(f"/{self.name}", hook, methods=["GET"])]

    async def start(self) -> None:
        if self.broken:
            raise ConnectionError("platform unreachable")
        self.running = True

    async def stop(self) -> None:
        self.running = False

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        raise NotImplementedError


def _server(app: App, channels: list[LifecycleChannel]) -> uvicorn.Server:
    config = uvicorn.Config(
        create_web_app(app, channels),
        host="127.0.0.1",
        port=0,
        log_config=None,
        lifespan="on",
    )
    return uvicorn.Server(config)


async def test_a_channel_that_fails_to_start_is_left_out(app: App) -> None:
    broken = LifecycleChannel("telegram", broken=True)
    working = LifecycleChannel("whatsapp")
    async with (
        serve_asgi(create_web_app(app, [broken, working]), lifespan="on") as url,
        AsyncClient(base_url=url) as client,
    ):
        assert (await client.get("/whatsapp")).text == "ok"
        health = (await client.get("/healthz")).json()
    assert health["channels"]["whatsapp"] == "running"
    assert health["channels"]["telegram"] == "off"
    assert not working.running  # stopped with the server


async def test_no_channel_starting_stops_the_server(app: App) -> None:
    server = _server(app, [LifecycleChannel("telegram", broken=True)])
    with pytest.raises(SystemExit):
        await server.serve()  # uvicorn exits when the lifespan start fails
    assert not server.started
