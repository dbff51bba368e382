"""General information: the programs, contacts, legal basis, balance check, Paritrana Award."""

from __future__ import annotations

from typing import Final

from bot.answers.facts import answer, more_button, need, number, wants_more
from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.facts import FactMissing
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply
from bot.regions.names import fold
from handlers.villages import bare_code_answer

router = Router("information")

# Topic -> fact whose `source` is the legal basis, in the order the answer lists them.
REGULATION_KEYS: Final = (
    "regulation.sjsn",
    "regulation.jkk",
    "regulation.jht",
    "regulation.jp",
    "regulation.jkp",
    "regulation.membership",
    "regulation.pmi",
    "regulation.jakon",
    "regulation.vulnerable",
)
# The ways to reach BPJS Ketenagakerjaan, named by the contact and balance-check answers.
# 175 takes information and complaints only, 24 hours; claims go through JMO, Lapak Asik or a
# branch (services reference §17.3, §17.5: the online queue is no longer named).
CONTACT_KEYS: Final = (
    "contact.call_centre",
    "contact.call_centre.hours_per_day",
    "contact.call_centre.scope",
    "contact.branch.opens",
    "contact.branch.closes",
    "channel.jmo",
    "channel.lapak_asik",
)


@router.intent(Intent.PROGRAM_OVERVIEW)
async def program_overview(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, "regulation.sjsn", "regulation.jkp")
    buttons = ctx.buttons(
        Intent.JKK_BENEFIT,
        Intent.JKM_BENEFIT,
        Intent.JHT_BENEFIT,
        Intent.JP_BENEFIT,
        Intent.JKP_BENEFIT,
        Intent.ELIGIBILITY,
        Intent.CONTRIBUTION_BPU,
    )
    return answer(ctx, ctx.t("information.overview"), facts.all(), buttons)


@router.intent(Intent.CONTACT)
async def contact(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, *CONTACT_KEYS)
    body = ctx.t(
        "information.contact",
        phone=str(facts["contact.call_centre"].amount),
        hours=number(ctx, facts["contact.call_centre.hours_per_day"]),
        opens=ctx.fmt.clock(facts["contact.branch.opens"].amount),
        closes=ctx.fmt.clock(facts["contact.branch.closes"].amount),
    )
    buttons = ctx.buttons(Intent.BALANCE_CHECK, Intent.JHT_CLAIM, Intent.HUMAN_AGENT)
    basis = [facts["contact.call_centre"], facts["contact.call_centre.scope"]]
    return answer(ctx, body, facts.all(), buttons, basis=basis)


