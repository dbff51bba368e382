"""`faq add | list | remove`: answers staff add without a deploy, understood from then on."""

from __future__ import annotations

import argparse
import sys

from bot.commands.common import cli_text, help_text, open_store
from bot.config import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("faq", help=help_text("cli.help.faq.1"))
    faq_sub = parser.add_subparsers(dest="faq_command", required=True)
    add = faq_sub.add_parser("add", help=help_text("cli.help.faq.2"))
    add.add_argument("--question", required=True, help=help_text("cli.help.faq.3"))
    add.add_argument("--answer-id", required=True, help=help_text("cli.help.faq.4"))
    add.add_argument("--answer-en", default="", help=help_text("cli.help.faq.5"))
    add.add_argument(
        "--answer",
        nargs=2,
        action="append",
        default=[],
        metavar=("LOCALE", "TEXT"),
        help=help_text("cli.help.faq.6"),
    )
    add.add_argument("--source", required=True, help=help_text("cli.help.faq.7"))
    add.add_argument(
        "--example",
        action="append",
        default=[],
        help=help_text("cli.help.faq.8"),
    )
    add.set_defaults(func=_add)
    listing = faq_sub.add_parser("list", help=help_text("cli.help.faq.9"))
    listing.set_defaults(func=_list)
    remove = faq_sub.add_parser("remove", help=help_text("cli.help.faq.10"))
    remove.add_argument("id", type=int)
    remove.set_defaults(func=_remove)


async def _add(args: argparse.Namespace, settings: Settings) -> int:
    fields = {"--question": args.question, "--answer-id": args.answer_id, "--source": args.source}
    empty = [name for name, value in fields.items() if not value.strip()]
    say = cli_text(settings.default_locale)
    if empty:
        print(say("cli.faq.empty", fields=", ".join(empty)), file=sys.stderr)
        return 2
    async with open_store(settings, seed=False) as store:
        faq_id = await store.faqs.add(
            question=args.question,
            answer_id=args.answer_id,
            answer_en=args.answer_en,
            source=args.source,
            examples=args.example,
            added_via="cli",
            translations=dict(args.answer),
        )
    print(say("cli.faq.added", id=faq_id))
    return 0


async def _list(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, read_only=True) as store:
        faqs = await store.faqs.active()
    for faq in faqs:
        print(f"#{faq.id}  {faq.question}  [{faq.source}]")
        for example in faq.examples:
            print(f"      ~ {example}")
    print(cli_text(settings.default_locale).plural("cli.faq.active", len(faqs), count=len(faqs)))
    return 0


async def _remove(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        removed = await store.faqs.remove(args.id)
    say = cli_text(settings.default_locale)
    if not removed:
        print(say("cli.faq.not_found", id=args.id), file=sys.stderr)
        return 1
    print(say("cli.faq.retired", id=args.id))
    return 0
