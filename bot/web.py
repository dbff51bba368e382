"""The project's ASGI app (`jamsosbot serve`): channel webhooks plus operational routes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.announcements.worker import OutboxWorker
from bot.app import App, freeze_startup_heap
from bot.channels.base import Channel
from bot.ops.housekeeping import Housekeeping
from bot.ops.routes import ops_routes

log = logging.getLogger(__name__)


def create_web_app(
    app: App, channels: Sequence[Channel], extra_routes: Sequence[BaseRoute] = ()
) -> Starlette:
    """Webhook routes of every channel; channels start with the server and stop with it.

    A channel that fails to start (e.g. Telegram unreachable) is logged and left out, so the
    others and /healthz keep serving; /healthz then reports it as off. Only when no channel
    starts at all does the server stop, so that systemd or Docker restarts it.
    """

    # Log-retention purge (at start, then daily) and the error counter of /metrics (bot/ops).
    housekeeping = Housekeeping.for_app(app)
    started: list[Channel] = []  # read by /healthz while the server runs

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await housekeeping.start()
        outbox: OutboxWorker | None = None
        try:
            for channel in channels:
                try:
                    await channel.start()
                except Exception:
                    log.exception("channel %s failed to start; serving without it", channel.name)
                    continue
                started.append(channel)
            if channels and not started:
                raise RuntimeError("no channel could start; see the errors above")
            outbox = OutboxWorker.for_app(app, started)  # announcements (H7)
            await outbox.start()
            yield
        finally:
            if outbox is not None:
                await outbox.stop()
            for channel in reversed(started):
                try:
                    await channel.stop()
                except Exception:
                    log.exception("channel %s did not stop cleanly", channel.name)
            started.clear()
            await housekeeping.stop()

    routes = [route for channel in channels for route in channel.routes()]
    routes.extend(ops_routes(app, started))  # /healthz, /metrics (bot/ops)
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
    server = uvicorn.Server(config)
    freeze_startup_heap()
    await server.serve()
