"""`tickets list | show | reply | close`: the staff inbox from a shell, audited like the chat.

`reply` queues the answer in the relay outbox; the running bot (`serve`) delivers it on the
user's channel, signed with the office's name, exactly as a reply in the staff chat would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bot.commands.common import cli_actor, cli_text, help_text, open_store
from bot.config import Settings
from bot.core.i18n import Catalogues
from bot.store.ticket_relays import RelayDraft
from bot.store.tickets import Ticket


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("tickets", help=help_text("cli.help.tickets.1"))
    tickets_sub = parser.add_subparsers(dest="tickets_command", required=True)
    listing = tickets_sub.add_parser("list", help=help_text("cli.help.tickets.2"))
    listing.add_argument("--open", action="store_true", help=help_text("cli.help.tickets.3"))
    listing.add_argument("--json", action="store_true", help=help_text("cli.help.tickets.4"))
    listing.add_argument("--limit", type=int, default=50, help=help_text("cli.help.tickets.5"))
    listing.set_defaults(func=_list)
    show = tickets_sub.add_parser("show", help=help_text("cli.help.tickets.6"))
    show.add_argument("id", type=int, help=help_text("cli.help.tickets.7"))
    show.add_argument("--json", action="store_true", help=help_text("cli.help.tickets.4"))
    show.set_defaults(func=_show)
    reply = tickets_sub.add_parser("reply", help=help_text("cli.help.tickets.8"))
    reply.add_argument("id", type=int, help=help_text("cli.help.tickets.7"))
    reply.add_argument("text", nargs="+", help=help_text("cli.help.tickets.9"))
    reply.set_defaults(func=_reply)
    close = tickets_sub.add_parser("close", help=help_text("cli.help.tickets.10"))
    close.add_argument("id", type=int, help=help_text("cli.help.tickets.7"))
    close.set_defaults(func=_close)


def _row(ticket: Ticket) -> dict[str, object]:
    return {
        "id": ticket.id,
        "status": ticket.status,
        "channel": ticket.channel,
        "locale": ticket.locale,
        "region": ticket.region_code,
        "topic": ticket.topic,
        "question": ticket.question,
        "created_at": ticket.created_at.isoformat(),
        "first_answer_at": ticket.first_answer_at.isoformat() if ticket.first_answer_at else None,
        "claimed_by": ticket.claimed_by,
        "reopened": ticket.reopened,
    }


async def _list(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        tickets = await store.tickets.listing(open_only=args.open, limit=args.limit)
    if args.json:
        json.dump([_row(t) for t in tickets], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for ticket in tickets:
        print(
            f"#{ticket.id:<5} {ticket.status:<9} {ticket.channel:<9}"
            f" {ticket.created_at:%Y-%m-%d %H:%M}  {ticket.question[:70]}"
        )
    say = cli_text(settings.default_locale)
    print(say.plural("cli.tickets.count", len(tickets), count=len(tickets)))
    return 0


async def _show(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        ticket = await store.tickets.get(args.id)
        messages = await store.tickets.messages(args.id) if ticket else []
        if ticket is not None:
            await store.audit.record(
                actor=cli_actor(), action="ticket.show", subject=f"ticket:{ticket.id}"
            )
    if ticket is None:
        say = cli_text(settings.default_locale)
        print(say("cli.tickets.not_found", id=args.id), file=sys.stderr)
        return 1
    if args.json:
        document = _row(ticket) | {
            "messages": [
                {"author": m.author, "text": m.text, "at": m.created_at.isoformat()}
                for m in messages
            ]
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for key, value in _row(ticket).items():
        print(f"{key}: {value}")
    for message in messages:
        print(f"  [{message.created_at:%Y-%m-%d %H:%M} {message.author}] {message.text}")
    return 0


async def _reply(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    text = " ".join(args.text).strip()
    if not text:
        print(say("cli.tickets.empty_answer"), file=sys.stderr)
        return 2
    catalogues = await asyncio.to_thread(Catalogues.load)
    async with open_store(settings, seed=False) as store:
        ticket = await store.tickets.get(args.id)
        if ticket is None:
            print(say("cli.tickets.not_found", id=args.id), file=sys.stderr)
            return 1
        t = catalogues.translator(ticket.locale)
        relay = RelayDraft(
            kind="answer",
            channel=ticket.channel,
            chat_id=ticket.chat_id,
            text=t("handover.answer", id=ticket.id, office=settings.office_name, text=text),
        )
        answered = await store.tickets.answer(ticket.id, cli_actor(), text, relay)
    if answered is None:
        print(say("cli.tickets.is_closed", id=args.id), file=sys.stderr)
        return 1
    print(say("cli.tickets.queued", id=args.id, channel=ticket.channel))
    return 0


async def _close(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, seed=False) as store:
        closed = await store.tickets.close(args.id, cli_actor())
    say = cli_text(settings.default_locale)
    if closed is None:
        print(say("cli.tickets.not_open", id=args.id), file=sys.stderr)
        return 1
    print(say("cli.tickets.closed", id=args.id))
    return 0
