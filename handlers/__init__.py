"""Handlers: topic routers, one module per topic, each answering its intents and commands.

A handler gets a normalized `Incoming` and a `HandlerContext` and returns `Reply` objects. It
may import `bot.answers`, `bot.core`, `bot.domain`, `bot.regions`, the store facade and the
staff reports of `bot.announcements`, `bot.imports` and `bot.ops`; never a channel, a platform
SDK, SQL or the environment. Adding a topic: write its module, then list its router below.
"""

from bot.core.routing import Router
from handlers import (
    account_help,
    benefits,
    claim_help,
    claims,
    contributions,
    conversation,
    coverage,
    dashboard,
    faq,
    handover,
    imports,
    information,
    membership,
    pension,
    privacy,
    service_help,
    staff,
    statistics,
    subscriptions,
    village_heads,
    villages,
)

ROUTERS: tuple[Router, ...] = (
    account_help.router,
    benefits.router,
    claim_help.router,
    claims.router,
    contributions.router,
    conversation.router,
    coverage.router,
    dashboard.router,
    faq.router,
    handover.router,
    imports.router,
    information.router,
    membership.router,
    pension.router,
    privacy.router,
    service_help.router,
    staff.router,
    statistics.router,
    subscriptions.router,
    village_heads.router,
    villages.router,
)
