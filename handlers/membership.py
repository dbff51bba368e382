"""Who can join and how: eligibility, registration (PU/BPU), vulnerable, migrant and
construction workers, and late or missed contributions."""

from __future__ import annotations

from typing import Final

from bot.answers.calculators.contributions import bpu_contributions
from bot.answers.facts import (
    BPU_KEYS,
    Facts,
    active_discount,
    answer,
    bpu_rates,
    money,
    need,
    number,
    percent,
    rupiah,
)
from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply

router = Router("membership")

# Occupation slot ids (bot/nlu/data/vocabulary.yml) -> participant category; each id has its
# name in the catalogues as `membership.occupation.<id>`.
OCCUPATION_CATEGORY: Final = {
    "ojol": "bpu",
    "sopir": "bpu",
    "kurir": "bpu",
    "petani": "bpu",
    "nelayan": "bpu",
    "nelayan_budidaya": "bpu",
    "peternak": "bpu",
    "pedagang": "bpu",
    "umkm": "bpu",
    "tukang": "bpu",
    "buruh": "bpu",
    "freelancer": "bpu",
    "penjahit": "bpu",
    "seniman": "bpu",
    "tukang_parkir": "bpu",
    "pekerja_rumah_ibadah": "bpu",
    "perangkat_desa": "bpu",
    "art": "bpu",
    "karyawan": "pu",
    "guru_honorer": "pu",
    "magang": "pu",
    "pekerja_migran": "pmi",
    "pekerja_konstruksi": "jakon",
}
OCCUPATION_NAMES: Final = {
    name: N_(f"membership.occupation.{name}") for name in OCCUPATION_CATEGORY
}
CATEGORY_KEYS: Final = {
    "bpu": N_("membership.eligibility.bpu"),
    "pu": N_("membership.eligibility.pu"),
    "pmi": N_("membership.eligibility.pmi"),
    "jakon": N_("membership.eligibility.jakon"),
}


def _lowest_bpu(ctx: HandlerContext, facts: Facts) -> str:
    """The lowest BPU monthly contribution (JKK + JKM), from the BPU calculator."""
    result = bpu_contributions(None, bpu_rates(facts))
    return ctx.fmt.money(result.base_total)


@router.intent(Intent.ELIGIBILITY)
async def eligibility(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, *BPU_KEYS, "pu.foreigner_min_months", "regulation.membership")
    values = {
        "bpu_min": _lowest_bpu(ctx, facts),
        "months": number(ctx, facts["pu.foreigner_min_months"]),
    }
    occupation = ctx.slots.occupation
    category = OCCUPATION_CATEGORY.get(occupation or "")
    if category is None:
        body = ctx.t("membership.eligibility.general", **values)
    else:
        label = ctx.t(OCCUPATION_NAMES[occupation or ""])
        body = ctx.t(CATEGORY_KEYS[category], occupation=label, **values)
    buttons = ctx.buttons(
        Intent.REGISTRATION_BPU,
        Intent.CONTRIBUTION_BPU,
        Intent.REGISTRATION_PU,
        Intent.MIGRANT_WORKERS,
        Intent.CONSTRUCTION_WORKERS,
    )
    basis = [facts["regulation.membership"], facts["bpu.jkm"]]
    return answer(ctx, body, facts.all(), buttons, basis=basis)


@router.intent(Intent.REGISTRATION_PU)
async def registration_pu(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, "pu.due_day", "contact.call_centre", "regulation.membership")
    body = ctx.t(
        "membership.registration_pu",
        due_day=number(ctx, facts["pu.due_day"]),
        ask=ctx.call_centre_text(),
    )
    buttons = ctx.buttons(Intent.CONTRIBUTION_PU, Intent.LATE_PAYMENT, Intent.CONTACT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["regulation.membership"]])


