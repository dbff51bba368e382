"""`run`, `chat`, `ask`: talk to the bot from a terminal."""

from __future__ import annotations

import argparse
import json
import sys

from bot.app import App
from bot.channels.console import ConsoleChat, render
from bot.commands.common import help_text
from bot.config import Settings
from bot.domain.messages import ChatRef, Incoming
from bot.runtime import run

ASK_CHAT = ChatRef(channel="console", user_id="ask", chat_id="ask")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run_parser = sub.add_parser("run", help=help_text("cli.help.chat.1"))
    run_parser.set_defaults(func=_run)
    chat_parser = sub.add_parser("chat", help=help_text("cli.help.chat.2"))
    chat_parser.set_defaults(func=_chat)
    ask_parser = sub.add_parser("ask", help=help_text("cli.help.chat.3"))
    ask_parser.add_argument("text", help=help_text("cli.help.chat.4"))
    ask_parser.add_argument("--json", action="store_true", help=help_text("cli.help.chat.5"))
    ask_parser.set_defaults(func=_ask)


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    await run(settings)
    return 0


async def _chat(args: argparse.Namespace, settings: Settings) -> int:
    app = await App.create(settings)
    try:
        await ConsoleChat(app.dispatcher).run()
    finally:
        await app.close()
    return 0


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    app = await App.create(settings)
    try:
        outcome = await app.dispatcher.process(
            Incoming(chat=ASK_CHAT, text=args.text), record=False
        )
    finally:
        await app.close()
    if args.json:
        understanding = outcome.understanding
        document = {
            "intent": understanding.intent.value if understanding else None,
            "score": round(understanding.score, 4) if understanding else None,
            "slots": understanding.slots.as_dict() if understanding else {},
            "replies": [
                {
                    "text": reply.text,
                    "buttons": [{"title": b.title, "payload": b.payload} for b in reply.buttons],
                }
                for reply in outcome.replies
            ],
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        t = app.dispatcher.catalogues.translator(settings.default_locale)
        print(render(outcome.replies, t))
    return 0
