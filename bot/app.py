"""Composition root: builds the store, understanding, catalogues and dispatcher; runs channels."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.i18n import Catalogues
from bot.nlu.rules import PhraseRules, RuleUnderstander, load_intent_data
from bot.nlu.understanding import Understander
from bot.store import Store
from handlers import ROUTERS

log = logging.getLogger(__name__)


def build_understander() -> Understander:
    """Blocking (reads the shipped intents file): call at start-up, off the event loop."""
    return RuleUnderstander(PhraseRules(load_intent_data()))


@dataclass(slots=True)
class App:
    settings: Settings
    store: Store
    dispatcher: Dispatcher

    @classmethod
    async def create(cls, settings: Settings) -> App:
        store = await Store.open(settings.database_path)
        try:
            catalogues, understander = await asyncio.gather(
                asyncio.to_thread(Catalogues.load), asyncio.to_thread(build_understander)
            )
        except BaseException:
            await store.close()
            raise
        dispatcher = Dispatcher(
            store=store,
            understander=understander,
            catalogues=catalogues,
            routers=ROUTERS,
            admins=settings.admins,
            timezone=settings.timezone,
            max_message_chars=settings.max_message_chars,
        )
        return cls(settings=settings, store=store, dispatcher=dispatcher)

    async def close(self) -> None:
        await self.store.close()


async def run(settings: Settings) -> None:
    """The main job: configured channels, or the console chat when none is configured."""
    from bot.channels.console import ConsoleChat

    app = await App.create(settings)
    try:
        await ConsoleChat(app.dispatcher).run()
    finally:
        await app.close()
