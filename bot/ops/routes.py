"""The operational HTTP routes of `jamsosbot serve`: `/healthz` and `/metrics`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.ops.health import check_health
from bot.ops.metrics import CONTENT_TYPE_LATEST

if TYPE_CHECKING:
    from bot.app import App
    from bot.channels.base import Channel

log = logging.getLogger(__name__)


def ops_routes(app: App, channels: Sequence[Channel]) -> list[BaseRoute]:
    """`/healthz`: 200 or 503 with a JSON body; `/metrics`: Prometheus text format.

    Keep `/metrics` off the public internet (the shipped Caddyfile refuses it).
    """

    async def healthz(_: Request) -> Response:
        health = await check_health(app, channels)
        return JSONResponse(health.as_dict(), status_code=200 if health.ok else 503)

    async def metrics(_: Request) -> Response:
        registry = app.dispatcher.metrics
        try:
            registry.set_broadcast_progress(await app.store.statistics.broadcast_progress())
        except Exception:
            log.exception("metrics: broadcast progress unreadable", extra={"kind": "metrics"})
        return Response(registry.render(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
