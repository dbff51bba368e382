"""Answering one understood message: each of its questions in order, and the guards that ask
before acting (a setting changed without an explicit command, a mistyped amount).

The dispatcher calls `answer_all` once a message is understood; handlers stay one intent each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.core.context import HandlerContext
from bot.core.i18n import Catalogues, Translator
from bot.core.routing import Handler
from bot.domain.facts import FactMissing
from bot.domain.intents import SETTINGS, Intent
from bot.domain.messages import Incoming, Reply
from bot.domain.understanding import Understanding

MAX_ANSWERS = 3


def confirmation(ctx: HandlerContext) -> Reply | None:
    """A one-tap question instead of an answer, or None to answer.

    A setting (announcements, language) changes at once on a short explicit command ("stop",
    "english") or a button; a request read by the classifier is confirmed first. An amount that
    looks mistyped ("gaji 4500") is asked back ("Maksud Anda Rp 4.500.000?").
    """
    understanding = ctx.understanding
    t = ctx.t
    if understanding.intent in SETTINGS and not understanding.explicit:
        yes = ctx.button(understanding.intent, understanding.slots, label=t("confirm.yes"))
        no = ctx.button(Intent.HELP, label=t("confirm.no"))
        return Reply(text=t(f"confirm.{understanding.intent.value}"), buttons=(yes, no))
    guess = understanding.money_guess
    if guess is not None:
        meant = replace(understanding.slots, money=guess)
        yes = ctx.button(understanding.intent, meant, label=t("confirm.yes"))
        no = ctx.button(Intent.HELP, label=t("confirm.no"))
        text = t("confirm.money", amount=ctx.fmt.money(guess))
        return Reply(text=text, buttons=(yes, no))
    return None


async def answer_all(
    msg: Incoming,
    ctx: HandlerContext,
    handlers: Mapping[Intent, Handler],
    *,
    typed: bool,
) -> list[Reply]:
    """The replies to every question of the message, in the order asked (at most three).

    `typed`: the message was typed (a button's choice is explicit and never asked back).
    Each question gets the reply its intent gives on its own; a further question whose reading
    is unsure (`clarify`) or is a setting is left out rather than guessed.
    """
    understanding = ctx.understanding
    questions = [understanding, *understanding.more][:MAX_ANSWERS]
    replies: list[Reply] = []
    for n, question in enumerate(questions):
        if n and (question.clarify or question.intent in SETTINGS):
            continue
        one = replace(ctx, understanding=replace(question, more=()))
        asked = confirmation(one) if typed else None
        if asked is not None:
            replies.append(asked)
            continue
        handler = handlers.get(question.intent, handlers[Intent.FALLBACK])
        try:
            replies.extend(await handler(msg, one))
        except FactMissing:  # logged where it was found missing; never a guessed figure
            replies.extend(one.unknown_reply())
    return replies


def message_translator(
    catalogues: Catalogues, t: Translator, chosen: str | None, understanding: Understanding
) -> Translator:
    """The message's own language (an English question is answered in English) unless the
    person chose a language; else `t`."""
    wanted = understanding.locale
    if chosen is not None or wanted is None or wanted == t.locale:
        return t
    return catalogues.translator(wanted)


def language_note(ctx: HandlerContext, locale: str) -> list[Reply]:
    """After answering in the message's language rather than the person's: how to keep it."""
    if ctx.t.locale == locale or ctx.t.locale != "en":
        return []
    return [Reply(text=ctx.t("language.keep_english"))]