@router.intent(Intent.REGULATION)
async def regulation(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """The legal basis is itself the answer: each line names the source of one topic."""
    if (village := await bare_code_answer(msg, ctx)) is not None:
        return village  # "61.11.01.2007" alone is a village code, not a regulation number
    facts = need(ctx, *REGULATION_KEYS)
    body = ctx.t(
        "information.regulation",
        sjsn=facts["regulation.sjsn"].source,
        jkk=facts["regulation.jkk"].source,
        jht=facts["regulation.jht"].source,
        jp=facts["regulation.jp"].source,
        jkp=facts["regulation.jkp"].source,
        membership=facts["regulation.membership"].source,
        pmi=facts["regulation.pmi"].source,
        jakon=facts["regulation.jakon"].source,
        vulnerable=facts["regulation.vulnerable"].source,
    )
    buttons = ctx.buttons(Intent.PROGRAM_OVERVIEW, Intent.CONTACT)
    return answer(ctx, body, facts.all(), buttons, basis=[])


@router.intent(Intent.BALANCE_CHECK)
async def balance_check(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """The bot cannot see personal data and never asks for NIK, KPJ number or birth date."""
    facts = need(ctx, *CONTACT_KEYS)
    body = ctx.t("information.balance", phone=str(facts["contact.call_centre"].amount))
    buttons = ctx.buttons(Intent.JHT_CLAIM, Intent.JHT_BENEFIT, Intent.CONTACT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["channel.jmo"]])


KETAPANG: Final = "61.04"
KAYONG_UTARA: Final = "61.11"
KALBAR: Final = "61"
_WINNER_WORDS: Final = frozenset(
    {"menang", "pemenang", "juara", "juaranya", "menangnya", "siapa", "winner", "won"}
)
_NOMINEE_WORDS: Final = frozenset({"nominasi", "nominee", "nominated", "calon", "masuk"})


def _paritrana_question(msg: Incoming, ctx: HandlerContext) -> str | None:
    """Which regional Paritrana fact is asked: "kayong_utara", "ketapang", "kalbar" or None."""
    words = set(fold(msg.text or "").replace("?", " ").split())
    codes = {c for c in (ctx.slots.region, ctx.slots.other_region) if c}
    if KAYONG_UTARA in codes or {"kayong", "kku"} & words:
        return "kayong_utara"
    if KETAPANG in codes or "ketapang" in words:
        return "ketapang"
    if KALBAR in codes or {"kalbar", "pontianak"} & words:
        return "kalbar"
    if _WINNER_WORDS & words or _NOMINEE_WORDS & words:
        return "kalbar"
    return None


def _regional_paritrana(ctx: HandlerContext, asked: str) -> list[Reply] | None:
    """The seeds' own regional facts: Ketapang first in Kalimantan Barat (Pontianak,
    24 September 2025), Kayong Utara a nominee, and its vice regent's instruction."""
    try:
        facts = need(ctx, "paritrana.kalbar_2025")
    except FactMissing:  # no regional facts: the general answer instead
        return None
    kalbar = facts["paritrana.kalbar_2025"]
    when = {"date": ctx.fmt.date(kalbar.valid_from), "year": str(kalbar.valid_from.year)}
    buttons = ctx.buttons(Intent.COVERAGE_REGION, Intent.VULNERABLE_WORKERS)
    if asked == "kayong_utara":
        try:
            nominee = need(
                ctx, "paritrana.kayong_utara_2025", "paritrana.kayong_utara_instruction"
            )
        except FactMissing:
            return None
        body = ctx.t("information.paritrana.kayong_utara", **when)
        return answer(ctx, body, [*nominee.all(), kalbar], ctx.buttons(Intent.VILLAGE_TARGET))
    key = (
        "information.paritrana.ketapang" if asked == "ketapang" else "information.paritrana.kalbar"
    )
    return answer(ctx, ctx.t(key, **when), [kalbar], buttons)


@router.intent(Intent.PARITRANA_AWARD)
async def paritrana_award(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    asked = _paritrana_question(msg, ctx) if not wants_more(ctx) else None
    if asked is not None:
        found = _regional_paritrana(ctx, asked)
        if found is not None:
            return found
    facts = need(ctx, "paritrana.first_year", "paritrana.national_2024", "paritrana.kalbar_2025")
    national, kalbar = facts["paritrana.national_2024"], facts["paritrana.kalbar_2025"]
    if wants_more(ctx):
        body = ctx.t(
            "information.paritrana.more",
            edition=number(ctx, national),
            date=ctx.fmt.date(national.valid_from),
            kalbar_date=ctx.fmt.date(kalbar.valid_from),
            kalbar_year=str(kalbar.valid_from.year),
        )
        regional = ctx.buttons(Intent.COVERAGE_REGION, Intent.REGION_BUDGET)
        return answer(ctx, body, [national, kalbar], regional)
    body = ctx.t(
        "information.paritrana", first_year=str(int(facts["paritrana.first_year"].amount))
    )
    buttons = [
        more_button(ctx, Intent.PARITRANA_AWARD),
        *ctx.buttons(Intent.VULNERABLE_WORKERS, Intent.COVERAGE_REGION),
    ]
    return answer(ctx, body, facts.all(), buttons, basis=[facts["paritrana.first_year"]])
