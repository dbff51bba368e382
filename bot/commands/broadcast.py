"""`broadcast create | confirm | cancel | report | list | send`: announcements from the shell.

The same checks as the chat flow (`/umumkan`): preview with recipients per channel and the
expected duration, preflight refusal, explicit confirmation (`--yes` or `broadcast confirm`),
and an audit entry for every action (actor `cli:<login>`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from bot.announcements.compose import ComposeError, build_draft
from bot.announcements.config import BroadcastConfig
from bot.announcements.plan import make_plan
from bot.announcements.worker import SenderBusy
from bot.app import App
from bot.commands.common import cli_actor, cli_text, help_text, open_store
from bot.config import Settings
from bot.core.delivery import Channel
from bot.core.i18n import Catalogues, Translator
from bot.store import Store
from bot.store.broadcasts import BroadcastReport


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("broadcast", help=help_text("cli.help.broadcast.1"))
    actions = parser.add_subparsers(dest="broadcast_command", required=True)

    create = actions.add_parser("create", help=help_text("cli.help.broadcast.2"))
    text = create.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", help=help_text("cli.help.broadcast.3"))
    text.add_argument("--text-file", type=Path, help=help_text("cli.help.broadcast.4"))
    english = create.add_mutually_exclusive_group()
    english.add_argument("--text-en", help=help_text("cli.help.broadcast.5"))
    english.add_argument("--text-en-file", type=Path, help=help_text("cli.help.broadcast.6"))
    create.add_argument("--region", help=help_text("cli.help.broadcast.7"))
    create.add_argument(
        "--village-heads", action="store_true", help=help_text("cli.help.broadcast.8")
    )
    create.add_argument("--language", choices=("id", "en"), help=help_text("cli.help.broadcast.9"))
    create.add_argument("--at", help=help_text("cli.help.broadcast.10"))
    create.add_argument(
        "--zone", choices=("WIB", "WITA", "WIT"), help=help_text("cli.help.broadcast.11")
    )
    create.add_argument("--yes", action="store_true", help=help_text("cli.help.broadcast.12"))
    create.set_defaults(func=_create)

    for name, func, helptext in (
        ("confirm", _confirm, "cli.help.broadcast.13"),
        ("cancel", _cancel, "cli.help.broadcast.14"),
        ("report", _report, "cli.help.broadcast.15"),
    ):
        action = actions.add_parser(name, help=help_text(helptext))
        action.add_argument("id", type=int)
        action.set_defaults(func=func)
    listing = actions.add_parser("list", help=help_text("cli.help.broadcast.16"))
    listing.set_defaults(func=_list)
    audit = actions.add_parser("audit", help=help_text("cli.help.broadcast.17"))
    audit.add_argument("--limit", type=int, default=50)
    audit.set_defaults(func=_audit)
    send = actions.add_parser("send", help=help_text("cli.help.broadcast.18"))
    send.set_defaults(func=_send)


async def _read(path: Path | None, text: str | None) -> str | None:
    if path is not None:
        return await asyncio.to_thread(path.read_text, encoding="utf-8")
    return text


def print_report(report: BroadcastReport, say: Translator) -> None:
    b = report.broadcast
    print(say("cli.broadcast.report", id=b.id, status=b.status, total=report.total))
    for state in ("sent", "pending", "in_flight", "failed", "blocked", "skipped", "cancelled"):
        print(f"  {state:10} {report.count(state)}")
    print(say("cli.broadcast.waiting_retry", count=report.waiting_retry))
    print(say("cli.broadcast.duplicates", count=report.possible_duplicates))
    print(say("cli.broadcast.via_template", count=report.via_template))
    for channel, states in sorted(report.per_channel.items()):
        print(f"  {channel}: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
    for reason, count in report.failures:
        print(say("cli.broadcast.reason", reason=reason, count=count))


async def _create(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    async with open_store(settings) as store:
        now = datetime.now(UTC)
        t = (await asyncio.to_thread(Catalogues.load)).translator("id")
        reason = t.for_locale(settings.default_locale)  # why refused, in the CLI's language
        try:
            draft = build_draft(
                text_id=await _read(args.text_file, args.text) or "",
                text_en=await _read(args.text_en_file, args.text_en),
                region=args.region,
                village_heads=args.village_heads,
                language=args.language,
                at=args.at,
                zone=args.zone,
                now=now,
            )
            plan = await make_plan(store, draft, BroadcastConfig.from_settings(settings), t, now)
        except ComposeError as exc:
            print(say("cli.broadcast.refused", reason=reason(exc.key, **exc.values)))
            return 2
        if plan.problems:
            await store.audit.record(
                actor=cli_actor(),
                action="broadcast.refused",
                recipients=plan.count.total,
                detail=", ".join(problem.key for problem in plan.problems),
            )
            print(say("cli.broadcast.refused_nothing_sent"))
            for problem in plan.problems:
                print(f"  - {reason(problem.key, **problem.values)}")
            return 2
        broadcast = await store.broadcasts.create(
            created_by=cli_actor(),
            text_id=draft.text_id,
            text_en=draft.text_en,
            audience=draft.audience,
            send_at=draft.send_at,
            recipients=plan.count.total,
        )
        for locale, reply in plan.replies.items():
            print(say("cli.broadcast.message", locale=locale))
            print(reply.text)
        print("---")
        target = draft.audience.region_code or say("cli.broadcast.all_subscribers")
        if plan.region_name:
            target = f"{plan.region_name} ({draft.audience.region_code})"
        print(say("cli.broadcast.draft", id=broadcast.id, target=target))
        per_channel = ", ".join(f"{k} {v}" for k, v in sorted(plan.count.per_channel.items()))
        per_channel = per_channel or say("cli.broadcast.none")
        print(say("cli.broadcast.recipients", total=plan.count.total, per_channel=per_channel))
        print(say("cli.broadcast.duration", seconds=f"{plan.seconds:.0f}"))
        local = draft.local_send_at
        when = (
            f"{local:%Y-%m-%d %H:%M} {draft.zone.abbreviation}"
            if local
            else say("cli.broadcast.on_confirm")
        )
        print(say("cli.broadcast.send_time", when=when))
        if plan.unreachable:
            print(say("cli.broadcast.unreachable", count=plan.unreachable))
        if not args.yes:
            print(say("cli.broadcast.confirm_with", id=broadcast.id))
            return 0
        confirmed = await store.broadcasts.confirm(broadcast.id, cli_actor(), now)
        status = confirmed.status if confirmed else say("cli.broadcast.not_confirmed")
        print(say("cli.broadcast.status", id=broadcast.id, status=status))
        return 0


async def _confirm(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    async with open_store(settings) as store:
        confirmed = await store.broadcasts.confirm(args.id, cli_actor(), datetime.now(UTC))
        if confirmed is None:
            found = await store.broadcasts.get(args.id)
            status = found.status if found else say("cli.broadcast.not_found")
            print(say("cli.broadcast.status_not_confirmed", id=args.id, status=status))
            return 1
        print(say("cli.broadcast.status", id=args.id, status=confirmed.status))
        return 0


async def _cancel(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    async with open_store(settings) as store:
        cancelled = await store.broadcasts.cancel(args.id, cli_actor())
        if cancelled is None:
            print(say("cli.broadcast.nothing_to_cancel", id=args.id))
            return 1
        print(say.plural("cli.broadcast.cancelled", cancelled, id=args.id, count=cancelled))
        return 0


async def _report(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    async with open_store(settings, read_only=True) as store:
        report = await store.broadcasts.report(args.id)
        if report is None:
            status = say("cli.broadcast.not_found")
            print(say("cli.broadcast.status", id=args.id, status=status))
            return 1
        print_report(report, say)
        return 0


async def _list(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, read_only=True) as store:
        for broadcast in await store.broadcasts.recent(20):
            first_line = broadcast.text_id.splitlines()[0][:60]
            print(f"{broadcast.id:5}  {broadcast.status:9}  {broadcast.created_by}  {first_line}")
        return 0


async def _audit(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, read_only=True) as store:
        for entry in reversed(await store.audit.recent(args.limit)):
            recipients = "" if entry.recipients is None else f"  recipients={entry.recipients}"
            print(
                f"{entry.created_at:%Y-%m-%d %H:%M:%S}Z  {entry.actor}  {entry.action}"
                f"  {entry.subject}{recipients}  {entry.detail}".rstrip()
            )
        return 0


async def _send(args: argparse.Namespace, settings: Settings) -> int:
    """Only the sender, while no server runs (e.g. a one-off run); `serve`/`run` include it.

    Channels start for sending only (no polling, webhook or replay of unanswered messages),
    and the exclusive sender lease is taken first: while a server or another `broadcast send`
    is sending, this one refuses instead of sending the same rows a second time. While the
    outbox drains, a line per broadcast (sent / failed / left) goes to stderr every
    `PROGRESS_SECONDS`, so an operator sees it move.
    """
    from bot.app import build_channels
    from bot.core.delivery import SendOnlyStart, starts_send_only
    from bot.web import outbox_of

    say = cli_text(settings.default_locale)
    app = await App.create(settings, understanding=False)  # no model, no gazetteer
    try:
        channels = build_channels(app)
        if not channels:
            print(say("cli.broadcast.send.no_channel"))
            return 1
        sending = [channel for channel in channels if starts_send_only(channel)]
        for channel in channels:
            if channel not in sending:
                print(say("cli.broadcast.send.not_send_only", channel=channel.name))
        if not sending:
            return 1
        worker = outbox_of(app, sending)
        started: list[Channel] = []
        try:
            for channel in sending:
                await cast(SendOnlyStart, channel).start(receive=False)
                started.append(channel)
            try:
                await worker.start(wait_for_lease=False)
            except SenderBusy as busy:
                print(say("cli.broadcast.send.busy", reason=str(busy)))
                return 1
            names = [channel.name for channel in sending]
            watched = await _show_progress(app.store, names, say, None)
            draining = asyncio.create_task(worker.drain(poll=0.5, horizon=600))
            while not draining.done():  # rows held back longer than the horizon wait for the bot
                await asyncio.wait({draining}, timeout=PROGRESS_SECONDS)
                if not draining.done():
                    await _show_progress(app.store, names, say, watched)
            await draining
            await worker.stop()
            await _show_progress(app.store, names, say, watched)
        finally:
            for channel in started:
                await channel.stop()
        print(say("cli.broadcast.send.done"))
        return 0
    finally:
        await app.close()


PROGRESS_SECONDS = 5.0  # between two progress lines of `broadcast send`
PROGRESS_BROADCASTS = 20  # the latest confirmed broadcasts the progress lines look at
FAILED_STATES = ("failed", "blocked")
LEFT_STATES = ("pending", "in_flight")


async def _show_progress(
    store: Store, channels: list[str], say: Translator, watched: list[int] | None
) -> list[int]:
    """One stderr line per broadcast: sent, failed, left, counting only the rows of the
    channels this sender serves. `None` picks the broadcasts with rows left now; the same
    ones are then followed until the end."""
    if watched is None:
        left: dict[int, int] = {}
        for row in await store.statistics.broadcast_progress(recent=PROGRESS_BROADCASTS):
            if row.state in LEFT_STATES:
                left[row.broadcast_id] = left.get(row.broadcast_id, 0) + row.count
        watched = sorted(broadcast_id for broadcast_id, count in left.items() if count)
    for broadcast_id in watched:
        report = await store.broadcasts.report(broadcast_id)
        states: dict[str, int] = {}
        for channel, counts in (report.per_channel if report else {}).items():
            if channel in channels:
                for state, count in counts.items():
                    states[state] = states.get(state, 0) + count
        if not states:
            continue
        line = say(
            "cli.broadcast.send.progress",
            id=broadcast_id,
            sent=states.get("sent", 0),
            failed=sum(states.get(state, 0) for state in FAILED_STATES),
            left=sum(states.get(state, 0) for state in LEFT_STATES),
        )
        print(line, file=sys.stderr, flush=True)
    return watched
