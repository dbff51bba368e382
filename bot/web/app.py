"""The project's ASGI app (`jamsosbot serve`): channel webhooks, operational routes and the
staff dashboard (/dasbor)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.announcements.config import BroadcastConfig
from bot.announcements.ticket_relay import RelayConfig, RelayWorker
from bot.announcements.worker import OutboxWorker
from bot.app import App
from bot.core.delivery import Channel
from bot.core.metrics import ErrorCounter
from bot.ops.housekeeping import Housekeeping
from bot.ops.routes import ops_routes
from bot.web.dashboard import dashboard_routes

log = logging.getLogger(__name__)


def housekeeping_of(app: App) -> Housekeeping:
    """Log-retention purge (at start, then daily) and the error counter of /metrics."""
    return Housekeeping(
        app.store,
        retention_days=app.settings.log_retention_days,
        audit_retention_days=app.settings.audit_retention_days,
        ticket_retention_days=app.settings.ticket_retention_days,
        errors=ErrorCounter(app.dispatcher.metrics),
    )


def outbox_of(app: App, channels: Sequence[Channel]) -> OutboxWorker:
    """The announcement sender over the channels that started."""
    return OutboxWorker(
        app.store,
        channels,
        BroadcastConfig.from_settings(app.settings),
        app.dispatcher.catalogues.translator("id"),
        metrics=app.dispatcher.metrics,
    )


def relay_of(app: App, channels: Sequence[Channel]) -> RelayWorker:
    """The ticket relay sender (staff notifications, staff answers) over the started channels."""
    return RelayWorker(app.store, channels, RelayConfig.from_settings(app.settings))


def create_web_app(
    app: App, channels: Sequence[Channel], extra_routes: Sequence[BaseRoute] = ()
) -> Starlette:
    """Webhook routes of every channel; channels start with the server and stop with it.

    A channel that fails to start (e.g. Telegram unreachable) is logged and left out, so the
    others and /healthz keep serving; /healthz then reports it as off. Only when no channel
    starts at all does the server stop, so that systemd or Docker restarts it.
    """
    housekeeping = housekeeping_of(app)
    started: list[Channel] = []  # read by /healthz while the server runs

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await housekeeping.start()
        outbox: OutboxWorker | None = None
        relay: RelayWorker | None = None
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
            outbox = outbox_of(app, started)  # announcements
            await outbox.start()
            relay = relay_of(app, started)  # tickets: staff notifications and answers
            await relay.start()
            yield
        finally:
            if relay is not None:
                await relay.stop()
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
    routes.extend(ops_routes(app.store, app.dispatcher.metrics, started))  # /healthz, /metrics
    routes.extend(dashboard_routes(app))  # /dasbor: the staff dashboard
    routes.extend(extra_routes)
    web = Starlette(routes=routes, lifespan=lifespan)
    web.state.app = app
    return web
