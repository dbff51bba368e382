"""Personal data (UU 27/2022): `/datasaya` shows what is stored, `/hapusdata` deletes it all.

Deleting removes the user row; every table that references it cascades (subscriptions,
roles, the question log, conversation state, outbox rows...). The next message starts afresh
as a new user. The bot never asks for NIK, KPJ number or birth date.
"""

from __future__ import annotations

from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.refine import CANCEL, CONFIRM, DELETE
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply
from bot.domain.roles import Role
from bot.domain.understanding import Slots

router = Router("privacy")

EVERYONE = frozenset(Role)

# Labels of the tables that hold personal rows; other tables use `privacy.table.other`.
TABLE_KEYS = (
    N_("privacy.table.questions"),
    N_("privacy.table.roles"),
    N_("privacy.table.conversation_state"),
    N_("privacy.table.outbox"),
    N_("privacy.table.village_heads"),
    N_("privacy.table.whatsapp_contacts"),
    N_("privacy.table.whatsapp_outgoing"),
)


@router.command("datasaya", "mydata", roles=EVERYONE)
async def my_data(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    return [await _summary(ctx)]


@router.command("hapusdata", "deletemydata", roles=EVERYONE)
async def delete_my_data(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    return [_ask_confirmation(ctx)]


@router.intent(Intent.PRIVACY)
async def privacy(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    option = ctx.slots.option
    if option == DELETE:
        return [_ask_confirmation(ctx)]
    if option == CONFIRM:
        await ctx.store.privacy.forget(ctx.user.id)
        return [Reply(text=ctx.t("privacy.deleted"), buttons=ctx.buttons(Intent.HELP))]
    if option == CANCEL:
        return [Reply(text=ctx.t("privacy.kept"), buttons=ctx.buttons(Intent.HELP))]
    return [await _summary(ctx)]


def _ask_confirmation(ctx: HandlerContext) -> Reply:
    return Reply(
        text=ctx.t("privacy.confirm"),
        buttons=(
            ctx.button(
                Intent.PRIVACY, Slots(option=CONFIRM), label=ctx.t("privacy.button.confirm")
            ),
            ctx.button(Intent.PRIVACY, Slots(option=CANCEL), label=ctx.t("privacy.button.cancel")),
        ),
    )


async def _summary(ctx: HandlerContext) -> Reply:
    user = ctx.user
    subscriptions = await ctx.store.people.subscriptions(user.id)
    rows = await ctx.store.privacy.stored_rows(user.id)
    lines = [
        ctx.t(
            "privacy.summary",
            channel=user.channel,
            since=ctx.fmt.date(user.created_at.date()),
            language=ctx.t(f"language.name.{user.locale}")
            if user.locale
            else ctx.t("privacy.none"),
            region=await _region(ctx, user.region_code),
            subscriptions=await _subscriptions(ctx, subscriptions),
        )
    ]
    for table, count in sorted(rows.items()):
        if table == "subscriptions":  # listed by region above
            continue
        key = f"privacy.table.{table}"
        label = ctx.t(key) if key in TABLE_KEYS else ctx.t("privacy.table.other", name=table)
        lines.append(ctx.t("privacy.row", label=label, count=ctx.fmt.number(count)))
    lines.append(ctx.t("privacy.never_asked"))
    return Reply(
        text="\n".join(lines),
        buttons=(
            ctx.button(Intent.PRIVACY, Slots(option=DELETE), label=ctx.t("privacy.button.delete")),
            ctx.button(Intent.HELP),
        ),
    )


async def _region(ctx: HandlerContext, code: str | None) -> str:
    if not code:
        return ctx.t("privacy.none")
    region = await ctx.store.regions.get(code)
    return region.name if region else code


async def _subscriptions(ctx: HandlerContext, codes: list[str | None]) -> str:
    if not codes:
        return ctx.t("privacy.none")
    regions = await ctx.store.regions.get_many(code for code in codes if code)
    return ", ".join(
        ctx.t("privacy.all_regions")
        if code is None
        else (regions[code].name if code in regions else code)
        for code in codes
    )
