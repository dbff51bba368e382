"""Running the bot: the main job (channels or the console chat), the web server, shutdown.

`bot.app` builds; this module starts things in order and stops them in reverse.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Sequence

import uvicorn

from bot.app import App, build_channels
from bot.channels.console import ConsoleChat
from bot.config import Settings
from bot.core.delivery import Channel
from bot.web import create_web_app, housekeeping_of, outbox_of, relay_of

log = logging.getLogger(__name__)


async def run(settings: Settings) -> None:
    """The main job: configured channels, or the console chat when none is configured.

    Channels that need a webhook (WhatsApp; Telegram with a public URL) are served by the
    ASGI app; otherwise they run on their own (Telegram long polling) until interrupted.
    """
    app = await App.create(settings)
    try:
        channels = build_channels(app)
        if not channels:
            await ConsoleChat(app.dispatcher).run()
        elif any(channel.routes() for channel in channels):
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


async def serve(app: App, channels: Sequence[Channel], *, host: str, port: int) -> None:
    """Run the ASGI app with uvicorn on the current event loop until interrupted."""
    config = uvicorn.Config(
        create_web_app(app, channels),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
    log.info("serving on %s:%d", host, port)
    server = uvicorn.Server(config)
    freeze_startup_heap()
    await server.serve()


async def _run_until_interrupted(app: App, channels: list[Channel]) -> None:
    freeze_startup_heap()
    started: list[Channel] = []
    outbox = outbox_of(app, channels)  # announcements
    relay = relay_of(app, channels)  # tickets: staff notifications and answers
    housekeeping = housekeeping_of(app)  # log-retention purge, error counting
    await housekeeping.start()
    try:
        for channel in channels:
            await channel.start()
            started.append(channel)
        await outbox.start()
        await relay.start()
        await asyncio.Event().wait()
    finally:
        await relay.stop()
        await outbox.stop()
        for channel in reversed(started):
            await channel.stop()
        await housekeeping.stop()