@router.intent(Intent.REGISTRATION_BPU)
async def registration_bpu(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, *BPU_KEYS, "regulation.bpu")
    lines = [
        ctx.t(
            "membership.registration_bpu",
            bpu_min=_lowest_bpu(ctx, facts),
            jht_rate=percent(ctx, facts["bpu.jht.rate"]),
            ask=ctx.call_centre_text(),
        )
    ]
    used = facts.all()
    discount = active_discount(ctx, "discount.bpu.percent")
    if discount is not None and discount.valid_to is not None:
        lines.append(
            ctx.t(
                "membership.registration_bpu.discount",
                percent=percent(ctx, discount),
                until=ctx.fmt.month_year(discount.valid_to),
                source=discount.source,
            )
        )
    buttons = ctx.buttons(Intent.CONTRIBUTION_BPU, Intent.ELIGIBILITY, Intent.VULNERABLE_WORKERS)
    return answer(ctx, "\n".join(lines), used, buttons, basis=[facts["regulation.bpu"]])


@router.intent(Intent.VULNERABLE_WORKERS)
async def vulnerable_workers(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, *BPU_KEYS, "regulation.vulnerable")
    body = ctx.t(
        "membership.vulnerable",
        inpres=facts["regulation.vulnerable"].source,
        bpu_min=_lowest_bpu(ctx, facts),
    )
    buttons = ctx.buttons(
        Intent.REGION_BUDGET, Intent.VILLAGE_TARGET, Intent.REGISTRATION_BPU, Intent.JKM_BENEFIT
    )
    basis = [facts["regulation.vulnerable"], facts["bpu.jkm"]]
    return answer(ctx, body, facts.all(), buttons, basis=basis)


@router.intent(Intent.MIGRANT_WORKERS)
async def migrant_workers(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "pmi.pre_placement",
        "pmi.contract.long",
        "pmi.contract.medium",
        "pmi.contract.short",
        "pmi.contract_months.long",
        "pmi.contract_months.medium",
        "pmi.contract_months.short",
        "pmi.extra_month",
        "regulation.pmi",
    )
    body = ctx.t(
        "membership.migrant",
        pre=money(ctx, facts["pmi.pre_placement"]),
        long=money(ctx, facts["pmi.contract.long"]),
        medium=money(ctx, facts["pmi.contract.medium"]),
        short=money(ctx, facts["pmi.contract.short"]),
        long_months=number(ctx, facts["pmi.contract_months.long"]),
        medium_months=number(ctx, facts["pmi.contract_months.medium"]),
        short_months=number(ctx, facts["pmi.contract_months.short"]),
        extra=money(ctx, facts["pmi.extra_month"]),
        ask=ctx.call_centre_text(),
    )
    buttons = ctx.buttons(Intent.JKK_BENEFIT, Intent.JKM_BENEFIT, Intent.CONTACT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["pmi.pre_placement"]])


@router.intent(Intent.CONSTRUCTION_WORKERS)
async def construction_workers(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "jakon.register_working_days",
        "jakon.rate.tier1",
        "jakon.limit.tier1",
        "regulation.jakon",
    )
    limit = facts["jakon.limit.tier1"]
    body = ctx.t(
        "membership.construction",
        days=number(ctx, facts["jakon.register_working_days"]),
        rate=percent(ctx, facts["jakon.rate.tier1"]),
        limit=rupiah(ctx, limit.amount, limit),
    )
    buttons = ctx.buttons(Intent.JKK_BENEFIT, Intent.JKK_CLAIM, Intent.CONTACT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["regulation.jakon"]])


@router.intent(Intent.LATE_PAYMENT)
async def late_payment(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "pu.due_day",
        "jht.claim_with_employer_arrears",
        "jkp.bankrupt_arrears_months",
        "jkm.active_membership",
    )
    body = ctx.t(
        "membership.late_payment",
        due_day=number(ctx, facts["pu.due_day"]),
        months=number(ctx, facts["jkp.bankrupt_arrears_months"]),
        ask=ctx.call_centre_text(),
    )
    buttons = ctx.buttons(Intent.JHT_CLAIM, Intent.CONTRIBUTION_BPU, Intent.CONTACT)
    return answer(ctx, body, facts.all(), buttons)
