"""Village targets for village heads: progress, rank and change, the link to one's village,
the village-fund helper and the progress chart."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.answers.charts import PeerBar, ProgressPoint, VillageChart, village_chart
from bot.answers.places import choose, resolve_place
from bot.answers.village_fund import fund_reply
from bot.answers.village_names import VillagePlace, choice_label, full_name, place_from_lineage
from bot.answers.village_progress import progress_text
from bot.answers.village_search import (
    districts_named,
    similar_villages,
    typo_villages,
    village_code_in,
    villages_of,
)
from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Image, Incoming, Reply
from bot.domain.roles import STAFF_ROLES, Role
from bot.domain.understanding import FUND_OPTION, Slots
from bot.regions.model import Level, ancestor_codes, level_of_code
from bot.store.targets import VillageStanding
from bot.store.villages import VillageLink
from handlers.imports import how_to_send, is_import_request

router = Router("villages")
EVERYONE = frozenset(Role)
CHART_OPTION = "chart"
LINK_COMMAND = "desa"
MAX_CHOICES = 5
MAX_LABEL = 20
DISTRICT_CUES = frozenset({"kec", "kec.", "kecamatan"})
VILLAGE_LEVEL: tuple[Level, ...] = ("village",)


async def village_place(ctx: HandlerContext, code: str) -> VillagePlace | None:
    if level_of_code(code) != "village":
        return None
    return place_from_lineage(await ctx.store.regions.lineage(code))


async def find_villages(ctx: HandlerContext, name: str) -> list[VillagePlace]:
    """Villages called `name` (or with that code), those in the user's own region first."""
    code = village_code_in(name) or name.strip()
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
    ctx: HandlerContext, msg: Incoming
) -> tuple[VillagePlace | None, VillageLink | None, Reply | None]:
    """The village asked about (code or name in the message, else the user's link), or a
    reply that asks back ("Sutera yang mana?", "not found", "which village?")."""
    link = await ctx.store.village_heads.get(ctx.user.id)
    code = village_code_in(msg.text or "") if msg.payload is None else None
    if code is not None and (place := await village_place(ctx, code)) is not None:
        return place, link, None
    region_slot = ctx.slots.region
    if not ctx.slots.village and level_of_code(region_slot or "") == "district":
        return None, link, await _district_villages(ctx, region_slot or "")
    if ctx.slots.village or ctx.slots.place:
        asked = await _ask_back(ctx, msg)
        if asked is not None:
            return None, link, asked
        region = await resolve_place(ctx, levels=VILLAGE_LEVEL, slot="village")
        if isinstance(region, Reply):
            return None, link, region
        return await village_place(ctx, region.code), link, None
    if link is not None:
        return await village_place(ctx, link.village_code), link, None
    return None, None, ask_village(ctx)


async def _ask_back(ctx: HandlerContext, msg: Incoming) -> Reply | None:
    """A typo that ran into the next word, or a kecamatan named instead of a village: the
    choices, each labelled with where it is, instead of a guess."""
    place = ctx.slots.place
    if level_of_code(ctx.slots.village or "") == "district":
        return await _district_villages(ctx, ctx.slots.village or "")
    if msg.text is None or place is None:
        return None
    typed, distances = await typo_villages(ctx, msg.text, place)
    if distances:
        exact = [r.code for r in await ctx.store.regions.search(place, level="village")]
        candidates = list(dict.fromkeys([*exact, *distances]))
        heading = ctx.t("villages.typo_which", name=place_name(typed))
        return await choose(ctx, candidates, typed, distances=distances, heading=heading)
    if ctx.slots.village:
        return None
    districts = await districts_named(ctx, place)
    if not districts:
        return None
    if place.split()[0].lower() in DISTRICT_CUES:
        if len(districts) == 1:
            return await _district_villages(ctx, districts[0].code)
        return await choose(ctx, [d.code for d in districts], place_name(place))
    villages = [r.code for r in await ctx.store.regions.search(place, level="village")]
    regencies = {ancestor_codes(d.code)[1] for d in districts}
    if any(ancestor_codes(v)[1] in regencies for v in villages):
        return None  # a village of that name lies where the kecamatan is: resolve_place asks
    return await choose(ctx, [*(d.code for d in districts), *villages], place_name(place))


