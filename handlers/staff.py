"""Staff and admin commands: announcements (compose, preview, confirm, cancel, report), roles.

Every command here is role-checked by the dispatcher (`roles=`); anyone else typing the same
words gets the normal answer. Every action is written to the audit log by the store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from bot.announcements.compose import ComposeError, parse_announcement
from bot.announcements.config import BroadcastConfig
from bot.announcements.plan import Plan, make_plan
from bot.announcements.timezones import zone_of
from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.routing import Router
from bot.domain.addresses import parse_address
from bot.domain.messages import Button, Incoming, Reply
from bot.domain.roles import STAFF_ROLES, Role
from bot.regions.model import LEVELS
from bot.regions.names import fold
from bot.regions.vocabulary import load_vocabulary
from bot.store.broadcasts import Broadcast, BroadcastReport

router = Router("staff")
ADMIN_ONLY = frozenset({Role.ADMIN})
_PREVIEW_CHARS = 60
_REGION_OPTIONS = frozenset({"wilayah", "region"})
_OPTION_NAMES = _REGION_OPTIONS | {
    "untuk",
    "for",
    "bahasa",
    "language",
    "kirim",
    "at",
    "zona",
    "zone",
}
_MAX_NAMED = 5
_ALIASES = {alias.name: alias.code for alias in load_vocabulary().aliases}  # read once

# Keys chosen at run time (compose errors, preflight problems, statuses).
N_("staff.compose.empty")
N_("staff.compose.bad_region")
N_("staff.compose.unknown_region")
N_("staff.compose.bad_language")
N_("staff.compose.bad_zone")
N_("staff.compose.bad_time")
N_("staff.compose.past_time")
N_("staff.preflight.too_long")
N_("staff.preflight.template_too_long")
N_("staff.preflight.empty")
N_("staff.preflight.button_label")
N_("staff.preflight.button_data")
N_("staff.preflight.too_many_buttons")
N_("staff.status.draft")
N_("staff.status.scheduled")
N_("staff.status.sending")
N_("staff.status.done")
N_("staff.status.cancelled")


def _actor(ctx: HandlerContext) -> str:
    return ctx.user.address


def _number(args: str) -> int | None:
    word = args.strip().lstrip("#")
    return int(word) if word.isdigit() else None


def _status(ctx: HandlerContext, broadcast: Broadcast) -> str:
    return ctx.t(f"staff.status.{broadcast.status}")


def _when(ctx: HandlerContext, plan_or_broadcast: Plan | Broadcast) -> str:
    if isinstance(plan_or_broadcast, Plan):
        moment, zone = plan_or_broadcast.draft.local_send_at, plan_or_broadcast.draft.zone
    else:
        zone = zone_of(plan_or_broadcast.audience.region_code)
        send_at = plan_or_broadcast.send_at
        moment = send_at.astimezone(zone.tz) if send_at else None
    if moment is None:
        return ctx.t("staff.when.now")
    return ctx.t(
        "staff.when.at",
        date=ctx.fmt.date(moment.date()),
        hour=f"{moment.hour:02d}",
        minute=f"{moment.minute:02d}",
        zone=zone.abbreviation,
    )


def _duration(ctx: HandlerContext, seconds: float) -> str:
    if seconds < 90:
        return ctx.t("staff.duration.seconds", n=ctx.fmt.number(max(1, round(seconds))))
    if seconds < 90 * 60:
        return ctx.t("staff.duration.minutes", n=ctx.fmt.number(round(seconds / 60)))
    return ctx.t("staff.duration.hours", n=ctx.fmt.number(Decimal(str(round(seconds / 3600, 1)))))


def _audience(ctx: HandlerContext, plan: Plan) -> str:
    audience = plan.draft.audience
    parts = [
        ctx.t("staff.audience.region", name=plan.region_name, code=audience.region_code)
        if audience.region_code
        else ctx.t("staff.audience.all")
    ]
    if audience.village_heads:
        parts.append(ctx.t("staff.audience.village_heads"))
    if audience.language:
        parts.append(ctx.t("staff.audience.language", language=audience.language))
    return ", ".join(parts)


def _command_button(label: str, command: str, broadcast_id: int) -> Button:
    return Button(title=label, payload=f"/{command} {broadcast_id}")


async def _region_by_name(ctx: HandlerContext, args: str) -> str | Reply:
    """ "wilayah:ketapang" (or kayong_utara, kayong-utara) → "wilayah:61.04"; an ambiguous or
    unknown name → a reply naming the choices with their codes. Codes pass unchanged."""
    words = args.split(" ")
    for at, word in enumerate(words):
        name, colon, value = word.partition(":")
        if not colon or name.lower() not in _OPTION_NAMES:
            break  # the options end at the first word that is not one
        if name.lower() not in _REGION_OPTIONS or not value or value[:1].isdigit():
            continue
        typed = value.replace("_", " ").replace("-", " ")
        alias = _ALIASES.get(fold(typed))  # "kalbar", "ktp"
        found = [r for r in [await ctx.store.regions.get(alias)] if r] if alias else []
        found = found or await ctx.store.regions.search(typed)
        top = min((LEVELS.index(r.level) for r in found), default=None)
        matches = [r for r in found if LEVELS.index(r.level) == top]
        if not matches:
            return Reply(text=ctx.t("staff.compose.region_not_found", value=typed))
        if len(matches) > 1:
            choices = ", ".join(f"{r.name} ({name}:{r.code})" for r in matches[:_MAX_NAMED])
            return Reply(text=ctx.t("staff.compose.region_which", value=typed, choices=choices))
        words[at] = f"{name}:{matches[0].code}"
    return " ".join(words)


@router.command("staf", "staff", roles=STAFF_ROLES)
async def staff_help(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    return [Reply(text=ctx.t("staff.help"))]


@router.command("umumkan", "broadcast", roles=STAFF_ROLES)
async def announce(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    """Compose: check everything, store a draft, show the preview with Send / Cancel."""
    if not args.strip():
        return [Reply(text=ctx.t("staff.announce.usage"))]
    named = await _region_by_name(ctx, args)
    if isinstance(named, Reply):
        return [named]
    args = named
    now = datetime.now(UTC)
    try:
        draft = parse_announcement(args, now)
        plan = await make_plan(
            ctx.store, draft, BroadcastConfig.from_settings(ctx.settings), ctx.t, now
        )
    except ComposeError as exc:
        return [Reply(text=f"{ctx.t(exc.key, **exc.values)}\n\n{ctx.t('staff.announce.usage')}")]
    if plan.problems:
        await ctx.store.audit.record(
            actor=_actor(ctx),
            action="broadcast.refused",
            recipients=plan.count.total,
            detail=", ".join(problem.key for problem in plan.problems),
        )
        reasons = "\n".join(f"• {ctx.t(p.key, **p.values)}" for p in plan.problems)
        return [Reply(text=ctx.t("staff.preflight.refused", reasons=reasons))]
    broadcast = await ctx.store.broadcasts.create(
        created_by=_actor(ctx),
        text_id=draft.text_id,
        text_en=draft.text_en,
        audience=draft.audience,
        send_at=draft.send_at,
        recipients=plan.count.total,
    )
    lines = [
        ctx.t(
            "staff.preview.summary",
            number=broadcast.id,
            audience=_audience(ctx, plan),
            total=ctx.fmt.number(plan.count.total),
            telegram=ctx.fmt.number(plan.count.per_channel.get("telegram", 0)),
            whatsapp=ctx.fmt.number(plan.count.per_channel.get("whatsapp", 0)),
            duration=_duration(ctx, plan.seconds),
            when=_when(ctx, plan),
        )
    ]
    config = BroadcastConfig.from_settings(ctx.settings)
    outside = plan.count.whatsapp_outside_window
    if outside and config.template_name:
        lines.append(ctx.t("staff.preview.template", count=outside, name=config.template_name))
    if plan.unreachable:
        lines.append(ctx.t("staff.preview.unreachable", count=plan.unreachable))
    if not plan.count.total:
        lines.append(ctx.t("staff.preview.nobody"))
    lines.append(ctx.t("staff.preview.confirm_hint"))
    buttons = (
        _command_button(ctx.t("staff.button.send"), "umumkan_kirim", broadcast.id),
        _command_button(ctx.t("staff.button.cancel"), "umumkan_batal", broadcast.id),
    )
    messages = [Reply(text=reply.text) for reply in plan.replies.values()]
    return [*messages, Reply(text="\n".join(lines), buttons=buttons)]


async def _numbered(ctx: HandlerContext, args: str) -> Broadcast | Reply:
    """The broadcast whose number `args` gives, or the reply saying what is wrong."""
    number = _number(args)
    if number is None:
        return Reply(text=ctx.t("staff.need_number"))
    broadcast = await ctx.store.broadcasts.get(number)
    if broadcast is None:
        return Reply(text=ctx.t("staff.not_found", number=number))
    return broadcast


@router.command("umumkan_kirim", "broadcast_send", roles=STAFF_ROLES)
async def confirm(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    broadcast = await _numbered(ctx, args)
    if isinstance(broadcast, Reply):
        return [broadcast]
    number = broadcast.id
    confirmed = await ctx.store.broadcasts.confirm(number, _actor(ctx), datetime.now(UTC))
    if confirmed is None:
        return [
            Reply(
                text=ctx.t(
                    "staff.confirm.not_draft", number=number, status=_status(ctx, broadcast)
                )
            )
        ]
    stop = _command_button(ctx.t("staff.button.stop"), "umumkan_batal", number)
    if confirmed.status == "scheduled":
        text = ctx.t("staff.confirm.scheduled", number=number, when=_when(ctx, confirmed))
        return [Reply(text=text, buttons=(stop,))]
    report = await ctx.store.broadcasts.report(number)
    total = report.total if report else 0
    text = ctx.t("staff.confirm.sending", number=number, total=ctx.fmt.number(total))
    report_button = _command_button(ctx.t("staff.button.report"), "umumkan_laporan", number)
    return [Reply(text=text, buttons=(report_button, stop))]


@router.command("umumkan_batal", "broadcast_cancel", roles=STAFF_ROLES)
async def cancel(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    broadcast = await _numbered(ctx, args)
    if isinstance(broadcast, Reply):
        return [broadcast]
    number = broadcast.id
    cancelled = await ctx.store.broadcasts.cancel(number, _actor(ctx))
    if cancelled is None:
        return [
            Reply(
                text=ctx.t("staff.cancel.too_late", number=number, status=_status(ctx, broadcast))
            )
        ]
    report_button = _command_button(ctx.t("staff.button.report"), "umumkan_laporan", number)
    text = ctx.t("staff.cancel.done", number=number, count=ctx.fmt.number(cancelled))
    return [Reply(text=text, buttons=(report_button,))]


def report_text(ctx: HandlerContext, report: BroadcastReport) -> str:
    text = ctx.t(
        "staff.report",
        number=report.broadcast.id,
        status=_status(ctx, report.broadcast),
        sent=ctx.fmt.number(report.count("sent")),
        pending=ctx.fmt.number(report.count("pending", "in_flight")),
        failed=ctx.fmt.number(report.count("failed")),
        blocked=ctx.fmt.number(report.count("blocked")),
        skipped=ctx.fmt.number(report.count("skipped")),
        cancelled=ctx.fmt.number(report.count("cancelled")),
        duplicates=ctx.fmt.number(report.possible_duplicates),
        template=ctx.fmt.number(report.via_template),
    )
    if report.failures:
        reasons = "\n".join(
            f"• {reason}: {ctx.fmt.number(n)}" for reason, n in report.failures[:8]
        )
        text = f"{text}\n{ctx.t('staff.report.reasons', reasons=reasons)}"
    return text


@router.command("umumkan_laporan", "broadcast_report", roles=STAFF_ROLES)
async def report(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    number = _number(args)
    if number is None:
        latest = await ctx.store.broadcasts.recent(1)
        if not latest:
            return [Reply(text=ctx.t("staff.list.empty"))]
        number = latest[0].id
    found = await ctx.store.broadcasts.report(number)
    if found is None:
        return [Reply(text=ctx.t("staff.not_found", number=number))]
    buttons: tuple[Button, ...] = ()
    if found.broadcast.status in ("sending", "scheduled"):
        buttons = (
            _command_button(ctx.t("staff.button.report"), "umumkan_laporan", number),
            _command_button(ctx.t("staff.button.stop"), "umumkan_batal", number),
        )
    return [Reply(text=report_text(ctx, found), buttons=buttons)]


@router.command("umumkan_daftar", "broadcast_list", roles=STAFF_ROLES)
async def list_broadcasts(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    recent = await ctx.store.broadcasts.recent(10)
    if not recent:
        return [Reply(text=ctx.t("staff.list.empty"))]
    lines = []
    for broadcast in recent:
        text = " ".join(broadcast.text_id.split())
        if len(text) > _PREVIEW_CHARS:
            text = text[: _PREVIEW_CHARS - 1] + "…"
        lines.append(
            ctx.t(
                "staff.list.item", number=broadcast.id, status=_status(ctx, broadcast), text=text
            )
        )
    return [Reply(text="\n".join(lines))]


async def _target(ctx: HandlerContext, args: str) -> tuple[str, int] | Reply:
    address = args.strip()
    parsed = parse_address(address)
    if parsed is None:
        return Reply(text=ctx.t("staff.roles.usage"))
    user = await ctx.store.people.find(*parsed)
    if user is None:
        return Reply(text=ctx.t("staff.roles.unknown_user", address=address))
    return address, user.id


@router.command("staf_tambah", "staff_add", roles=ADMIN_ONLY)
async def grant_staff(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    target = await _target(ctx, args)
    if isinstance(target, Reply):
        return [target]
    address, user_id = target
    await ctx.store.roles.grant(user_id, Role.STAFF, granted_by=_actor(ctx))
    return [Reply(text=ctx.t("staff.roles.granted", address=address))]


@router.command("staf_hapus", "staff_remove", roles=ADMIN_ONLY)
async def revoke_staff(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    target = await _target(ctx, args)
    if isinstance(target, Reply):
        return [target]
    address, user_id = target
    if await ctx.store.roles.role_of(user_id) is not Role.STAFF:
        return [Reply(text=ctx.t("staff.roles.not_staff", address=address))]
    await ctx.store.roles.revoke(user_id, revoked_by=_actor(ctx))
    return [Reply(text=ctx.t("staff.roles.revoked", address=address))]


@router.command("staf_daftar", "staff_list", roles=ADMIN_ONLY)
async def list_staff(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    grants = await ctx.store.roles.granted(Role.STAFF)
    if not grants:
        return [Reply(text=ctx.t("staff.roles.none"))]
    people = "\n".join(f"• {grant.address}" for grant in grants)
    return [Reply(text=ctx.t("staff.roles.list", people=people))]
