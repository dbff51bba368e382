"""How to claim each program: the documents for the user's situation and the way to go
(JMO app or branch office), from the claim rules in the fact store."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from bot.answers.facts import (
    Facts,
    answer,
    big_money,
    flag,
    money,
    more_button,
    need,
    number,
    optional,
    percent,
    wants_more,
)
from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Incoming, Reply
from bot.domain.understanding import Slots

router = Router("claims")

# `option` values for a JHT claim situation, with their document lists and button labels.
JHT_SITUATIONS: Final = (
    "resign",
    "phk",
    "age",
    "partial",
    "abroad",
    "disability",
    "death",
    "paklaring",
)
# Words that name the no-paklaring / closed-company situation in a typed question.
PAKLARING_WORDS: Final = re.compile(
    r"\b(?:paklaring|parklaring|surat\s+pengalaman|pkwt|kontrak\s+habis|tutup|bangkrut|pailit)"
)
# What the no-paklaring answer states beyond JHT_KEYS (services reference §10, §17.4).
PAKLARING_KEYS: Final = (
    "jht.resign_proof",
    "jht.paklaring_optional",
    "jht.pkwt_docs",
    "jht.closed_employer",
)
JHT_DOCUMENTS: Final = {
    "resign": N_("claims.jht.docs.resign"),
    "phk": N_("claims.jht.docs.phk"),
    "age": N_("claims.jht.docs.age"),
    "partial": N_("claims.jht.docs.partial"),
    "abroad": N_("claims.jht.docs.abroad"),
    "disability": N_("claims.jht.docs.disability"),
    "death": N_("claims.jht.docs.death"),
    "paklaring": N_("claims.jht.docs.paklaring"),
}
JHT_LABELS: Final = {
    "resign": N_("claims.jht.button.resign"),
    "phk": N_("claims.jht.button.phk"),
    "age": N_("claims.jht.button.age"),
    "partial": N_("claims.jht.button.partial"),
    "abroad": N_("claims.jht.button.abroad"),
    "disability": N_("claims.jht.button.disability"),
    "death": N_("claims.jht.button.death"),
    "paklaring": N_("claims.jht.button.paklaring"),
}
JHT_KEYS: Final = (
    "jht.waiting_months",
    "jht.full_age",
    "jht.payment_working_days",
    "jht.npwp_threshold",
    "jht.partial.retirement_percent",
    "jht.partial.housing_percent",
    "jht.partial.min_years",
    "jmo.jht_limit",
    "regulation.jht",
)
# Facts a situation's document list states beyond JHT_KEYS.
SITUATION_KEYS: Final = {"resign": ("jht.resign_proof",)}


def _channel_line(ctx: HandlerContext, facts: Facts, situation: str | None) -> str:
    """JMO when non-active, data updated and the balance under its limit; else Lapak Asik or a
    branch. A partial claim is made while still working, so never through JMO (FAQ #709)."""
    if situation == "partial":
        return ctx.t("claims.jht.channel_partial")
    limit = facts["jmo.jht_limit"]
    balance = ctx.slots.money
    if balance is None or balance <= 0:
        return ctx.t("claims.jht.channel", limit=money(ctx, limit))
    key = (
        "claims.jht.channel_jmo"
        if Decimal(balance) < limit.amount
        else "claims.jht.channel_branch"
    )
    return ctx.t(key, balance=ctx.fmt.money(balance), limit=money(ctx, limit))


N_("claims.jht.channel_jmo")
N_("claims.jht.channel_branch")


@router.intent(Intent.JHT_CLAIM)
async def jht_claim(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    situation = ctx.slots.option if ctx.slots.option in JHT_SITUATIONS else None
    if situation is None and PAKLARING_WORDS.search(msg.text.lower()):
        situation = "paklaring"
    if situation == "paklaring":
        return _paklaring(ctx)
    facts = need(ctx, *JHT_KEYS, *SITUATION_KEYS.get(situation or "", ()))
    values = {
        "waiting": number(ctx, facts["jht.waiting_months"]),
        "age": number(ctx, facts["jht.full_age"]),
        "days": number(ctx, facts["jht.payment_working_days"]),
        "npwp": big_money(ctx, facts["jht.npwp_threshold"]),
        "partial": percent(ctx, facts["jht.partial.retirement_percent"]),
        "housing": percent(ctx, facts["jht.partial.housing_percent"]),
        "min_years": number(ctx, facts["jht.partial.min_years"]),
    }
    channel = _channel_line(ctx, facts, situation)
    if situation is None:
        body = "\n".join(
            [ctx.t("claims.jht.summary", **values), channel, ctx.t("claims.jht.pick")]
        )
        buttons: list[Button] = [_situation_button(ctx, name, facts) for name in JHT_SITUATIONS]
        buttons.append(ctx.button(Intent.BALANCE_CHECK))
    else:
        body = "\n".join(
            [
                ctx.t(JHT_DOCUMENTS[situation], **values),
                channel,
                ctx.t("claims.jht.extra", **values),
            ]
        )
        buttons = [*ctx.buttons(Intent.JHT_CLAIM, Intent.JKP_BENEFIT, Intent.BALANCE_CHECK)]
    # The JMO conditions (FAQ #709) are cited from May 2025, when the Rp15 jt limit began.
    conditions = optional(ctx, "jmo.jht_conditions")
    basis = [facts["regulation.jht"], *([conditions] if conditions else [])]
    return answer(ctx, body, facts.all(), buttons, basis=basis)


def _paklaring(ctx: HandlerContext) -> list[Reply]:
    """Paklaring is not a formal requirement; a closed company is for the branch to decide."""
    extra = need(ctx, *PAKLARING_KEYS)
    body = ctx.t(
        JHT_DOCUMENTS["paklaring"],
        optional_mark=flag(extra["jht.paklaring_optional"]),
        closed_mark=flag(extra["jht.closed_employer"]),
    )
    buttons = [*ctx.buttons(Intent.JHT_CLAIM, Intent.MEMBERSHIP_STATUS, Intent.KPJ_LOST)]
    return answer(ctx, body, extra.all(), buttons, basis=[extra["jht.resign_proof"]])


def _situation_button(ctx: HandlerContext, name: str, facts: Facts) -> Button:
    slots = Slots(option=name, money=ctx.slots.money)
    label = ctx.t(JHT_LABELS[name], age=number(ctx, facts["jht.full_age"]))
    return ctx.button(Intent.JHT_CLAIM, slots, label=label)


@router.intent(Intent.JKK_CLAIM)
async def jkk_claim(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if wants_more(ctx):
        facts = need(ctx, "jkk.suspected_decision_days", "regulation.jkk")
        body = ctx.t(
            "claims.jkk.more",
            days=number(ctx, facts["jkk.suspected_decision_days"]),
            ask=ctx.call_centre_text(),
        )
        back = ctx.buttons(Intent.JKK_BENEFIT, Intent.CONTACT)
        return answer(ctx, body, facts.all(), back, basis=[facts["regulation.jkk"]])
    facts = need(ctx, "jkk.report_hours", "regulation.jkk")
    body = ctx.t("claims.jkk.summary", hours=number(ctx, facts["jkk.report_hours"]))
    buttons = [
        more_button(ctx, Intent.JKK_CLAIM),
        *ctx.buttons(Intent.JKK_BENEFIT, Intent.CONTACT),
    ]
    return answer(
        ctx, body, facts.all(), buttons, basis=[facts["regulation.jkk"], facts["jkk.report_hours"]]
    )


@router.intent(Intent.JKM_CLAIM)
async def jkm_claim(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, "regulation.jkm", "jkm.active_membership")
    body = ctx.t("claims.jkm.summary", ask=ctx.call_centre_text())
    buttons = ctx.buttons(Intent.JKM_BENEFIT, Intent.SCHOLARSHIP, Intent.CONTACT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["regulation.jkm"]])


@router.intent(Intent.JP_CLAIM)
async def jp_claim(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, "jp.claim", "jp.min_years", "jp.pension_age", "jp.deferral_max_years")
    body = ctx.t(
        "claims.jp.summary",
        min_years=number(ctx, facts["jp.min_years"]),
        age=number(ctx, facts["jp.pension_age"]),
        deferral=number(ctx, facts["jp.deferral_max_years"]),
        ask=ctx.call_centre_text(),
    )
    buttons = ctx.buttons(Intent.JP_BENEFIT, Intent.JHT_CLAIM, Intent.CONTACT)
    return answer(ctx, body, facts.all(), buttons, basis=[facts["jp.claim"]])


@router.intent(Intent.JKP_CLAIM)
async def jkp_claim(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    facts = need(ctx, "channel.siapkerja", "jkp.claim_deadline_months", "regulation.jkp")
    body = ctx.t("claims.jkp.summary", deadline=number(ctx, facts["jkp.claim_deadline_months"]))
    buttons = ctx.buttons(Intent.JKP_BENEFIT, Intent.JHT_CLAIM, Intent.CONTACT)
    basis = [facts["jkp.claim_deadline_months"], facts["channel.siapkerja"]]
    return answer(ctx, body, facts.all(), buttons, basis=basis)
