"""Village targets for village heads: progress, rank and change, the link to one's village,
the village-fund helper and the progress chart."""

from __future__ import annotations

from decimal import Decimal

from bot.answers.charts import PeerBar, ProgressPoint, VillageChart, village_chart
from bot.answers.places import resolve_place
from bot.answers.village_fund import fund_reply
from bot.answers.village_names import VillagePlace, choice_label, full_name, place_from_lineage
from bot.answers.village_progress import progress_text
from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Image, Incoming, Reply
from bot.domain.roles import Role
from bot.domain.understanding import FUND_OPTION, Slots
from bot.regions.model import Level, level_of_code
from bot.store.targets import VillageStanding
from bot.store.villages import VillageLink

router = Router("villages")
EVERYONE = frozenset(Role)
CHART_OPTION = "chart"
LINK_COMMAND = "desa"
MAX_CHOICES = 5
VILLAGE_LEVEL: tuple[Level, ...] = ("village",)


async def village_place(ctx: HandlerContext, code: str) -> VillagePlace | None:
    if level_of_code(code) != "village":
        return None
    return place_from_lineage(await ctx.store.regions.lineage(code))


async def find_villages(ctx: HandlerContext, name: str) -> list[VillagePlace]:
    """Villages called `name` (or with that code), those in the user's own region first."""
    code = name.strip()
    if level_of_code(code) == "village":
        place = await village_place(ctx, code)
        return [place] if place else []
    found = await ctx.store.regions.search(name, level="village")
    own = ctx.user.region_code
    if own:
        found.sort(key=lambda region: not region.code.startswith(f"{own}."))
    places = []
    for region in found[:MAX_CHOICES]:
        place = await village_place(ctx, region.code)
        if place is not None:
            places.append(place)
    return places


def link_button(ctx: HandlerContext, code: str, label: str = "") -> Button:
    return Button(title=label or ctx.t("villages.button.link"), payload=f"/{LINK_COMMAND} {code}")


def chart_button(ctx: HandlerContext, code: str) -> Button:
    return ctx.button(
        Intent.VILLAGE_TARGET,
        Slots(village=code, option=CHART_OPTION),
        label=ctx.t("villages.button.chart"),
    )


def ask_village(ctx: HandlerContext) -> Reply:
    return Reply(text=ctx.t("villages.ask_village"), buttons=ctx.buttons(Intent.HELP))


def choose_village(ctx: HandlerContext, name: str, places: list[VillagePlace]) -> Reply:
    """ "Sutera yang mana?": one button per village, each asking again with its code."""
    buttons = tuple(
        ctx.button(Intent.VILLAGE_TARGET, Slots(village=p.code), label=choice_label(p, ctx.t))
        for p in places
    )
    return Reply(text=ctx.t("villages.which", name=name), buttons=buttons)


async def _target_village(
    ctx: HandlerContext,
) -> tuple[VillagePlace | None, VillageLink | None, Reply | None]:
    """The village asked about (code or name in the message, else the user's link), or a
    reply that asks back ("Sutera yang mana?", "not found", "which village?")."""
    link = await ctx.store.village_heads.get(ctx.user.id)
    if ctx.slots.village or ctx.slots.place:
        region = await resolve_place(ctx, levels=VILLAGE_LEVEL, slot="village")
        if isinstance(region, Reply):
            return None, link, region
        return await village_place(ctx, region.code), link, None
    if link is not None:
        return await village_place(ctx, link.village_code), link, None
    return None, None, ask_village(ctx)


