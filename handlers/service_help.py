"""Wage subsidy (BSU), housing loans (MLT), fraud warnings and reaching a person."""

from __future__ import annotations

from typing import Final

from bot.answers.facts import big_money, money, number, percent, wants_more
from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Incoming, Reply
from handlers.service_common import (
    case_button,
    channel_values,
    marks,
    more_and_staff,
    need_with_channels,
    pick,
    respond,
    staff_button,
)

router = Router("service_help")

BSU_WORDS: Final = {
    "when": ("kapan", "cair", "jadwal", "tahap", "gelombang", "lagi", "baru", "20\\d\\d"),
    "check": ("cek", "penerima", "status", "terdaftar", "dapat\\s+(?:ga|gak|tidak)", "link"),
    "criteria": ("syarat", "kriteria", "siapa", "berhak", "bisa\\s+dapat", "bpu", "mandiri"),
}
BSU_KEYS: Final = {
    None: ("regulation.bsu", "bsu.monthly_amount", "bsu.months", "bsu.payment", "bsu.none_2026"),
    "criteria": (
        "regulation.bsu",
        "bsu.payment",
        "bsu.membership_cutoff",
        "bsu.wage_cap",
        "bsu.eligibility",
        "bsu.no_registration",
    ),
    "check": ("bsu.check", "bsu.payment", "fraud.official_domains"),
    "when": ("bsu.payment", "bsu.no_second_round", "bsu.none_2026", "fraud.fake_bsu_links"),
}
BSU_LABELS: Final = {
    "criteria": N_("service.bsu.button.criteria"),
    "check": N_("service.bsu.button.check"),
    "when": N_("service.bsu.button.when"),
}
LOAN_KEYS: Final = (
    "regulation.mlt",
    "mlt.no_cash_loans",
    "mlt.kpr_max",
    "mlt.kpr_years",
    "mlt.pump_max",
    "mlt.prp_max",
    "mlt.prp_years",
    "mlt.min_membership_years",
    "mlt.apply",
)
LOAN_MORE_KEYS: Final = (
    "regulation.mlt",
    "mlt.conditions",
    "mlt.rate_margin",
    "mlt.verification_days",
    "mlt.bank_days",
    "mlt.bpu",
    "mlt.dana_siaga",
    "jht.partial.housing_percent",
)
FRAUD_KEYS: Final = (
    "fraud.free_service",
    "fraud.no_otp",
    "fraud.no_reminder_calls",
    "fraud.official_domains",
)
HUMAN_KEYS: Final = ("contact.email", "contact.social", "contact.branch.scope", "bsu.check")


@router.intent(Intent.BSU)
async def bsu(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """Never says a round is open or coming; BPU workers never get it (services §12, §16)."""
    case = pick(ctx, msg, BSU_WORDS)
    facts = need_with_channels(ctx, *BSU_KEYS[case])
    payment = facts["bsu.payment"]
    values = {"start": ctx.fmt.month_year(payment.valid_from), "year": str(payment.year)}
    if case is None:
        none = facts["bsu.none_2026"]
        values |= {
            "amount": money(ctx, facts["bsu.monthly_amount"]),
            "months": number(ctx, facts["bsu.months"]),
            "as_of": ctx.fmt.month_year(none.valid_from),
            **marks(facts, mark="bsu.none_2026"),
        }
    elif case == "criteria":
        values |= {
            "cutoff": ctx.fmt.month_year(facts["bsu.membership_cutoff"].valid_from),
            "cap": money(ctx, facts["bsu.wage_cap"]),
        }
    elif case == "when":
        none = facts["bsu.none_2026"]
        values |= {
            "as_of": ctx.fmt.month_year(none.valid_from),
            "next_year": str(none.year),
            **marks(facts, mark="bsu.no_second_round", none_mark="bsu.none_2026"),
        }
    body = ctx.t(f"service.bsu.{case or 'summary'}", **values)
    buttons: list[Button] = [
        case_button(ctx, Intent.BSU, name, label)
        for name, label in BSU_LABELS.items()
        if name != case
    ]
    buttons += [*ctx.buttons(Intent.FRAUD_WARNING), staff_button(ctx)]
    return respond(ctx, msg, body, facts, buttons)


@router.intent(Intent.LOANS)
async def loans(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """MLT is a partner-bank loan, never "BPJS lending you your JHT"; no rate cut is stated."""
    if wants_more(ctx):
        facts = need_with_channels(ctx, *LOAN_MORE_KEYS)
        body = ctx.t(
            "service.loans.more",
            margin=percent(ctx, facts["mlt.rate_margin"]),
            verification=number(ctx, facts["mlt.verification_days"]),
            bank=number(ctx, facts["mlt.bank_days"]),
            housing=percent(ctx, facts["jht.partial.housing_percent"]),
            **marks(facts, bpu_mark="mlt.bpu"),
        )
        buttons = [*ctx.buttons(Intent.JHT_CLAIM, Intent.FRAUD_WARNING), staff_button(ctx)]
        return respond(ctx, msg, body, facts, buttons)
    facts = need_with_channels(ctx, *LOAN_KEYS)
    body = ctx.t(
        "service.loans.summary",
        kpr=big_money(ctx, facts["mlt.kpr_max"]),
        kpr_years=number(ctx, facts["mlt.kpr_years"]),
        pump=big_money(ctx, facts["mlt.pump_max"]),
        prp=big_money(ctx, facts["mlt.prp_max"]),
        prp_years=number(ctx, facts["mlt.prp_years"]),
        years=number(ctx, facts["mlt.min_membership_years"]),
    )
    buttons = more_and_staff(ctx, Intent.LOANS, Intent.JHT_CLAIM)
    return respond(ctx, msg, body, facts, buttons)


@router.intent(Intent.FRAUD_WARNING)
async def fraud_warning(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if wants_more(ctx):
        facts = need_with_channels(ctx, "fraud.fake_bsu_links", "fraud.official_domains")
        body = ctx.t(
            "service.fraud.more",
            **channel_values(ctx, facts),
            **marks(facts, mark="fraud.fake_bsu_links"),
        )
        buttons = [*ctx.buttons(Intent.BSU), staff_button(ctx)]
        return respond(ctx, msg, body, facts, buttons)
    facts = need_with_channels(ctx, *FRAUD_KEYS)
    body = ctx.t(
        "service.fraud.summary",
        **channel_values(ctx, facts),
        **marks(facts, mark="fraud.free_service"),
    )
    buttons = more_and_staff(ctx, Intent.FRAUD_WARNING, Intent.CONTACT)
    return respond(ctx, msg, body, facts, buttons)


async def office_contacts(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """`human_agent` where no staff inbox is configured (`handlers.handover`): the bot is not
    staff; these people can act, and when."""
    facts = need_with_channels(ctx, *HUMAN_KEYS)
    body = ctx.t("service.human.summary", **channel_values(ctx, facts))
    buttons = [*ctx.buttons(Intent.CONTACT, Intent.FRAUD_WARNING, Intent.HELP)]
    stated = ("contact.email", "contact.social", "contact.branch.scope")
    return respond(ctx, msg, body, facts, buttons, stated=stated)
