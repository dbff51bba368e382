"""`villages pending`, `villages verify USER CODE`: confirm village-head links from a shell."""

from __future__ import annotations

import argparse

from bot.commands.common import cli_text, help_text, open_store
from bot.config import Settings
from bot.domain.addresses import address_of
from bot.store.addresses import find_user_id


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("villages", help=help_text("cli.help.villages.1"))
    villages_sub = parser.add_subparsers(dest="villages_command", required=True)
    pending = villages_sub.add_parser("pending", help=help_text("cli.help.villages.2"))
    pending.set_defaults(func=_pending)
    verify = villages_sub.add_parser("verify", help=help_text("cli.help.villages.3"))
    verify.add_argument("user", help=help_text("cli.help.villages.4"))
    verify.add_argument("code", help=help_text("cli.help.villages.5"))
    verify.add_argument("--by", default="cli", help=help_text("cli.help.villages.6"))
    verify.set_defaults(func=_verify)


async def _pending(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, read_only=True) as store:
        links = await store.village_heads.pending(limit=1000)
        names = await store.regions.get_many(link.village_code for link in links)
    if not links:
        print(cli_text(settings.default_locale)("cli.villages.none_pending"))
    for link in links:
        region = names.get(link.village_code)
        name = region.name if region else "?"
        print(
            f"{link.user_id}\t{address_of(link.channel, link.external_id)}"
            f"\t{link.village_code}\t{name}"
            f"\t{link.created_at.date().isoformat()}"
        )
    return 0


async def _verify(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings) as store:
        user_id = await find_user_id(store, args.user)
        done = user_id is not None and await store.village_heads.verify(
            user_id, args.code, args.by
        )
        if done:
            await store.audit.record(actor=args.by, action="village.verify", subject=args.code)
    say = cli_text(settings.default_locale)
    if not done:
        print(say("cli.villages.not_pending", user=args.user, code=args.code))
        return 1
    print(say("cli.villages.verified", user=args.user, code=args.code))
    return 0
