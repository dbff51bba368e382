"""Shared parts of the service and account help answers (no router: not a topic).

The bot cannot see anyone's account, claim or data: these answers give the general rule and
the right channel, warn a user who sends personal numbers, and offer a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from bot.answers.facts import Facts, answer, flag, more_button, need, number
from bot.core.context import HandlerContext
from bot.domain.intents import Intent
from bot.domain.messages import Button, Incoming, Reply
from bot.domain.understanding import Slots
from bot.logs import redact

# The facts behind "call 175" and "a branch office" wherever these answers name them.
CHANNEL_KEYS: Final = (
    "contact.call_centre",
    "contact.call_centre.hours_per_day",
    "contact.call_centre.scope",
    "contact.branch.opens",
    "contact.branch.closes",
)

# An OTP, PIN or password typed next to its name ("otp 123456", "pin saya 1234"), or a date
# of birth (12-03-1990). Long numbers (NIK, KPJ, phone, bank account) are caught by `redact`,
# the same rule that keeps them out of the logs.
_SECRET_CODE = re.compile(
    r"\b(?:otp|pin|kode|sandi|password|pass|pw)\b\D{0,20}\d{4,8}\b", re.IGNORECASE
)
_BIRTH_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}\b")


def shares_private_data(text: str) -> bool:
    """Whether a message holds a NIK, KPJ, phone or account number, a code or a birth date."""
    if not text:
        return False
    return redact(text) != text or bool(_SECRET_CODE.search(text) or _BIRTH_DATE.search(text))


def privacy_warning(ctx: HandlerContext, msg: Incoming) -> list[Reply]:
    """A first reply asking the user to delete what they sent, or nothing."""
    if not shares_private_data(msg.text):
        return []
    return [Reply(text=ctx.t("service.privacy.warning"))]


def pick(ctx: HandlerContext, msg: Incoming, words: Mapping[str, Sequence[str]]) -> str | None:
    """The sub-case a button carries (`option`), else the first whose words the text holds.

    `words` are regular expressions matched on the lowercased text, tried in order.
    """
    option = ctx.slots.option
    if option in words:
        return option
    text = msg.text.lower()
    for name, patterns in words.items():
        if any(re.search(rf"\b{pattern}", text) for pattern in patterns):
            return name
    return None


def staff_button(ctx: HandlerContext) -> Button:
    """ "Tanya petugas": asks `human_agent`, which names the people who can act."""
    return ctx.button(Intent.HUMAN_AGENT, label=ctx.t("service.button.staff"))


def case_button(ctx: HandlerContext, intent: Intent, option: str, label_key: str) -> Button:
    return ctx.button(intent, Slots(option=option), label=ctx.t(label_key))


def channel_values(ctx: HandlerContext, facts: Facts) -> dict[str, str]:
    """`{call_centre}` and `{branch}`: 175 with its hours and scope, a branch with its hours."""
    phone = facts["contact.call_centre"]
    hours = facts["contact.call_centre.hours_per_day"]
    opens, closes = facts["contact.branch.opens"], facts["contact.branch.closes"]
    return {
        "call_centre": ctx.t(
            "service.channel.call_centre", phone=str(phone.amount), hours=number(ctx, hours)
        ),
        "branch": ctx.t(
            "service.channel.branch",
            opens=ctx.fmt.clock(opens.amount) + flag(opens),
            closes=ctx.fmt.clock(closes.amount) + flag(closes),
        ),
        "phone": str(phone.amount),
    }


def need_with_channels(ctx: HandlerContext, *keys: str) -> Facts:
    """`keys` plus the channel facts (`FactMissing` when any is missing: "call 175")."""
    return need(ctx, *dict.fromkeys((*keys, *CHANNEL_KEYS)))


def marks(facts: Facts, **keys: str) -> dict[str, str]:
    """`{name: "*"/"**"/""}` for facts whose status the sentence must show (e.g. `closed_mark`)."""
    return {name: flag(facts[key]) for name, key in keys.items()}


def respond(
    ctx: HandlerContext,
    msg: Incoming,
    body: str,
    facts: Facts,
    buttons: Iterable[Button],
    *,
    stated: Iterable[str] | None = None,
) -> list[Reply]:
    """The privacy warning when due, then the answer citing every fact (source and date).

    `stated` narrows the facts whose status and source the answer shows to those keys
    (the channel facts are always cited: the answer names them).
    """
    keys = list(dict.fromkeys((*(stated or facts.by_key), *CHANNEL_KEYS)))
    cited = [facts[key] for key in keys if key in facts.by_key]
    return [*privacy_warning(ctx, msg), *answer(ctx, body, cited, buttons)]


def more_and_staff(ctx: HandlerContext, intent: Intent, *extra: Intent) -> list[Button]:
    return [more_button(ctx, intent), *ctx.buttons(*extra), staff_button(ctx)]
