"""What each program pays: JKK, JKM, JHT, JKP and the scholarship, with calculators (JP is in
handlers/pension.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from bot.answers.calculators.benefits import (
    JkpRules,
    Level,
    jkk_cash,
    jkm_cash,
    jkp_cash,
)
from bot.answers.calculators.benefits import (
    scholarship as scholarship_amounts,
)
from bot.answers.calculators.money import percent_of
from bot.answers.facts import (
    answer,
    big_money,
    money,
    more_button,
    need,
    number,
    percent,
    rupiah,
    wants_more,
)
from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply

router = Router("benefits")

SCHOOL_LEVELS: Final = ("tk", "sd", "smp", "sma", "pt")
LEVEL_NAMES: Final = {
    "tk": N_("benefits.level.tk"),
    "sd": N_("benefits.level.sd"),
    "smp": N_("benefits.level.smp"),
    "sma": N_("benefits.level.sma"),
    "pt": N_("benefits.level.pt"),
}
JKK_KEYS: Final = (
    "jkk.stmb.full_percent",
    "jkk.stmb.full_months",
    "jkk.stmb.later_percent",
    "jkk.death_wage_multiple",
    "jkk.disability_wage_multiple",
    "jkk.periodic",
    "jkk.funeral",
    "scholarship.max_total",
    "scholarship.max_children",
    "regulation.jkk",
)
JKP_KEYS: Final = (
    "jkp.benefit_percent",
    "jkp.benefit_months",
    "jkp.later_percent",
    "jkp.later_months",
    "jkp.wage_cap",
    "jkp.max_join_age",
    "jkp.min_contribution_months",
    "jkp.window_months",
    "jkp.consecutive_months",
    "regulation.jkp",
)


@router.intent(Intent.JKK_BENEFIT)
async def jkk_benefit(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if wants_more(ctx):
        return _jkk_more(ctx)
    facts = need(ctx, *JKK_KEYS)
    body = ctx.t(
        "benefits.jkk.summary",
        stmb_full=percent(ctx, facts["jkk.stmb.full_percent"]),
        stmb_months=number(ctx, facts["jkk.stmb.full_months"]),
        stmb_later=percent(ctx, facts["jkk.stmb.later_percent"]),
        death_multiple=number(ctx, facts["jkk.death_wage_multiple"]),
        periodic=big_money(ctx, facts["jkk.periodic"]),
        funeral=big_money(ctx, facts["jkk.funeral"]),
        scholarship=big_money(ctx, facts["scholarship.max_total"]),
        children=number(ctx, facts["scholarship.max_children"]),
    )
    wage = ctx.slots.money
    if wage is not None and wage > 0:
        cash = jkk_cash(
            Decimal(wage),
            death_multiple=facts["jkk.death_wage_multiple"],
            disability_multiple=facts["jkk.disability_wage_multiple"],
            periodic=facts["jkk.periodic"],
            funeral=facts["jkk.funeral"],
        )
        body += "\n" + ctx.t(
            "benefits.jkk.for_wage",
            wage=ctx.fmt.money(cash.wage),
            death=ctx.fmt.money(cash.death),
            disability=ctx.fmt.money(cash.disability),
        )
    buttons = [
        more_button(ctx, Intent.JKK_BENEFIT),
        *ctx.buttons(Intent.JKK_CLAIM, Intent.SCHOLARSHIP, Intent.CONTRIBUTION_BPU),
    ]
    return answer(ctx, body, facts.all(), buttons, basis=[facts["regulation.jkk"]])


def _jkk_more(ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "jkk.medical_care",
        "jkk.disability_wage_multiple",
        "jkk.periodic",
        "jkk.transport.land",
        "jkk.transport.sea",
        "jkk.transport.air",
        "jkk.homecare.months",
        "jkk.homecare.max",
        "jkk.suspected_decision_days",
        "regulation.jkk",
    )
    body = ctx.t(
        "benefits.jkk.more",
        disability_multiple=number(ctx, facts["jkk.disability_wage_multiple"]),
        periodic=big_money(ctx, facts["jkk.periodic"]),
        land=big_money(ctx, facts["jkk.transport.land"]),
        sea=big_money(ctx, facts["jkk.transport.sea"]),
        air=big_money(ctx, facts["jkk.transport.air"]),
        homecare_months=number(ctx, facts["jkk.homecare.months"]),
        homecare=big_money(ctx, facts["jkk.homecare.max"]),
        days=number(ctx, facts["jkk.suspected_decision_days"]),
        ask=ctx.call_centre_text(),
    )
    buttons = ctx.buttons(Intent.JKK_CLAIM, Intent.SCHOLARSHIP)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["regulation.jkk"]])


@router.intent(Intent.JKM_BENEFIT)
async def jkm_benefit(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "jkm.lump_sum",
        "jkm.periodic",
        "jkm.funeral",
        "jkm.scholarship_min_years",
        "jkm.active_membership",
        "scholarship.max_total",
        "scholarship.max_children",
        "regulation.jkm",
    )
    cash = jkm_cash(
        lump_sum=facts["jkm.lump_sum"],
        periodic=facts["jkm.periodic"],
        funeral=facts["jkm.funeral"],
    )
    body = ctx.t(
        "benefits.jkm.summary",
        total=rupiah(ctx, cash.total, cash.lump_sum, cash.periodic, cash.funeral),
        lump_sum=money(ctx, cash.lump_sum),
        periodic=money(ctx, cash.periodic),
        funeral=money(ctx, cash.funeral),
        scholarship=big_money(ctx, facts["scholarship.max_total"]),
        children=number(ctx, facts["scholarship.max_children"]),
        min_years=number(ctx, facts["jkm.scholarship_min_years"]),
    )
    buttons = ctx.buttons(Intent.JKM_CLAIM, Intent.SCHOLARSHIP, Intent.JKK_BENEFIT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["regulation.jkm"]])


@router.intent(Intent.JHT_BENEFIT)
async def jht_benefit(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "jht.rate.employer",
        "jht.rate.worker",
        "jht.full_age",
        "jht.waiting_months",
        "jht.partial.retirement_percent",
        "jht.partial.housing_percent",
        "jht.partial.min_years",
        "regulation.jht",
    )
    body = ctx.t(
        "benefits.jht.summary",
        employer=percent(ctx, facts["jht.rate.employer"]),
        worker=percent(ctx, facts["jht.rate.worker"]),
        age=number(ctx, facts["jht.full_age"]),
        waiting=number(ctx, facts["jht.waiting_months"]),
        partial=percent(ctx, facts["jht.partial.retirement_percent"]),
        housing=percent(ctx, facts["jht.partial.housing_percent"]),
        min_years=number(ctx, facts["jht.partial.min_years"]),
    )
    wage = ctx.slots.money
    if wage is not None and wage > 0:
        employer = percent_of(Decimal(wage), facts["jht.rate.employer"])
        worker = percent_of(Decimal(wage), facts["jht.rate.worker"])
        body += "\n" + ctx.t(
            "benefits.jht.for_wage",
            wage=ctx.fmt.money(wage),
            total=ctx.fmt.money(employer + worker),
            worker=ctx.fmt.money(worker),
        )
    buttons = ctx.buttons(Intent.JHT_CLAIM, Intent.BALANCE_CHECK, Intent.JP_BENEFIT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["regulation.jht"]])


@router.intent(Intent.JKP_BENEFIT)
async def jkp_benefit(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, *JKP_KEYS)
    if wants_more(ctx):
        return _jkp_more(ctx)
    rules = JkpRules(
        percent=facts["jkp.benefit_percent"],
        months=facts["jkp.benefit_months"],
        later_percent=facts["jkp.later_percent"],
        later_months=facts["jkp.later_months"],
        wage_cap=facts["jkp.wage_cap"],
    )
    cap = facts["jkp.wage_cap"]
    top = jkp_cash(cap.amount, rules)
    lines = [
        ctx.t(
            "benefits.jkp.summary",
            percent=percent(ctx, rules.percent),
            months=number(ctx, rules.months),
            cap=money(ctx, cap),
            max_monthly=ctx.fmt.money(top.monthly),
        )
    ]
    if top.later_months:
        lines.append(
            ctx.t(
                "benefits.jkp.later_stage",
                percent=percent(ctx, rules.later_percent),
                months=number(ctx, rules.later_months),
            )
        )
    wage = ctx.slots.money
    if wage is not None and wage > 0:
        cash = jkp_cash(Decimal(wage), rules)
        key = "benefits.jkp.for_wage_capped" if cash.capped else "benefits.jkp.for_wage"
        lines.append(
            ctx.t(
                key,
                wage=ctx.fmt.money(wage),
                monthly=ctx.fmt.money(cash.monthly),
                months=str(cash.months),
                total=ctx.fmt.money(cash.total),
                cap=ctx.fmt.money(cash.base),
            )
        )
    lines.append(
        ctx.t(
            "benefits.jkp.eligibility",
            max_age=number(ctx, facts["jkp.max_join_age"]),
            min_months=number(ctx, facts["jkp.min_contribution_months"]),
            window=number(ctx, facts["jkp.window_months"]),
            consecutive=number(ctx, facts["jkp.consecutive_months"]),
        )
    )
    buttons = [
        more_button(ctx, Intent.JKP_BENEFIT),
        *ctx.buttons(Intent.JKP_CLAIM, Intent.JHT_CLAIM, Intent.CONTRIBUTION_PU),
    ]
    return answer(ctx, "\n".join(lines), facts.all(), buttons, basis=[facts["regulation.jkp"]])


N_("benefits.jkp.for_wage")
N_("benefits.jkp.for_wage_capped")


def _jkp_more(ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "jkp.claim_deadline_months",
        "jkp.bankrupt_arrears_months",
        "jkp.rate.government",
        "jkp.rate.from_jkk",
        "regulation.jkp",
    )
    body = ctx.t(
        "benefits.jkp.more",
        deadline=number(ctx, facts["jkp.claim_deadline_months"]),
        arrears=number(ctx, facts["jkp.bankrupt_arrears_months"]),
        government=percent(ctx, facts["jkp.rate.government"]),
        from_jkk=percent(ctx, facts["jkp.rate.from_jkk"]),
    )
    buttons = ctx.buttons(Intent.JKP_CLAIM, Intent.JHT_CLAIM)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["regulation.jkp"]])


@router.intent(Intent.SCHOLARSHIP)
async def scholarship(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    level_keys = [
        f"scholarship.{level}.{part}" for level in SCHOOL_LEVELS for part in ("amount", "years")
    ]
    facts = need(
        ctx,
        *level_keys,
        "scholarship.max_children",
        "scholarship.max_total",
        "scholarship.max_age",
        "jkm.scholarship_min_years",
    )
    levels = tuple(
        Level(level, facts[f"scholarship.{level}.amount"], facts[f"scholarship.{level}.years"])
        for level in SCHOOL_LEVELS
    )
    result = scholarship_amounts(
        levels,
        children=facts["scholarship.max_children"],
        max_total=facts["scholarship.max_total"],
    )
    rows = "\n".join(
        ctx.t(
            "benefits.scholarship.level",
            level=ctx.t(LEVEL_NAMES[level.name]),
            amount=money(ctx, level.amount),
            years=number(ctx, level.years),
        )
        for level in result.levels
    )
    body = ctx.t(
        "benefits.scholarship.summary",
        children=number(ctx, result.children),
        min_years=number(ctx, facts["jkm.scholarship_min_years"]),
        levels=rows,
        per_child=ctx.fmt.money_short(result.per_child),
        total=ctx.fmt.money_short(result.total),
        max_age=number(ctx, facts["scholarship.max_age"]),
    )
    buttons = ctx.buttons(Intent.JKM_CLAIM, Intent.JKK_BENEFIT, Intent.JKM_BENEFIT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["scholarship.max_total"]])
