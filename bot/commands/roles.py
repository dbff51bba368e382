"""`roles grant | revoke | list`: staff and village-head roles from the shell (audited).

Admins are not granted here: they come from JAMSOS_ADMINS.
"""

from __future__ import annotations

import argparse

from bot.commands.common import cli_actor, cli_text, help_text, open_store
from bot.config import Settings
from bot.core.i18n import Translator
from bot.domain.addresses import parse_address
from bot.domain.roles import Role
from bot.store import Store

_GRANTABLE = (Role.STAFF.value, Role.VILLAGE_HEAD.value)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("roles", help=help_text("cli.help.roles.1"))
    actions = parser.add_subparsers(dest="roles_command", required=True)
    grant = actions.add_parser("grant", help=help_text("cli.help.roles.2"))
    grant.add_argument("user", help=help_text("cli.help.roles.3"))
    grant.add_argument("--role", choices=_GRANTABLE, default=Role.STAFF.value)
    grant.set_defaults(func=_grant)
    revoke = actions.add_parser("revoke", help=help_text("cli.help.roles.4"))
    revoke.add_argument("user", help=help_text("cli.help.roles.5"))
    revoke.set_defaults(func=_revoke)
    listing = actions.add_parser("list", help=help_text("cli.help.roles.6"))
    listing.set_defaults(func=_list)


async def _user_id(store: Store, address: str, say: Translator) -> int | None:
    parsed = parse_address(address)
    if parsed is None:
        print(say("cli.roles.bad_address", address=address))
        return None
    user = await store.people.find(*parsed)
    if user is None:
        print(say("cli.roles.unknown_user", address=address))
        return None
    return user.id


async def _grant(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    async with open_store(settings) as store:
        user_id = await _user_id(store, args.user, say)
        if user_id is None:
            return 1
        await store.roles.grant(user_id, Role(args.role), granted_by=cli_actor())
        print(say("cli.roles.granted", address=args.user, role=args.role))
        return 0


async def _revoke(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    async with open_store(settings) as store:
        user_id = await _user_id(store, args.user, say)
        if user_id is None:
            return 1
        if not await store.roles.revoke(user_id, revoked_by=cli_actor()):
            print(say("cli.roles.had_none", address=args.user))
            return 1
        print(say("cli.roles.revoked", address=args.user))
        return 0


async def _list(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, read_only=True) as store:
        say = cli_text(settings.default_locale)
        for admin in settings.admins:
            print(say("cli.roles.admin", address=admin))
        for grant in await store.roles.granted():
            role, by = grant.role.value, grant.granted_by
            print(say("cli.roles.grant", address=grant.address, role=role, by=by))
        return 0
