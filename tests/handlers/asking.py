"""Ask an intent the way a button press does, on a fixed day, and read the reply."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from bot.app import App
from bot.core.payload import encode
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming, Reply
from bot.domain.understanding import Slots
from bot.store.models import FactStatus

TODAY = date(2026, 11, 23)
RAW_KEY = re.compile(r"\b(answer|benefits|claims|contributions|membership|information)\.[a-z]")


@dataclass
class Answer:
    replies: list[Reply]

    @property
    def text(self) -> str:
        return "\n\n".join(reply.text for reply in self.replies)

    @property
    def titles(self) -> list[str]:
        return [button.title for reply in self.replies for button in reply.buttons]

    @property
    def payloads(self) -> list[str]:
        return [button.payload for reply in self.replies for button in reply.buttons]


async def ask(
    app: App,
    intent: Intent,
    slots: Slots | None = None,
    *,
    on: date = TODAY,
    locale: str = "id",
    user: str = "asker",
) -> Answer:
    """Press a button asking `intent` with `slots`, as user `user` speaking `locale`."""
    app.dispatcher.today = lambda: on  # type: ignore[method-assign]
    person = await app.store.people.touch("console", user)
    if person.locale != locale:
        await app.store.people.set_locale(person.id, locale)
    chat = ChatRef(channel="console", user_id=user, chat_id=user)
    replies = await app.dispatcher.handle(Incoming(chat=chat, payload=encode(intent, slots)))
    return Answer(replies)


async def forget(app: App, key: str) -> None:
    """Remove every period of one shipped fact, as if the seed never had it."""
    kept = [fact for fact in app.store.facts.all() if fact.key != key]
    await app.store.facts.replace_origin("seed", kept)


async def restate(app: App, key: str, status: FactStatus) -> None:
    """Give every period of one shipped fact another status (e.g. "uncertain")."""
    kept = [
        replace(fact, status=status) if fact.key == key else fact for fact in app.store.facts.all()
    ]
    await app.store.facts.replace_origin("seed", kept)


async def forget_all(app: App) -> None:
    """An empty fact store: every answer must fall back to "not known, call 175"."""
    await app.store.facts.replace_origin("seed", [])


async def assert_no_figures_without_facts(
    app: App, intents: Iterable[Intent], slots: Slots | None = None
) -> None:
    """With an empty fact store each of `intents` says it does not know, and states no figure."""
    await forget_all(app)
    for intent in intents:
        answer = await ask(app, intent, slots)
        assert "belum bisa saya pastikan" in answer.text, (intent, answer.text)
        assert not any(ch.isdigit() for ch in answer.text), (intent, answer.text)


def assert_well_formed(answer: Answer) -> None:
    """Filled placeholders, no raw message keys, short enough, buttons within limits."""
    assert answer.replies and answer.text.strip()
    assert "{" not in answer.text and "}" not in answer.text
    assert not RAW_KEY.search(answer.text), answer.text
    assert len(answer.text) < 600, (len(answer.text), answer.text)
    assert all(0 < len(title) <= 20 for title in answer.titles), answer.titles


def assert_unknown_without_figures(answer: Answer) -> None:
    """The honest "I do not know" answer: call centre 175, and no other number at all."""
    assert "175" in answer.text
    assert not any(ch.isdigit() for ch in answer.text.replace("175", "")), answer.text
    assert "Rp" not in answer.text
