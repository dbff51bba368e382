"""The static registry of topic routers."""

from bot.routing import Router
from handlers import conversation, subscriptions

ROUTERS: tuple[Router, ...] = (conversation.router, subscriptions.router)
