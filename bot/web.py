"""The project's ASGI app (`jamsosbot serve`): channel webhooks plus operational routes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.app import App
from bot.channels.base import Channel

log = logging.getLogger(__name__)


def create_web_app(
    app: App, channels: Sequence[Channel], extra_routes: Sequence[BaseRoute] = ()
) -> Starlette:
    """Webhook routes of every channel; channels start with the server and stop with it."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        started: list[Channel] = []
        try:
            for channel in channels:
                await channel.start()
                started.append(channel)
            yield
        finally:
            for channel in reversed(started):
                try:
                    await channel.stop()
                except Exception:
                    log.exception("channel %s did not stop cleanly", channel.name)

    routes = [route for channel in channels for route in channel.routes()]
    routes.extend(extra_routes)
    web = Starlette(routes=routes, lifespan=lifespan)
    web.state.app = app
    return web


async def serve(app: App, channels: Sequence[Channel], *, host: str, port: int) -> None:
    """Run the ASGI app with uvicorn on the current event loop until interrupted."""
    config = uvicorn.Config(
        create_web_app(app, channels),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    log.info("serving on %s:%d", host, port)
    await uvicorn.Server(config).serve()
