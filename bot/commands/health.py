"""`healthcheck`: ask a running `jamsosbot serve` for `/healthz` (Docker HEALTHCHECK, monitoring).

`privacy purge` and `privacy forget CHANNEL:ID` apply the retention setting or a deletion
request by hand (the server purges at start and daily on its own).
"""

from __future__ import annotations

import argparse
import sys

import httpx

from bot.commands.common import cli_text, help_text, open_store
from bot.config import Settings
from bot.domain.addresses import parse_address
from bot.ops.housekeeping import purge_records


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    health = sub.add_parser("healthcheck", help=help_text("cli.help.health.1"))
    health.add_argument("--url", help=help_text("cli.help.health.2"))
    health.add_argument("--timeout", type=float, default=5.0)
    health.set_defaults(func=_healthcheck)
    privacy = sub.add_parser("privacy", help=help_text("cli.help.health.3"))
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True)
    purge = privacy_sub.add_parser(
        "purge",
        help=help_text("cli.help.health.4"),
    )
    purge.set_defaults(func=_purge)
    forget = privacy_sub.add_parser("forget", help=help_text("cli.help.health.5"))
    forget.add_argument("who", help=help_text("cli.help.health.6"))
    forget.set_defaults(func=_forget)


async def _healthcheck(args: argparse.Namespace, settings: Settings) -> int:
    url = args.url or f"http://127.0.0.1:{settings.port}/healthz"
    try:
        async with httpx.AsyncClient(timeout=args.timeout, trust_env=False) as client:
            response = await client.get(url)
    except httpx.HTTPError as exc:
        say = cli_text(settings.default_locale)
        print(say("cli.health.unhealthy", error=type(exc).__name__), file=sys.stderr)
        return 1
    print(response.text)
    return 0 if response.status_code == 200 else 1


async def _purge(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        removed = await purge_records(
            store,
            settings.log_retention_days,
            settings.audit_retention_days,
            settings.ticket_retention_days,
        )
    say = cli_text(settings.default_locale)
    print(
        say(
            "cli.privacy.purged",
            count=removed,
            messages=settings.log_retention_days,
            audit=settings.audit_retention_days,
            tickets=settings.ticket_retention_days,
        )
    )
    return 0


async def _forget(args: argparse.Namespace, settings: Settings) -> int:
    parsed = parse_address(args.who)
    say = cli_text(settings.default_locale)
    if parsed is None:
        print(say("cli.privacy.bad_address"), file=sys.stderr)
        return 2
    channel, external_id = parsed
    async with open_store(settings, seed=False) as store:
        user = await store.people.find(channel, external_id)
        deleted = user is not None and await store.privacy.forget(user.id)
    print(say("cli.privacy.deleted" if deleted else "cli.privacy.no_user"))
    return 0 if deleted else 1