@router.intent(Intent.VILLAGE_TARGET)
async def village_target(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if ctx.slots.money is not None and (
        ctx.slots.option == FUND_OPTION or msg.payload is not None
    ):
        # A typed sum is a village fund only when one is named ("dana desa 50 juta").
        return [fund_reply(ctx, ctx.slots.money)]
    place, link, question = await _target_village(ctx)
    if question is not None:
        return [question]
    if place is None:
        return [ask_village(ctx)]
    standing = await ctx.store.targets.standing(place.code)
    own = link is not None and link.village_code == place.code
    buttons: list[Button] = []
    if link is None:
        buttons.append(link_button(ctx, place.code))
    if standing is None:
        text = ctx.t("villages.no_data", place=full_name(place, ctx.t), ask=ctx.call_centre_text())
        return [Reply(text=text, buttons=tuple(buttons))]
    if ctx.slots.option == CHART_OPTION:
        return [await _chart_reply(ctx, place, standing)]
    text = progress_text(ctx, standing, place)
    if own and link is not None and not link.verified:
        text = f"{text}\n{ctx.t('villages.unverified_note')}"
    buttons.insert(0, chart_button(ctx, place.code))
    return [Reply(text=text, buttons=tuple(buttons))]


async def _chart_reply(
    ctx: HandlerContext, place: VillagePlace, standing: VillageStanding
) -> Reply:
    current = standing.current
    history = await ctx.store.targets.history(place.code, current.year)
    district_code = current.district_code
    peers = await ctx.store.targets.latest_in(district_code, current.year)
    names = await ctx.store.regions.get_many(p.village_code for p in peers)
    district_name = place.district.name if place.district else district_code
    spec = VillageChart(
        title=ctx.t("villages.chart.title", village=place.village.name, year=current.year),
        progress_title=ctx.t("villages.chart.progress"),
        registered_label=ctx.t("villages.chart.registered"),
        target_label=ctx.t("villages.chart.target"),
        target=current.target,
        points=tuple(
            ProgressPoint(label=ctx.fmt.date(h.as_of), registered=h.registered) for h in history
        ),
        peers_title=ctx.t("villages.chart.peers", district=district_name),
        peers=tuple(
            PeerBar(
                label=names[p.village_code].name if p.village_code in names else p.village_code,
                percent=float(p.percent or Decimal(0)),
                highlight=p.village_code == place.code,
            )
            for p in peers
            if p.percent is not None
        ),
    )
    folder = ctx.store.path.parent / "charts"
    path = await village_chart(folder, place.code, spec, ctx.fmt.number)
    caption = ctx.t("villages.chart.caption", place=full_name(place, ctx.t))
    return Reply(text=caption, image=Image(path=path, caption=caption))


@router.command(LINK_COMMAND, "village", roles=EVERYONE)
async def link_village(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    """`/desa Sutera` or `/desa 61.11.01.2001`: "this is my village" (staff verify it later)."""
    name = args.strip()
    if not name:
        return [await _link_status(ctx)]
    places = await find_villages(ctx, name)
    if not places:
        return [Reply(text=ctx.t("villages.not_found", name=name))]
    if len(places) > 1:
        buttons = tuple(link_button(ctx, p.code, choice_label(p, ctx.t)) for p in places)
        return [Reply(text=ctx.t("villages.which", name=name), buttons=buttons)]
    place = places[0]
    before = await ctx.store.village_heads.get(ctx.user.id)
    link = await ctx.store.village_heads.link(ctx.user.id, place.code)
    key = "villages.link.same" if before == link else "villages.link.recorded"
    if link.verified:
        key = "villages.link.verified"
    return [
        Reply(
            text=ctx.t(key, place=full_name(place, ctx.t)),
            buttons=(ctx.button(Intent.VILLAGE_TARGET),),
        )
    ]


async def _link_status(ctx: HandlerContext) -> Reply:
    link = await ctx.store.village_heads.get(ctx.user.id)
    if link is None:
        return Reply(text=ctx.t("villages.link.none"))
    place = await village_place(ctx, link.village_code)
    name = full_name(place, ctx.t) if place else link.village_code
    key = "villages.link.status_verified" if link.verified else "villages.link.status_pending"
    return Reply(text=ctx.t(key, place=name), buttons=(ctx.button(Intent.VILLAGE_TARGET),))
