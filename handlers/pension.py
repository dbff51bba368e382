"""The pension (JP): what it pays, the pension age in force each year, and when a birth year
(or an age) reaches it."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.answers.calculators.pension import (
    age_in_year,
    estimate_pension,
    next_change,
    pension_start,
)
from bot.answers.facts import (
    answer,
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
from bot.store import Fact

router = Router("pension")


@router.intent(Intent.JP_BENEFIT)
async def jp_benefit(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "jp.pension_age",
        "jp.min_years",
        "jp.accrual_percent",
        "jp.min_benefit",
        "jp.max_benefit",
        "regulation.jp",
    )
    if wants_more(ctx):
        return _jp_more(ctx)
    years = membership_years(msg.text or "")
    if ctx.slots.money is not None and years is not None:
        return _estimate(ctx, ctx.slots.money, years)
    schedule = ctx.store.facts.history("jp.pension_age")
    age = facts["jp.pension_age"]
    lines = [
        ctx.t(
            "benefits.jp.summary",
            age=number(ctx, age),
            min_years=number(ctx, facts["jp.min_years"]),
            accrual=percent(ctx, facts["jp.accrual_percent"]),
            min_benefit=money(ctx, facts["jp.min_benefit"]),
            max_benefit=money(ctx, facts["jp.max_benefit"]),
        )
    ]
    upcoming = next_change(schedule, ctx.today)
    if upcoming is not None:
        lines.append(
            ctx.t(
                "benefits.jp.next_age",
                year=str(upcoming.valid_from.year),
                age=number(ctx, upcoming),
            )
        )
    used = facts.all()
    lines.extend(_pension_lines(ctx, schedule, used))
    buttons = [
        more_button(ctx, Intent.JP_BENEFIT),
        *ctx.buttons(Intent.JP_CLAIM, Intent.CONTRIBUTION_PU, Intent.JHT_BENEFIT),
    ]
    return answer(ctx, "\n".join(lines), used, buttons, basis=[facts["regulation.jp"]])


def _pension_lines(ctx: HandlerContext, schedule: list[Fact], used: list[Fact]) -> list[str]:
    """The personal part: pension age in a given year, or when a birth year (or age) reaches
    it. Appends the schedule rows it relied on to `used`."""
    lines: list[str] = []
    year = ctx.slots.year
    if year is not None:
        rule = age_in_year(schedule, year)
        if rule is None:
            lines.append(ctx.unknown_text())
        else:
            lines.append(ctx.t("benefits.jp.age_in_year", year=str(year), age=number(ctx, rule)))
            used.append(rule)
    birth_year = ctx.slots.birth_year
    if birth_year is None and ctx.slots.age is not None:
        birth_year = ctx.today.year - ctx.slots.age
    if birth_year is None:
        return lines
    if birth_year > ctx.today.year:
        lines.append(ctx.t("benefits.jp.implausible"))
        return lines
    start = pension_start(birth_year, schedule)
    if start is None:
        lines.append(ctx.unknown_text())
        return lines
    if start.age > int(start.rule.amount):
        key = "benefits.jp.before_schedule"  # already past the age when JP began
    elif ctx.slots.birth_year is None:
        key = "benefits.jp.start_from_age"
    elif start.year < ctx.today.year:
        key = "benefits.jp.start_past"
    else:
        key = "benefits.jp.start"
    lines.append(ctx.t(key, birth_year=str(birth_year), year=str(start.year), age=str(start.age)))
    used.append(start.rule)
    return lines


_YEARS = re.compile(
    r"(?:masa\s+(?:iur(?:an)?|kepesertaan)|ikut|iuran|selama|sudah|kerja)\D{0,12}?(\d{1,2})\s*(?:tahun|thn|th)\b"
    r"|(\d{1,2})\s*(?:tahun|thn|th)\s+(?:ikut|iur|iuran|masa|kerja|jadi\s+peserta|kepesertaan)"
)


def membership_years(text: str) -> int | None:
    """Years of JP membership named in the text ("sudah 20 tahun ikut", "masa iuran 10 thn")."""
    match = _YEARS.search(text.lower())
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


def _estimate(ctx: HandlerContext, wage: int, years: int) -> list[Reply]:
    """The monthly JP pension for a wage and years of membership, with the rule it follows."""
    facts = need(
        ctx,
        "jp.accrual_percent",
        "jp.wage_cap",
        "jp.min_years",
        "jp.min_benefit",
        "jp.max_benefit",
    )
    cap, min_years = facts["jp.wage_cap"], facts["jp.min_years"]
    result = estimate_pension(
        wage=Decimal(wage),
        years=years,
        accrual_percent=facts["jp.accrual_percent"].amount,
        wage_cap=cap.amount,
        min_years=int(min_years.amount),
        min_benefit=facts["jp.min_benefit"].amount,
        max_benefit=facts["jp.max_benefit"].amount,
    )
    values = {
        "wage": ctx.fmt.money(wage),
        "years": ctx.fmt.number(years),
        "accrual": percent(ctx, facts["jp.accrual_percent"]),
        "wage_used": rupiah(ctx, result.wage_used, cap) if result.capped else ctx.fmt.money(wage),
        "raw": rupiah(ctx, result.raw, cap) if result.capped else ctx.fmt.money(result.raw),
        "min_years": number(ctx, min_years),
    }
    lines = [ctx.t("benefits.jp.estimate.header", **values)]
    used = [facts["jp.accrual_percent"], min_years]
    if result.capped:
        lines.append(ctx.t("benefits.jp.estimate.capped", cap=money(ctx, cap)))
        used.append(cap)
    if result.monthly is None:
        lines.append(ctx.t("benefits.jp.estimate.lump_sum", **values))
    else:
        lines.append(ctx.t("benefits.jp.estimate.formula", **values))
        if result.bound:
            bound = facts["jp.min_benefit"] if result.bound == "min" else facts["jp.max_benefit"]
            lines.append(ctx.t(f"benefits.jp.estimate.{result.bound}", amount=money(ctx, bound)))
            used.append(bound)
        monthly = rupiah(ctx, result.monthly, *used)
        lines.append(ctx.t("benefits.jp.estimate.result", amount=monthly))
    lines.append(ctx.t("benefits.jp.estimate.note"))
    buttons = [more_button(ctx, Intent.JP_BENEFIT), *ctx.buttons(Intent.JP_CLAIM)]
    return answer(
        ctx, "\n".join(lines), used, buttons, basis=[facts["jp.accrual_percent"], min_years]
    )


N_("benefits.jp.estimate.min")
N_("benefits.jp.estimate.max")
N_("benefits.jp.start")
N_("benefits.jp.start_past")
N_("benefits.jp.start_from_age")
N_("benefits.jp.before_schedule")


def _jp_more(ctx: HandlerContext) -> list[Reply]:
    facts = need(
        ctx,
        "jp.deferral_max_years",
        "jp.child_max_age",
        "jp.disability_density_percent",
        "jp.min_years",
        "regulation.jp",
    )
    schedule = [  # the age in force today and every later step
        fact
        for fact in ctx.store.facts.history("jp.pension_age")
        if fact.valid_to is None or fact.valid_to >= ctx.today
    ]
    steps = ", ".join(
        ctx.t("benefits.jp.schedule_step", year=str(fact.valid_from.year), age=number(ctx, fact))
        for fact in schedule
    )
    body = ctx.t(
        "benefits.jp.more",
        steps=steps,
        deferral=number(ctx, facts["jp.deferral_max_years"]),
        child_age=number(ctx, facts["jp.child_max_age"]),
        density=percent(ctx, facts["jp.disability_density_percent"]),
        min_years=number(ctx, facts["jp.min_years"]),
    )
    buttons = ctx.buttons(Intent.JP_CLAIM, Intent.HELP)
    return answer(ctx, body, [*facts.all(), *schedule], buttons, basis=[facts["regulation.jp"]])
