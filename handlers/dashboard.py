"""`/dasbor`: a staff member gets a one-time link to the web dashboard (valid a few minutes).

The link is made by the store (only its digest is kept) and opens one session; the CLI twin
is `jamsosbot dashboard link channel:id`.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.messages import Incoming, Reply
from bot.domain.roles import STAFF_ROLES

router = Router("dashboard")


@router.command("dasbor", "dashboard", roles=STAFF_ROLES)
async def dashboard_link(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    minutes = ctx.settings.dashboard_link_minutes
    token = await ctx.store.dashboard.issue_link(
        ctx.user.id,
        issued_by=f"{ctx.user.channel}:{ctx.user.external_id}",
        ttl=timedelta(minutes=minutes),
    )
    url = f"{ctx.settings.dashboard_url}/masuk/{token}"
    return [Reply(text=ctx.t("dashboard.chat.link", minutes=minutes, url=url))]
