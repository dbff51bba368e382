"""Composition root: builds the store, understanding, catalogues and dispatcher; runs channels."""

from __future__ import annotations

import asyncio
import gc
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.announcements.config import BroadcastConfig, publish_config
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.i18n import Catalogues
from bot.nlu.pipeline import NluUnderstander, default_model
from bot.nlu.understanding import PlaceFinder, Understander
from bot.regions.finder import RegionFinder
from bot.store import Store
from handlers import ROUTERS

if TYPE_CHECKING:
    from bot.channels.base import Channel

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


@dataclass(slots=True)
class App:
    settings: Settings
    store: Store
    dispatcher: Dispatcher

    @classmethod
    async def create(cls, settings: Settings, *, place_finder: PlaceFinder | None = None) -> App:
        """`place_finder` defaults to an index built from the store's gazetteer (~0.5 s)."""
        store = await Store.open(settings.database_path)
        try:
            finder = place_finder or await RegionFinder.from_store(store)
            catalogues, understander = await asyncio.gather(
                asyncio.to_thread(Catalogues.load),
                asyncio.to_thread(build_understander, finder, settings.data_dir / "cache"),
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
            default_locale=settings.default_locale,
        )
        # The chat preview of an announcement shows durations at the configured rates (H7).
        await publish_config(store, BroadcastConfig.from_settings(settings))
        return cls(settings=settings, store=store, dispatcher=dispatcher)

    async def close(self) -> None:
        await self.store.close()


async def run(settings: Settings) -> None:
    """The main job: configured channels, or the console chat when none is configured.

    Channels that need a webhook (WhatsApp; Telegram with a public URL) are served by the
    ASGI app; otherwise they run on their own (Telegram long polling) until interrupted.
    """
    from bot.channels import build_channels
    from bot.channels.console import ConsoleChat

    app = await App.create(settings)
    try:
        channels = build_channels(app)
        if not channels:
            await ConsoleChat(app.dispatcher).run()
        elif any(channel.routes() for channel in channels):
            from bot.web import serve

            await serve(app, channels, host=settings.host, port=settings.port)
        else:
            await _run_until_interrupted(app, channels)
    finally:
        await app.close()


def freeze_startup_heap() -> None:
    """Leave what start-up built (gazetteer, model, catalogues) out of the cyclic garbage
    collector's passes from now on (`gc.freeze`).

    Those tens of thousands of long-lived objects made every full collection a pause of
    about 25 ms for all the answers in flight; they live as long as the process anyway.
    """
    gc.collect()
    gc.freeze()


async def _run_until_interrupted(app: App, channels: list[Channel]) -> None:
    from bot.announcements.worker import OutboxWorker
    from bot.ops.housekeeping import Housekeeping

    freeze_startup_heap()
    started: list[Channel] = []
    outbox = OutboxWorker.for_app(app, channels)  # announcements (H7)
    housekeeping = Housekeeping.for_app(app)  # log-retention purge, error counting (H8)
    await housekeeping.start()
    try:
        for channel in channels:
            await channel.start()
            started.append(channel)
        await outbox.start()
        await asyncio.Event().wait()
    finally:
        await outbox.stop()
        for channel in reversed(started):
            await channel.stop()
        await housekeeping.stop()
