"""Ask an intent the way a button press does, on a fixed day, and read the reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.app import App
from bot.intents import Intent
from bot.messages import ChatRef, Incoming, Reply
from bot.nlu.understanding import Slots
from bot.payload import encode

TODAY = date(2026, 11, 23)


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
