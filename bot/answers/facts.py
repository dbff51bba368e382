"""Shared building blocks of fact-based answers: required facts, flagged figures, the
"Selengkapnya" button, caveats and the closing source line (no router: not a topic)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from bot.answers.calculators.contributions import BpuRates
from bot.core.context import HandlerContext
from bot.domain.facts import FactMissing
from bot.domain.intents import Intent
from bot.domain.messages import Button, Reply
from bot.domain.understanding import Slots
from bot.store import Fact, Unknown

log = logging.getLogger(__name__)

MORE = "more"  # `option` slot value: the detailed version of an answer

# The facts behind a non-wage earner's (BPU) contribution, see `bpu_rates`.
BPU_KEYS: Final = (
    "bpu.min_income",
    "bpu.jkk.rate",
    "bpu.jkk.min",
    "bpu.jkk.max",
    "bpu.jkm",
    "bpu.jht.rate",
)


@dataclass(frozen=True, slots=True)
class Facts:
    """The facts one answer needs, all present (see `need`)."""

    by_key: Mapping[str, Fact]

    def __getitem__(self, key: str) -> Fact:
        return self.by_key[key]

    def all(self) -> list[Fact]:
        return list(self.by_key.values())


def need(ctx: HandlerContext, *keys: str) -> Facts:
    """Every fact in force today for `keys`; raises `FactMissing` when one is missing, which
    the dispatcher answers with "I don't know, ask call centre 175" (never a guess)."""
    found: dict[str, Fact] = {}
    for key in keys:
        fact = ctx.fact(key)
        if isinstance(fact, Unknown):
            log.warning("fact missing key=%s on=%s", key, ctx.today)
            raise FactMissing(key)
        found[key] = fact
    return Facts(found)


def optional(ctx: HandlerContext, key: str) -> Fact | None:
    """A fact that only adds to an answer when in force (e.g. a temporary discount)."""
    fact = ctx.fact(key)
    return fact if isinstance(fact, Fact) else None


def active_discount(ctx: HandlerContext, key: str) -> Fact | None:
    """A discount in force today with a non-zero rate (a 0 row records that relief ended)."""
    fact = optional(ctx, key)
    return fact if fact is not None and fact.value else None


def bpu_rates(facts: Facts, discount: Fact | None = None) -> BpuRates:
    """The BPU calculator's rates from facts that include every key of BPU_KEYS."""
    return BpuRates(
        min_income=facts["bpu.min_income"],
        jkk_rate=facts["bpu.jkk.rate"],
        jkk_min=facts["bpu.jkk.min"],
        jkk_max=facts["bpu.jkk.max"],
        jkm=facts["bpu.jkm"],
        jht_rate=facts["bpu.jht.rate"],
        discount=discount,
    )


# Marks after a figure that is not vetted: sources differ (uncertain) or only secondary sources.
MARKS: Final = {"uncertain": "*", "secondary": "**"}


def flag(fact: Fact) -> str:
    """A mark after a figure that is uncertain ("*") or read only in secondary sources ("**")."""
    return MARKS.get(fact.status, "") if fact.status != "vetted" else ""


def money(ctx: HandlerContext, fact: Fact) -> str:
    return ctx.fmt.money(fact.amount) + flag(fact)


def big_money(ctx: HandlerContext, fact: Fact) -> str:
    return ctx.fmt.money_short(fact.amount) + flag(fact)


def percent(ctx: HandlerContext, fact: Fact) -> str:
    return ctx.fmt.percent(fact.amount) + flag(fact)


def number(ctx: HandlerContext, fact: Fact) -> str:
    return ctx.fmt.number(fact.amount) + flag(fact)


def rupiah(ctx: HandlerContext, amount: Decimal | int, *facts: Fact) -> str:
    """A computed sum, flagged when any fact behind it is not vetted (uncertain first)."""
    marks = {flag(fact) for fact in facts}
    mark = next((m for m in MARKS.values() if m in marks), "")
    return ctx.fmt.money(amount) + mark


def wants_more(ctx: HandlerContext) -> bool:
    return ctx.slots.option == MORE


def more_button(ctx: HandlerContext, intent: Intent) -> Button:
    """Re-asks `intent` with the same slots and option=more."""
    return ctx.button(intent, ctx.slots.merged(Slots(option=MORE)), label=ctx.t("answer.more"))


def caveat(ctx: HandlerContext, facts: Iterable[Fact]) -> str:
    """Why some figures carry "*" or "**" (both notes when both appear), or "" when vetted."""
    statuses = {fact.status for fact in facts}
    uncertain, secondary = "uncertain" in statuses, "secondary" in statuses
    ask = ctx.call_centre_text()
    if uncertain and secondary:
        return ctx.t("answer.caveat.both", ask=ask)
    if uncertain:
        return ctx.t("answer.caveat.uncertain", ask=ask)
    if secondary:
        return ctx.t("answer.caveat.secondary", ask=ask)
    return ""


def answer(
    ctx: HandlerContext,
    body: str,
    facts: Iterable[Fact],
    buttons: Iterable[Button] = (),
    *,
    basis: Iterable[Fact] | None = None,
) -> list[Reply]:
    """One reply: the body, a caveat when a stated figure is not vetted, and the source line.

    `facts` are those whose figures appear in `body`. The source line names `basis` (the legal
    basis of the answer) and every stated fact that is not vetted, so a reader sees where an
    uncertain figure comes from; without `basis` it names every fact.
    """
    stated = list(facts)
    parts = [body]
    note = caveat(ctx, stated)
    if note:
        parts.append(note)
    if basis is None:
        cited = stated
    else:
        cited = [*basis, *(fact for fact in stated if fact.status != "vetted")]
    source = ctx.source_line(*cited)
    if source:
        parts.append(source)
    return [Reply(text="\n".join(parts), buttons=tuple(buttons))]
