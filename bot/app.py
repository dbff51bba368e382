"""Composition root: builds the store, understanding, catalogues, dispatcher and channels.

It wires; it runs nothing (`bot.runtime` does). Every dependency is handed to its user in a
constructor here, so no layer below reaches back for an `App`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.core.delivery import Channel
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Catalogues
from bot.domain.understanding import PlaceFinder, Understander, Understanding
from bot.nlu.artefact import default_model
from bot.nlu.understander import NluUnderstander
from bot.regions.finder import RegionFinder
from bot.store import Store
from handlers import ROUTERS

log = logging.getLogger(__name__)


def build_understander(
    place_finder: PlaceFinder | None = None, cache_dir: Path | None = None
) -> Understander:
    """Blocking (reads the shipped intents file): call at start-up, off the event loop.

    `place_finder` finds region and village names in messages (the gazetteer index). The
    intent model is trained once per process and shared; `cache_dir` keeps the trained
    artefact between runs (keyed by a digest of the data and code) for a fast start.
    """
    return NluUnderstander(default_model(cache_dir), place_finder)


class SendingOnly:
    """The understander of a process that only sends announcements (`broadcast send`).

    Such a process never reads a message, so it loads neither the language model nor the
    gazetteer; a message reaching it anyway is a wiring error, reported loudly.
    """

    def understand(
        self, text: str, *, previous: Understanding | None = None, today: date | None = None
    ) -> Understanding:
        raise RuntimeError("this process only sends announcements; it does not read messages")


@dataclass(slots=True)
class App:
    settings: Settings
    store: Store
    dispatcher: Dispatcher

    @classmethod
    async def create(
        cls,
        settings: Settings,
        *,
        place_finder: PlaceFinder | None = None,
        understanding: bool = True,
    ) -> App:
        """`place_finder` defaults to an index built from the store's gazetteer (~0.5 s);
        `understanding=False` builds a sender-only app (no model, no gazetteer)."""
        store = await Store.open(
            settings.database_target,
            files=settings.data_dir,
            pool_size=settings.database_pool_size,
        )
        try:
            understander: Understander
            if understanding:
                finder = place_finder or await RegionFinder.load(store.regions)
                catalogues, understander = await asyncio.gather(
                    asyncio.to_thread(Catalogues.load),
                    asyncio.to_thread(build_understander, finder, settings.data_dir / "cache"),
                )
            else:
                catalogues = await asyncio.to_thread(Catalogues.load)
                understander = SendingOnly()
            dispatcher = Dispatcher(
                store=store,
                understander=understander,
                catalogues=catalogues,
                routers=ROUTERS,
                admins=settings.admins,
                timezone=settings.timezone,
                max_message_chars=settings.max_message_chars,
                default_locale=settings.default_locale,
                settings=settings,
            )
        except BaseException:  # an open store keeps the process alive: close it first
            await store.close()
            raise
        return cls(settings=settings, store=store, dispatcher=dispatcher)

    async def close(self) -> None:
        await self.store.close()


def build_channels(app: App) -> list[Channel]:
    """The channels whose credentials are configured, created but not started.

    Each platform package is imported only when configured (python-telegram-bot and pywa
    are not loaded by a bot that does not use them).
    """
    settings = app.settings
    channels: list[Channel] = []
    if settings.telegram_enabled:
        from bot.channels.telegram.channel import create as telegram

        channels.append(telegram(settings, app.store, app.dispatcher))
    if settings.whatsapp_enabled:
        from bot.channels.whatsapp.channel import create as whatsapp

        channels.append(whatsapp(settings, app.store, app.dispatcher))
    return channels
