"""The operational HTTP routes of `jamsosbot serve`: `/healthz` and `/metrics`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.core.metrics import CONTENT_TYPE_LATEST
from bot.ops.health import check_health

if TYPE_CHECKING:
    from bot.core.delivery import Channel
    from bot.core.metrics import Metrics
    from bot.store import Store

log = logging.getLogger(__name__)
TICKET_PERIOD = timedelta(days=30)  # tickets per topic and region, time to first answer


def ops_routes(store: Store, metrics: Metrics, channels: Sequence[Channel]) -> list[BaseRoute]:
    """`/healthz`: 200 or 503 with a JSON body; `/metrics`: Prometheus text format.

    Keep `/metrics` off the public internet (the shipped Caddyfile refuses it).
    """

    async def healthz(_: Request) -> Response:
        health = await check_health(store, channels)
        return JSONResponse(health.as_dict(), status_code=200 if health.ok else 503)

    async def metrics_route(_: Request) -> Response:
        registry = metrics
        try:
            registry.set_broadcast_progress(await store.statistics.broadcast_progress())
        except Exception:
            log.exception("metrics: broadcast progress unreadable", extra={"kind": "metrics"})
        try:
            since = datetime.now(UTC) - TICKET_PERIOD
            registry.set_ticket_counts(await store.tickets.counts(since))
        except Exception:
            log.exception("metrics: tickets unreadable", extra={"kind": "metrics"})
        return Response(registry.render(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/metrics", metrics_route, methods=["GET"]),
    ]
