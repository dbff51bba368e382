"""Running the bot: the main job (channels or the console chat), the web server, shutdown.

`bot.app` builds; this module starts things in order and stops them in reverse.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import socket
import sys
from collections.abc import Sequence

import uvicorn

from bot.app import App, build_channels
from bot.channels.console import ConsoleChat
from bot.channels.http_server import server_config
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
            freeze_startup_heap()
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


async def serve(
    app: App,
    channels: Sequence[Channel],
    *,
    host: str,
    port: int,
    sock: socket.socket | None = None,
) -> None:
    """Run the ASGI app with uvicorn on the current event loop until interrupted; `sock`:
    a socket bound already (a worker of `serve --workers N` sharing the port)."""
    # Header and body deadlines, keep-alive and concurrency limits: bot.channels.http_server.
    config = server_config(create_web_app(app, channels), host=host, port=port, lifespan="on")
    log.info("serving on %s:%d", host, port)
    server = uvicorn.Server(config)
    freeze_startup_heap()
    # uvicorn stops on SIGTERM/SIGINT, then raises the signal again with the handlers it found:
    # SIGTERM's default would end the process before the store is closed (queued writes,
    # connections), and asyncio's SIGINT handler would cancel the closing. The signal has
    # done its work by then: the handlers uvicorn finds take note of it and nothing more.
    stopping = (signal.SIGTERM, signal.SIGINT)
    previous = {signum: signal.getsignal(signum) for signum in stopping}
    for signum in stopping:
        signal.signal(signum, _already_stopping)
    try:
        await server.serve(sockets=[sock] if sock is not None else None)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _already_stopping(signum: int, frame: object) -> None:
    log.info("stopped by signal %d", signum)


def shared_port_socket(host: str, port: int) -> socket.socket:
    """A listening socket several processes bind at once (SO_REUSEPORT: the kernel spreads
    the connections over them)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


async def supervise_workers(worker_argv: Sequence[str], workers: int) -> int:
    """Run `workers` processes of `python -m bot <worker_argv>`; one that dies (kill -9,
    a crash) is started again after a second; SIGTERM/SIGINT stop them all."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    running: dict[int, asyncio.subprocess.Process] = {}

    async def keep(slot: int) -> None:
        while not stopping.is_set():
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *worker_argv
            )
            running[slot] = process
            log.info("worker %d started (pid %d)", slot, process.pid)
            code = await process.wait()
            if not stopping.is_set():
                log.warning(
                    "worker %d (pid %d) ended with %s; restarting", slot, process.pid, code
                )
                await asyncio.sleep(1.0)

    keepers = [asyncio.create_task(keep(slot)) for slot in range(workers)]
    await stopping.wait()
    for process in running.values():
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
    await asyncio.gather(*(process.wait() for process in running.values()))
    for keeper in keepers:
        keeper.cancel()
    await asyncio.gather(*keepers, return_exceptions=True)
    return 0


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
