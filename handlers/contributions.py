"""Contribution answers: wage earners (PU) and non-wage earners (BPU), with calculators."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from bot.answers.calculators.contributions import (
    BpuContributions,
    PuContributions,
    PuRates,
    bpu_contributions,
    pu_contributions,
)
from bot.answers.facts import (
    BPU_KEYS,
    MARKS,
    Facts,
    active_discount,
    answer,
    bpu_rates,
    flag,
    money,
    more_button,
    need,
    optional,
    percent,
    rupiah,
    wants_more,
)
from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Incoming, Reply
from bot.domain.understanding import Slots
from handlers.villages import bare_code_answer

router = Router("contributions")

# Sample amounts offered as buttons when no wage or income was typed: user inputs, not facts.
SAMPLE_WAGES: Final = (3_500_000, 5_000_000, 10_000_000)
SAMPLE_INCOMES: Final = (2_000_000, 5_000_000)

JKK_CLASSES: Final = tuple(f"pu.jkk.class{n}" for n in range(1, 6))
SAMPLE_LABELS: Final = (N_("contributions.button.wage"), N_("contributions.button.income"))
RISK_NAMES: Final = (
    N_("contributions.risk.1"),
    N_("contributions.risk.2"),
    N_("contributions.risk.3"),
    N_("contributions.risk.4"),
    N_("contributions.risk.5"),
)
PU_KEYS: Final = (
    "jht.rate.employer",
    "jht.rate.worker",
    "jp.rate.employer",
    "jp.rate.worker",
    "jp.wage_cap",
    "pu.jkm.rate",
    "jkp.rate.government",
    "jkp.rate.total",
    "jkp.rate.from_jkk",
    *JKK_CLASSES,
)


def risk_class(option: str | None) -> int | None:
    """`option=risk3` picks JKK risk class 3; anything else means "all classes"."""
    if option and option.startswith("risk") and option[4:].isdigit():
        number = int(option[4:])
        if 1 <= number <= len(JKK_CLASSES):
            return number
    return None


def _pu_rates(facts: Facts) -> PuRates:
    return PuRates(
        jht_employer=facts["jht.rate.employer"],
        jht_worker=facts["jht.rate.worker"],
        jp_employer=facts["jp.rate.employer"],
        jp_worker=facts["jp.rate.worker"],
        jp_wage_cap=facts["jp.wage_cap"],
        jkm=facts["pu.jkm.rate"],
        jkk_classes=tuple(facts[key] for key in JKK_CLASSES),
    )


def _sample_buttons(
    ctx: HandlerContext, intent: Intent, amounts: tuple[int, ...], label_key: str
) -> list[Button]:
    """Buttons re-asking `intent` with a sample amount (labels: SAMPLE_LABELS)."""
    return [
        ctx.button(
            intent,
            Slots(money=amount),
            label=ctx.t(label_key, amount=ctx.fmt.money_short(amount)),
        )
        for amount in amounts
    ]


@router.intent(Intent.CONTRIBUTION_PU)
async def contribution_pu(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, *PU_KEYS)
    wage = ctx.slots.money
    if wage is None or wage <= 0:
        return _pu_rates_only(ctx, facts)
    result = pu_contributions(Decimal(wage), _pu_rates(facts))
    if wants_more(ctx):
        return _pu_by_risk(ctx, facts, result)
    return _pu_breakdown(ctx, facts, result)


def _pu_rates_only(ctx: HandlerContext, facts: Facts) -> list[Reply]:
    jkk_low, jkk_high = facts[JKK_CLASSES[0]], facts[JKK_CLASSES[-1]]
    body = ctx.t(
        "contributions.pu.rates",
        jht_employer=percent(ctx, facts["jht.rate.employer"]),
        jht_worker=percent(ctx, facts["jht.rate.worker"]),
        jp_employer=percent(ctx, facts["jp.rate.employer"]),
        jp_worker=percent(ctx, facts["jp.rate.worker"]),
        cap=rupiah(ctx, facts["jp.wage_cap"].amount, facts["jp.wage_cap"]),
        jkk_low=percent(ctx, jkk_low),
        jkk_high=percent(ctx, jkk_high),
        jkm=percent(ctx, facts["pu.jkm.rate"]),
        jkp=percent(ctx, facts["jkp.rate.government"]),
    )
    buttons = [
        *_sample_buttons(ctx, Intent.CONTRIBUTION_PU, SAMPLE_WAGES, "contributions.button.wage"),
        *ctx.buttons(Intent.CONTRIBUTION_BPU, Intent.JKP_BENEFIT),
    ]
    basis = [facts[key] for key in ("jht.rate.worker", "jp.rate.worker", JKK_CLASSES[0])]
    return answer(ctx, body, facts.all(), buttons, basis=[*basis, facts["jkp.rate.government"]])


def _pu_breakdown(ctx: HandlerContext, facts: Facts, result: PuContributions) -> list[Reply]:
    jht_employer, jht_worker = result.jht
    jp_employer, jp_worker = result.jp
    cap = result.jp_cap
    cap_used = [cap] if result.jp_capped else []  # the cap matters only above it
    lines = [
        ctx.t("contributions.pu.header", wage=ctx.fmt.money(result.wage)),
        ctx.t(
            "contributions.pu.line.jht",
            rate=ctx.fmt.percent(jht_employer.rate.amount + jht_worker.rate.amount),
            worker=rupiah(ctx, jht_worker.amount, jht_worker.rate),
            employer=rupiah(ctx, jht_employer.amount, jht_employer.rate),
        ),
        ctx.t(
            "contributions.pu.line.jp",
            rate=ctx.fmt.percent(jp_employer.rate.amount + jp_worker.rate.amount),
            worker=rupiah(ctx, jp_worker.amount, jp_worker.rate, *cap_used),
            employer=rupiah(ctx, jp_employer.amount, jp_employer.rate, *cap_used),
        ),
    ]
    chosen = risk_class(ctx.slots.option)
    if chosen is None:
        low, high = result.jkk[0], result.jkk[-1]
        lines.append(
            ctx.t(
                "contributions.pu.line.jkk_range",
                low_rate=percent(ctx, low.rate),
                high_rate=percent(ctx, high.rate),
                low=rupiah(ctx, low.amount, low.rate),
                high=rupiah(ctx, high.amount, high.rate),
            )
        )
    else:
        share = result.jkk[chosen - 1]
        lines.append(
            ctx.t(
                "contributions.pu.line.jkk_class",
                risk=ctx.t(RISK_NAMES[chosen - 1]),
                rate=percent(ctx, share.rate),
                employer=rupiah(ctx, share.amount, share.rate),
            )
        )
    industry = active_discount(ctx, "discount.industry.jkk_percent")
    if industry is not None:
        lines.append(
            ctx.t(
                "contributions.pu.industry_discount",
                percent=percent(ctx, industry),
                until=ctx.fmt.month_year(industry.valid_to or ctx.today),
                source=industry.source,
            )
        )
    lines.append(
        ctx.t(
            "contributions.pu.line.jkm",
            rate=percent(ctx, result.jkm.rate),
            employer=rupiah(ctx, result.jkm.amount, result.jkm.rate),
        )
    )
    jkp = facts["jkp.rate.government"]
    jkp_parts = [facts["jkp.rate.total"], jkp, facts["jkp.rate.from_jkk"]]
    from_jkm = active_discount(ctx, "jkp.rate.from_jkm")  # a non-zero share (before 2025)
    jkp_key = "contributions.pu.line.jkp_jkm" if from_jkm else "contributions.pu.line.jkp"
    lines.append(
        ctx.t(
            jkp_key,
            rate=percent(ctx, jkp_parts[0]),
            government=percent(ctx, jkp),
            from_jkk=percent(ctx, jkp_parts[2]),
            from_jkm=percent(ctx, from_jkm) if from_jkm else "",
        )
    )
    worker_total = rupiah(ctx, result.worker_total, *cap_used)
    if chosen is None:
        lines.append(
            ctx.t(
                "contributions.pu.total_range",
                worker=worker_total,
                employer_low=rupiah(ctx, result.employer_total(1), *cap_used),
                employer_high=rupiah(ctx, result.employer_total(len(result.jkk)), *cap_used),
            )
        )
    else:
        lines.append(
            ctx.t(
                "contributions.pu.total_class",
                worker=worker_total,
                employer=rupiah(ctx, result.employer_total(chosen), *cap_used),
            )
        )
    jkk = result.jkk[0] if chosen is None else result.jkk[chosen - 1]
    rates = [jht_worker.rate, jp_worker.rate, jkk.rate, result.jkm.rate, jkp_parts[0]]
    buttons = [
        more_button(ctx, Intent.CONTRIBUTION_PU),
        *ctx.buttons(Intent.JKP_BENEFIT, Intent.LATE_PAYMENT, Intent.CONTRIBUTION_BPU),
    ]
    # The JP cap is explained behind "Selengkapnya"; the source line names the rates used.
    return answer(ctx, "\n".join(lines), [*rates, *jkp_parts, *cap_used], buttons, basis=rates)


def _pu_by_risk(ctx: HandlerContext, facts: Facts, result: PuContributions) -> list[Reply]:
    capped = [result.jp_cap] if result.jp_capped else []
    lines = [ctx.t("contributions.pu.risk_header", wage=ctx.fmt.money(result.wage))]
    if result.jp_capped:
        cap = result.jp_cap
        lines.append(ctx.t("contributions.pu.jp_capped", cap=rupiah(ctx, cap.amount, cap)))
    for number, share in enumerate(result.jkk, start=1):
        lines.append(
            ctx.t(
                "contributions.pu.risk_line",
                risk=ctx.t(RISK_NAMES[number - 1]),
                rate=percent(ctx, share.rate),
                employer=rupiah(ctx, share.amount, share.rate),
                total=rupiah(ctx, result.employer_total(number), *capped),
            )
        )
    lines.append(ctx.t("contributions.pu.risk_note"))
    buttons = [
        ctx.button(
            Intent.CONTRIBUTION_PU,
            Slots(money=int(result.wage), option=f"risk{number}"),
            label=ctx.t("contributions.button.risk", risk=ctx.t(RISK_NAMES[number - 1])),
        )
        for number in range(1, len(result.jkk) + 1)
    ]
    return answer(ctx, "\n".join(lines), [*(s.rate for s in result.jkk), *capped], buttons)


@router.intent(Intent.CONTRIBUTION_BPU)
async def contribution_bpu(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if (village := await bare_code_answer(msg, ctx)) is not None:
        return village  # "6111012007" is a village code, not an income
    facts = need(ctx, *BPU_KEYS)
    discount = active_discount(ctx, "discount.bpu.percent")
    income = ctx.slots.money
    result = bpu_contributions(
        Decimal(income) if income and income > 0 else None,
        bpu_rates(facts, discount),
    )
    typed = Decimal(income) if income is not None and income > 0 else None
    return _bpu_breakdown(ctx, facts, result, typed=typed)


def _bpu_breakdown(
    ctx: HandlerContext, facts: Facts, result: BpuContributions, *, typed: Decimal | None
) -> list[Reply]:
    jkk_rate, jkm, jht_rate = facts["bpu.jkk.rate"], facts["bpu.jkm"], facts["bpu.jht.rate"]
    used = [jkk_rate, jkm, jht_rate]
    # Above the lowest band the official band table is not confirmed: such sums are estimates.
    bands = optional(ctx, "bpu.income_bands") if result.estimate else None
    estimated = [bands] if bands is not None else []
    used.extend(estimated)
    if typed is None:
        lines = [ctx.t("contributions.bpu.header_lowest", income=ctx.fmt.money(result.income))]
    else:
        lines = [ctx.t("contributions.bpu.header", income=ctx.fmt.money(typed))]
        if result.raised:
            lowest = facts["bpu.min_income"]
            lines.append(ctx.t("contributions.bpu.band_lowest", income=money(ctx, lowest)))
            used.append(lowest)
        elif result.capped:
            # The top band is where JKK reaches its maximum; JHT is capped there too.
            top = rupiah(ctx, result.income, facts["bpu.jkk.max"], *estimated)
            lines.append(ctx.t("contributions.bpu.band_top", income=top))
            used.append(facts["bpu.jkk.max"])
    lines += [
        ctx.t(
            "contributions.bpu.lines",
            jkk_rate=percent(ctx, jkk_rate),
            jkk=rupiah(ctx, result.jkk, *estimated),
            jkm=ctx.fmt.money(result.jkm),
            total=rupiah(ctx, result.base_total, *estimated),
            jht_rate=percent(ctx, jht_rate),
            jht=rupiah(ctx, result.jht, *estimated),
            with_jht=rupiah(ctx, result.with_jht, *estimated),
            source=jkk_rate.source,
        ),
    ]
    if result.discount is not None:
        scope = optional(ctx, "discount.bpu.scope")
        lines.append(
            ctx.t(
                "contributions.bpu.discount",
                percent=percent(ctx, result.discount),
                total=rupiah(ctx, result.discounted_total, *estimated),
                with_jht=rupiah(ctx, result.discounted_with_jht, *estimated),
                until=ctx.fmt.month_year(result.discount.valid_to or ctx.today),
                source=result.discount.source,
                mark=flag(scope) if scope is not None else MARKS["uncertain"],
            )
        )
        used.append(result.discount)
        if scope is not None:
            used.append(scope)
    if result.estimate and bands is None:
        lines.append(ctx.unknown_text())
    if typed is None:
        lines.append(ctx.t("contributions.bpu.ask_income"))
    buttons = [
        *_sample_buttons(
            ctx, Intent.CONTRIBUTION_BPU, SAMPLE_INCOMES, "contributions.button.income"
        ),
        *ctx.buttons(Intent.REGISTRATION_BPU, Intent.VULNERABLE_WORKERS, Intent.JKK_BENEFIT),
    ]
    return answer(ctx, "\n".join(lines), used, buttons, basis=[jkk_rate])
