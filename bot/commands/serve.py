"""`serve`: the ASGI app (webhooks, health) on a host and port."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.app import App, build_channels
from bot.commands.common import cli_text, help_text
from bot.config import Settings
from bot.runtime import serve, shared_port_socket, supervise_workers


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("serve", help=help_text("cli.help.serve.1"))
    parser.add_argument("--host", help=help_text("cli.help.serve.2"))
    parser.add_argument("--port", type=int, help=help_text("cli.help.serve.3"))
    parser.add_argument("--workers", type=int, default=1, help=help_text("cli.help.serve.4"))
    parser.add_argument("--shared-port", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=_serve)


async def _serve(args: argparse.Namespace, settings: Settings) -> int:
    host, port = args.host or settings.host, args.port or settings.port
    if args.workers > 1:
        if settings.database_url is None:
            print(
                cli_text(settings.default_locale)("cli.serve.workers_need_postgres"),
                file=sys.stderr,
            )
            return 2
        # Migrate, load the shipped data and cache the model once, before the workers start.
        await (await App.create(settings)).close()
        argv = ["serve", "--host", host, "--port", str(port), "--shared-port"]
        return await supervise_workers(argv, args.workers)
    app = await App.create(settings)
    try:
        await serve(
            app,
            build_channels(app),
            host=host,
            port=port,
            sock=shared_port_socket(host, port) if args.shared_port else None,
        )
    finally:
        # A second Ctrl-C while closing cancels this task: the store is still closed to the
        # end (its queued writes, connections and threads), then the cancellation goes on.
        closing = asyncio.ensure_future(app.close())
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError:
            await closing
            raise
    return 0
