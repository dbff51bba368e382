"""`serve`: the ASGI app (webhooks, health) on a host and port."""

from __future__ import annotations

import argparse

from bot.app import App, build_channels
from bot.commands.common import help_text
from bot.config import Settings
from bot.runtime import serve


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("serve", help=help_text("cli.help.serve.1"))
    parser.add_argument("--host", help=help_text("cli.help.serve.2"))
    parser.add_argument("--port", type=int, help=help_text("cli.help.serve.3"))
    parser.set_defaults(func=_serve)


async def _serve(args: argparse.Namespace, settings: Settings) -> int:
    app = await App.create(settings)
    try:
        await serve(
            app,
            build_channels(app),
            host=args.host or settings.host,
            port=args.port or settings.port,
        )
    finally:
        await app.close()
    return 0
