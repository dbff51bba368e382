"""HandlerContext: everything a handler may use, bound to one user and one message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.config import Settings
from bot.core.formatting import Formatter
from bot.core.i18n import Translator
from bot.core.payload import encode
from bot.domain.intents import Intent
from bot.domain.messages import Button, Reply
from bot.domain.roles import Role
from bot.domain.understanding import Slots, Understanding
from bot.store import Fact, Store, Unknown, User

MAIN_MENU: tuple[Intent, ...] = (
    Intent.PROGRAM_OVERVIEW,
    Intent.CONTRIBUTION_PU,
    Intent.CONTRIBUTION_BPU,
    Intent.JHT_CLAIM,
    Intent.JKP_BENEFIT,
    Intent.ELIGIBILITY,
    Intent.VILLAGE_TARGET,
    Intent.COVERAGE_REGION,
    Intent.SUBSCRIBE,
    Intent.CONTACT,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class HandlerContext:
    store: Store
    user: User
    role: Role
    understanding: Understanding
    previous: Understanding | None
    t: Translator
    fmt: Formatter
    today: date
    settings: Settings

    @property
    def slots(self) -> Slots:
        return self.understanding.slots

    @property
    def locale(self) -> str:
        return self.t.locale

    def button(self, intent: Intent, slots: Slots | None = None, *, label: str = "") -> Button:
        """A button that asks `intent`; labelled `button.<intent>` unless `label` is given."""
        return Button(
            title=label or self.t(f"button.{intent.value}"), payload=encode(intent, slots)
        )

    def buttons(self, *intents: Intent) -> tuple[Button, ...]:
        return tuple(self.button(intent) for intent in intents)

    def menu_buttons(self) -> tuple[Button, ...]:
        return self.buttons(*MAIN_MENU)

    def fact(self, key: str) -> Fact | Unknown:
        """The fact in force today, or Unknown (which answers must turn into "call 175")."""
        return self.store.facts.current(key, self.today)

    def call_centre_text(self) -> str:
        """ "Ask call centre 175", with the number taken from the fact store."""
        phone = self.fact("contact.call_centre")
        if isinstance(phone, Unknown):
            return self.t("facts.ask_branch")
        return self.t("facts.ask_call_centre", phone=phone.amount)

    def unknown_reply(self) -> list[Reply]:
        """The honest answer without a figure: the bot does not know; ask call centre 175."""
        return [Reply(text=self.unknown_text(), buttons=self.buttons(Intent.CONTACT, Intent.HELP))]

    def unknown_text(self) -> str:
        """What the bot says instead of a figure it does not have."""
        return self.t("facts.unknown", ask=self.call_centre_text())

    def source_line(self, *facts: Fact | Unknown) -> str:
        """`Sumber: PP 82/2019; PP 6/2025`, naming each source once, in the order given."""
        names: list[str] = []
        for fact in facts:
            if not isinstance(fact, Fact):
                continue
            # A source may name several ("PP 37/2021; PP 6/2025"): each is named once, and a
            # bare "PP 37/2021" is not repeated beside "PP 37/2021 jo. PP 6/2025".
            for part in (name.strip() for name in fact.source.split(";")):
                if not part or any(_names(name, part) for name in names):
                    continue
                wider = [i for i, name in enumerate(names) if _names(part, name)]
                if wider:
                    names[wider[0]] = part
                    names = [n for i, n in enumerate(names) if i not in wider[1:]]
                else:
                    names.append(part)
        return self.t("facts.source", sources="; ".join(names)) if names else ""


def _names(source: str, part: str) -> bool:
    """Whether `source` ("PP 37/2021 jo. PP 6/2025") already names `part` ("PP 37/2021")."""
    return re.search(rf"(?<![\w/.]){re.escape(part)}(?![\w/])", source) is not None
