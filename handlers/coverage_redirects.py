"""Questions that reach the coverage topic but are about something else: the Paritrana Award
("kayong utara masuk nominasi?") or one village ("desa Kali Nilam kab Ketapang", "peringkat
desa saya", "capaian kec Sukadana"). Each is handed to the topic that answers it."""

from __future__ import annotations

from dataclasses import replace

from bot.core.context import HandlerContext
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply
from bot.regions.model import level_of_code
from bot.regions.names import fold
from handlers.information import paritrana_award
from handlers.villages import village_target

_AWARD_WORDS = frozenset({"paritrana", "nominasi", "juara", "pemenang", "menang", "penghargaan"})


def about_the_award(msg: Incoming) -> bool:
    """ "kayong utara masuk nominasi?": the Paritrana Award, not coverage figures."""
    return bool(_AWARD_WORDS & set(fold(msg.text or "").replace("?", " ").split()))


async def award(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    asked = replace(ctx.understanding, intent=Intent.PARITRANA_AWARD)
    return await paritrana_award(msg, replace(ctx, understanding=asked))


_COVERAGE_WORDS = frozenset({"cakupan", "kepesertaan", "peserta", "pu", "bpu", "coverage"})


def names_a_village(msg: Incoming, ctx: HandlerContext) -> bool:
    """A village code read from a message that asks nothing about coverage figures."""
    if level_of_code(ctx.slots.village or "") != "village" or msg.text is None:
        return False
    return not _COVERAGE_WORDS & set(fold(msg.text).split())


async def village(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    asked = replace(ctx.understanding, intent=Intent.VILLAGE_TARGET)
    return await village_target(msg, replace(ctx, understanding=asked))


async def about_a_village(msg: Incoming, ctx: HandlerContext) -> bool:
    """A village named, or "desa saya" from someone who linked their village."""
    if level_of_code(ctx.slots.village or "") == "village":
        return True
    named = fold(ctx.slots.place or "").split()
    if named and named[0] in ("kec", "kecamatan") and not ctx.slots.region:
        return True  # "capaian kec sukadana": the villages of that kecamatan
    words = fold(msg.text or "").split()
    if "desa" not in words or ctx.slots.region or ctx.slots.place:
        return False
    return await ctx.store.village_heads.get(ctx.user.id) is not None
