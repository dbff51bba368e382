"""Announcement opt-in and opt-out, and the user's language choice."""

from __future__ import annotations

from bot.answers.places import resolve_place
from bot.core.context import HandlerContext
from bot.core.i18n import SUPPORTED
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply
from bot.domain.understanding import Slots

router = Router("subscriptions")


@router.intent(Intent.SUBSCRIBE)
async def subscribe(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """All announcements, or those of one named region ("info terbaru ketapang")."""
    buttons = ctx.buttons(Intent.UNSUBSCRIBE, Intent.HELP)
    slots = ctx.slots
    if slots.region is None and slots.place is None and slots.village is None:
        added = await ctx.store.people.subscribe(ctx.user.id, None)
        key = "subscriptions.subscribed" if added else "subscriptions.already"
        return [Reply(text=ctx.t(key), buttons=buttons)]
    found = await resolve_place(ctx, levels=("province", "regency", "district", "village"))
    if isinstance(found, Reply):
        return [found]  # "which one?" choices, or "not found"
    added = await ctx.store.people.subscribe(ctx.user.id, found.code)
    key = "subscriptions.subscribed_region" if added else "subscriptions.already_region"
    return [Reply(text=ctx.t(key, region=found.name), buttons=buttons)]


@router.intent(Intent.UNSUBSCRIBE)
async def unsubscribe(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    ended = await ctx.store.people.unsubscribe(ctx.user.id)
    key = "subscriptions.unsubscribed" if ended else "subscriptions.not_subscribed"
    return [Reply(text=ctx.t(key), buttons=ctx.buttons(Intent.SUBSCRIBE, Intent.HELP))]


@router.intent(Intent.LANGUAGE)
async def language(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    chosen = ctx.slots.language
    if chosen not in SUPPORTED:
        choices = tuple(
            ctx.button(Intent.LANGUAGE, Slots(language=code), label=ctx.t(f"language.name.{code}"))
            for code in SUPPORTED
        )
        return [Reply(text=ctx.t("language.choose"), buttons=choices)]
    await ctx.store.people.set_locale(ctx.user.id, chosen)
    t = ctx.t.for_locale(chosen)
    menu = tuple(
        ctx.button(intent, label=t(f"button.{intent.value}")) for intent in (Intent.HELP,)
    )
    return [Reply(text=t("language.changed"), buttons=menu)]
