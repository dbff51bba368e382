"""The audit log, filterable by action and by the channel of whoever acted."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.web.dashboard.site import Site, Staff

CHANNELS = ("telegram", "whatsapp", "cli", "console")


def routes(site: Site) -> list[BaseRoute]:
    async def page(request: Request, staff: Staff) -> Response:
        actions = await site.store.dashboard_views.audit_actions()
        action = request.query_params.get("aksi", "")
        action = action if action in actions else ""
        channel = request.query_params.get("kanal", "")
        channel = channel if channel in CHANNELS else ""
        entries = await site.store.dashboard_views.audit(
            action=action, actor=f"{channel}:" if channel else "", limit=300
        )
        return site.render(
            request,
            "audit.html",
            staff,
            entries=entries,
            actions=actions,
            action=action,
            channels=CHANNELS,
            channel=channel,
        )

    return [Route("/audit", site.page(page), methods=["GET"])]