def place_name(place: str) -> str:
    """ "desa telok" → "Telok" (the name as a heading)."""
    words = place.split()
    if len(words) > 1 and words[0].lower() in ("desa", "kelurahan", "kel", "kec", "kecamatan"):
        words = words[1:]
    return " ".join(words).title()


async def _district_villages(ctx: HandlerContext, district: str) -> Reply:
    """ "Desa mana di Kec. Sukadana?" with the kecamatan's villages as buttons."""
    region = await ctx.store.regions.get(district)
    villages, total = await villages_of(ctx, district)
    if region is None or not villages:
        return ask_village(ctx)
    regency = await ctx.store.regions.get(ancestor_codes(district)[1])
    buttons = tuple(
        ctx.button(Intent.VILLAGE_TARGET, Slots(village=v.code), label=_short(v.name))
        for v in villages
    )
    text = ctx.t(
        "villages.district_choice",
        district=region.name,
        regency=regency.name if regency else "",
        shown=ctx.fmt.number(len(villages)),
        count=ctx.fmt.number(total),
    )
    return Reply(text=text, buttons=buttons)


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


@router.intent(Intent.VILLAGE_TARGET)
async def village_target(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if ctx.slots.money is not None and (
        ctx.slots.option == FUND_OPTION or msg.payload is not None
    ):
        # A typed sum is a village fund only when one is named ("dana desa 50 juta").
        return [fund_reply(ctx, ctx.slots.money)]
    if ctx.role in STAFF_ROLES and msg.text and is_import_request(msg.text):
        return [how_to_send(ctx)]  # "impor target" typed without a file
    place, link, question = await _target_village(ctx, msg)
    if question is not None:
        return [question]
    if place is None:
        return [ask_village(ctx)]
    standing = await ctx.store.targets.standing(place.code, ctx.today.year)
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
            ProgressPoint(label=ctx.fmt.short_date(h.as_of), registered=h.registered)
            for h in history
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


async def bare_code_answer(msg: Incoming, ctx: HandlerContext) -> list[Reply] | None:
    """A message that is only a village code ("6111012007", "61.11.01.2007") asks about that
    village, whatever intent the number was read as (an income, a regulation)."""
    text = (msg.text or "").strip()
    code = village_code_in(text)
    if code is None or text.replace(".", "") != code.replace(".", ""):
        return None
    if await village_place(ctx, code) is None:
        return None
    asked = replace(ctx.understanding, intent=Intent.VILLAGE_TARGET, slots=Slots(village=code))
    return await village_target(msg, replace(ctx, understanding=asked))


@router.command(LINK_COMMAND, "village", roles=EVERYONE)
async def link_village(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    """`/desa Sutera` or `/desa 61.11.01.2001`: "this is my village" (staff verify it later)."""
    name = args.strip()
    if not name:
        return [await _link_status(ctx)]
    places = await find_villages(ctx, name)
    if not places:
        return [await _did_you_mean(ctx, name)]
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


async def _did_you_mean(ctx: HandlerContext, name: str) -> Reply:
    """A typo in `/desa`: the near names, each with where it lies, to choose from; never a
    link made on a guess."""
    places = [
        place
        for code in await similar_villages(ctx, name, MAX_CHOICES)
        if (place := await village_place(ctx, code)) is not None
    ]
    if not places:
        return Reply(text=ctx.t("villages.not_found", name=name))
    lines = [ctx.t("villages.did_you_mean", name=name)]
    lines.extend(f"• {full_name(place, ctx.t)}" for place in places)
    buttons = tuple(link_button(ctx, p.code, choice_label(p, ctx.t)) for p in places)
    return Reply(text="\n".join(lines), buttons=buttons)


async def _link_status(ctx: HandlerContext) -> Reply:
    link = await ctx.store.village_heads.get(ctx.user.id)
    if link is None:
        return Reply(text=ctx.t("villages.link.none"))
    place = await village_place(ctx, link.village_code)
    name = full_name(place, ctx.t) if place else link.village_code
    key = "villages.link.status_verified" if link.verified else "villages.link.status_pending"
    return Reply(text=ctx.t(key, place=name), buttons=(ctx.button(Intent.VILLAGE_TARGET),))
