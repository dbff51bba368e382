"""`dashboard link channel:id`: a one-time sign-in link to the staff dashboard, from the shell.

For an admin without chat access, or to let a new staff member in. The person must be staff
(granted) or an admin (JAMSOS_ADMINS); the link is valid JAMSOS_DASHBOARD_LINK_MINUTES and
opens once. Issuing it is audited.
"""

from __future__ import annotations

import argparse
from datetime import timedelta

from bot.commands.common import cli_actor, open_store
from bot.config import Settings
from bot.domain.roles import Role


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("dashboard", help="the staff web dashboard (/dasbor)")
    actions = parser.add_subparsers(dest="dashboard_command", required=True)
    link = actions.add_parser("link", help="print a one-time sign-in link for a staff member")
    link.add_argument("user", help="channel:id, e.g. telegram:123456789")
    link.set_defaults(func=_link)


async def _link(args: argparse.Namespace, settings: Settings) -> int:
    address: str = args.user
    channel, _, external_id = address.partition(":")
    if not channel or not external_id:
        print(f"{address}: expected channel:id, e.g. telegram:123456789")
        return 2
    async with open_store(settings) as store:
        user = await store.people.find(channel.lower(), external_id)
        if user is None:
            print(f"{address}: this user has never written to the bot; ask them to send a message")
            return 1
        admin = f"{user.channel}:{user.external_id}" in settings.admins
        if not admin and await store.roles.role_of(user.id) is not Role.STAFF:
            print(f"{address}: not staff; grant it first with `jamsosbot roles grant {address}`")
            return 1
        minutes = settings.dashboard_link_minutes
        actor = cli_actor()
        token = await store.dashboard.issue_link(
            user.id, issued_by=actor, ttl=timedelta(minutes=minutes)
        )
        await store.audit.record(actor=actor, action="dashboard.link", subject=address)
    print(f"{settings.dashboard_url}/masuk/{token}")
    print(f"valid {minutes} minutes, opens once; send it to {address} privately")
    return 0
