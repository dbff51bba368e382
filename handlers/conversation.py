"""Greeting, thanks, help/menu, the BPJS Kesehatan redirect, and the honest fallback."""

from __future__ import annotations

from bot.answers.handover import with_ask_staff
from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply

router = Router("conversation")


@router.intent(Intent.GREETING)
async def greeting(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    return [Reply(text=ctx.t("conversation.welcome"), buttons=ctx.menu_buttons())]


@router.intent(Intent.HELP)
async def help_menu(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    return [Reply(text=ctx.t("conversation.menu"), buttons=ctx.menu_buttons())]


@router.intent(Intent.THANKS)
async def thanks(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    return [Reply(text=ctx.t("conversation.thanks"), buttons=ctx.buttons(Intent.HELP))]


@router.intent(Intent.OUT_OF_SCOPE_HEALTH)
async def out_of_scope_health(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    return [
        Reply(
            text=ctx.t("conversation.health_elsewhere"),
            buttons=ctx.buttons(Intent.PROGRAM_OVERVIEW, Intent.HELP),
        )
    ]


@router.intent(Intent.FALLBACK)
async def fallback(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """Say honestly that the bot cannot answer; the dispatcher logs the question for staff."""
    text = ctx.t("conversation.fallback", ask=ctx.call_centre_text())
    return [Reply(text=text, buttons=with_ask_staff(ctx, ctx.menu_buttons()))]
