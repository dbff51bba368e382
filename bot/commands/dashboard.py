"""`dashboard link channel:id`: a one-time sign-in link to the staff dashboard, from the shell.

For an admin without chat access, or to let a new staff member in. The person must be staff
(granted) or an admin (JAMSOS_ADMINS); the link is valid JAMSOS_DASHBOARD_LINK_MINUTES and
opens once. Issuing it is audited.
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from bot.commands.common import cli_actor, cli_text, help_text, open_store
from bot.config import Settings
from bot.domain.roles import Role


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("dashboard", help=help_text("cli.help.dashboard.1"))
    actions = parser.add_subparsers(dest="dashboard_command", required=True)
    link = actions.add_parser("link", help=help_text("cli.help.dashboard.2"))
    link.add_argument("user", help=help_text("cli.help.dashboard.3"))
    link.set_defaults(func=_link)


async def _link(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    address: str = args.user
    channel, _, external_id = address.partition(":")
    if not channel or not external_id:
        print(say("cli.dashboard.bad_address", address=address))
        return 2
    async with open_store(settings) as store:
        user = await store.people.find(channel.lower(), external_id)
        if user is None:
            print(say("cli.dashboard.unknown_user", address=address))
            return 1
        admin = f"{user.channel}:{user.external_id}" in settings.admins
        if not admin and await store.roles.role_of(user.id) is not Role.STAFF:
            print(say("cli.dashboard.not_staff", address=address))
            return 1
        minutes = settings.dashboard_link_minutes
        actor = cli_actor()
        token = await store.dashboard.issue_link(
            user.id, issued_by=actor, ttl=timedelta(minutes=minutes)
        )
        await store.audit.record(actor=actor, action="dashboard.link", subject=address)
    print(f"{settings.dashboard_url}/masuk/{token}")
    print(say.plural("cli.dashboard.valid", minutes, count=minutes, address=address))
    return 0
