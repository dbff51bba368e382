"""Staff confirm village-head links: `/verifikasi` lists pending links, `/verifikasi USER CODE`
confirms one (USER is the number shown in the list, or channel:id)."""

from __future__ import annotations

from bot.answers.village_names import full_name, place_from_lineage
from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.addresses import address_of
from bot.domain.messages import Button, Incoming, Reply
from bot.domain.roles import STAFF_ROLES
from bot.store.addresses import find_user_id
from bot.store.villages import VillageLink

router = Router("village_heads")
VERIFY_COMMAND = "verifikasi"
MAX_LISTED = 20
MAX_BUTTONS = 3


def actor(ctx: HandlerContext) -> str:
    return ctx.user.address


async def _place_name(ctx: HandlerContext, code: str) -> str:
    place = place_from_lineage(await ctx.store.regions.lineage(code))
    return full_name(place, ctx.t) if place else code


async def _pending_line(ctx: HandlerContext, link: VillageLink) -> str:
    return ctx.t(
        "villages.pending.line",
        user=link.user_id,
        who=address_of(link.channel, link.external_id),
        place=await _place_name(ctx, link.village_code),
        code=link.village_code,
        since=ctx.fmt.date(link.created_at.date()),
    )


@router.command(VERIFY_COMMAND, "verify", roles=STAFF_ROLES)
async def verify(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    words = args.split()
    if not words:
        return [await _pending(ctx)]
    if len(words) != 2:
        return [Reply(text=ctx.t("villages.verify.usage"))]
    user_ref, code = words
    user_id = await find_user_id(ctx.store, user_ref)
    if user_id is None or not await ctx.store.village_heads.verify(user_id, code, actor(ctx)):
        return [Reply(text=ctx.t("villages.verify.failed", user=user_ref, code=code))]
    await ctx.store.audit.record(actor=actor(ctx), action="village.verify", subject=code)
    place = await _place_name(ctx, code)
    return [Reply(text=ctx.t("villages.verify.done", user=user_ref, place=place))]


async def _pending(ctx: HandlerContext) -> Reply:
    links = await ctx.store.village_heads.pending(limit=MAX_LISTED)
    if not links:
        return Reply(text=ctx.t("villages.pending.none"))
    total = await ctx.store.village_heads.pending_count()
    lines = [ctx.t("villages.pending.header", count=ctx.fmt.number(total))]
    lines.extend([await _pending_line(ctx, link) for link in links])
    lines.append(ctx.t("villages.verify.usage"))
    buttons = tuple(
        Button(
            title=ctx.t("villages.button.verify", user=link.user_id),
            payload=f"/{VERIFY_COMMAND} {link.user_id} {link.village_code}",
        )
        for link in links[:MAX_BUTTONS]
    )
    return Reply(text="\n".join(lines), buttons=buttons)
