"""Handover to staff: `human_agent` opens a ticket; staff claim, answer and close it in chat.

The user's side: asking for a person (typed, or the "Tanya petugas" button) opens one ticket
per user, tells who answers and when, and offers to cancel. The staff side: a notification
per ticket in the staff chat (`bot/announcements/ticket_relay.py` sends it) with Ambil / Tutup
buttons; a reply to it, or `/balas N teks`, answers; `/tiket [N]` lists or shows;
`/faqtiket N | contoh; contoh` turns an answered ticket into an FAQ. Only staff may act on a
ticket: anyone else is refused, and the refusal is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.answers.handover import CANCEL, cancel_button, handover_enabled, when_text
from bot.core.context import HandlerContext
from bot.core.handover import CLAIM, CLOSE, REPLY, card_buttons, staff_drafts, ticket_card
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Incoming, Reply
from bot.domain.roles import STAFF_ROLES, Role
from bot.logs import redact
from bot.store.ticket_relays import RelayDraft
from bot.store.tickets import Ticket
from handlers.service_help import office_contacts

router = Router("handover")

EVERYONE = tuple(Role)  # staff commands check the role themselves, to refuse and audit
_FAQ_COMMAND = "faqtiket"
_SHOW_COMMAND = "tiket"
QUESTION_WINDOW = timedelta(hours=1)  # an earlier question older than this is not the topic


def _actor(ctx: HandlerContext) -> str:
    return ctx.user.address


@router.intent(Intent.HUMAN_AGENT)
async def human_agent(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if ctx.slots.option == CANCEL:
        staff = ctx.t.for_locale(ctx.settings.default_locale)
        cancelled = await ctx.store.tickets.cancel(
            ctx.user.id,
            _actor(ctx),
            lambda ticket: staff_drafts(
                ctx.settings, staff("handover.staff.cancelled_by_user", id=ticket.id)
            ),
        )
        key = "handover.cancelled" if cancelled else "handover.nothing_to_cancel"
        return [Reply(text=ctx.t(key, id=cancelled.id if cancelled else ""))]
    if not handover_enabled(ctx):
        return await office_contacts(msg, ctx)  # no inbox here: who can act, and when
    # The question is what the user asked just before (the fallback they got, typically);
    # a typed request ("admin tolong balas, klaim saya...") is kept beside it.
    since = datetime.now(UTC) - QUESTION_WINDOW
    context = await ctx.store.tickets.recent_questions(
        ctx.user.id, ctx.settings.handover_context_messages + 1, since
    )
    typed = redact(msg.text.strip()) if msg.payload is None else ""
    if context:
        question, earlier = context[-1], context[:-1]
    else:
        question, earlier = typed or ctx.t("handover.no_question"), []
    staff_t = ctx.t.for_locale(ctx.settings.default_locale)

    def notify(ticket: Ticket) -> list[RelayDraft]:
        card = ticket_card(ticket, earlier, staff_t)
        return staff_drafts(ctx.settings, card, card_buttons(ticket.id, staff_t))

    opened = await ctx.store.tickets.open(
        user_id=ctx.user.id,
        actor=_actor(ctx),
        channel=ctx.user.channel,
        chat_id=ctx.user.external_id if msg.chat.is_group else msg.chat.chat_id,
        locale=ctx.locale,
        question=question,
        context=earlier,
        request=typed if typed != question else "",
        region_code=ctx.slots.region or ctx.user.region_code,
        topic=ctx.previous.intent.value if ctx.previous else "",
        notify=notify,
    )
    ticket = opened.ticket
    key = "handover.opened" if opened.created else "handover.already_open"
    text = ctx.t(
        key,
        id=ticket.id,
        office=ctx.settings.office_name,
        when=when_text(ctx),
        warning=ctx.t("handover.warning"),
    )
    return [Reply(text=text, buttons=(cancel_button(ctx),))]


# -- the staff side ------------------------------------------------------------------------


async def _refuse(ctx: HandlerContext, action: str, subject: str) -> list[Reply]:
    await ctx.store.audit.record(
        actor=_actor(ctx), action=f"ticket.refused.{action}", subject=subject
    )
    return [Reply(text=ctx.t("handover.staff.refused"))]


def _split_number(args: str) -> tuple[int | None, str]:
    first, _, rest = args.strip().partition(" ")
    word = first.lstrip("#")
    return (int(word), rest.strip()) if word.isdigit() else (None, args.strip())


@router.command(REPLY, roles=EVERYONE)
async def reply(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    """A reply to a ticket notification, or `/balas N teks`; [] when a platform reply was to
    no ticket (the dispatcher then reads the message as usual)."""
    ticket: Ticket | None = None
    text = args.strip()
    typed = msg.text.strip().startswith("/")
    if msg.reply_to is not None and not typed:
        ticket = await ctx.store.tickets.of_post(msg.chat.channel, msg.chat.chat_id, msg.reply_to)
        if ticket is None:
            return []
    else:
        number, text = _split_number(args)
        if ctx.role in STAFF_ROLES:
            if number is None or not text:
                return [Reply(text=ctx.t("handover.staff.usage"))]
            ticket = await ctx.store.tickets.get(number)
            if ticket is None:
                return [Reply(text=ctx.t("handover.staff.not_found", id=number))]
    subject = f"ticket:{ticket.id}" if ticket else f"ticket:{args.split(' ')[0]}"
    if ctx.role not in STAFF_ROLES:
        return await _refuse(ctx, REPLY, subject)
    if ticket is None or not text:
        return [Reply(text=ctx.t("handover.staff.usage"))]
    user_t = ctx.t.for_locale(ticket.locale)
    relay = RelayDraft(
        kind="answer",
        channel=ticket.channel,
        chat_id=ticket.chat_id,
        text=user_t("handover.answer", id=ticket.id, office=ctx.settings.office_name, text=text),
    )
    answered = await ctx.store.tickets.answer(ticket.id, _actor(ctx), text, relay)
    if answered is None:
        return [Reply(text=ctx.t("handover.staff.closed_already", id=ticket.id))]
    return [Reply(text=ctx.t("handover.staff.answered", id=ticket.id, channel=ticket.channel))]


@router.command(CLAIM, CLOSE, roles=EVERYONE)
async def claim_or_close(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    command = msg.payload or msg.text
    closing = command.strip().lstrip("/").lower().startswith(CLOSE)
    number, _ = _split_number(args)
    if ctx.role not in STAFF_ROLES:
        return await _refuse(ctx, CLOSE if closing else CLAIM, f"ticket:{number}")
    if number is None:
        return [Reply(text=ctx.t("handover.staff.usage"))]
    if closing:
        done = await ctx.store.tickets.close(number, _actor(ctx))
        key = "handover.staff.closed" if done else "handover.staff.closed_already"
    else:
        done = await ctx.store.tickets.claim(number, _actor(ctx))
        key = "handover.staff.claimed" if done else "handover.staff.not_open"
    return [Reply(text=ctx.t(key, id=number))]


@router.command(_SHOW_COMMAND, roles=EVERYONE)
async def show(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    """`/tiket`: open tickets; `/tiket N`: one ticket with its messages (staff only)."""
    number, _ = _split_number(args)
    if ctx.role not in STAFF_ROLES:
        return await _refuse(ctx, "show", f"ticket:{number}")
    if number is None:
        tickets = await ctx.store.tickets.listing(open_only=True, limit=20)
        if not tickets:
            return [Reply(text=ctx.t("handover.staff.none_open"))]
        lines = [ctx.t("handover.staff.open_list")]
        lines += [
            ctx.t("handover.staff.list_item", id=t.id, status=t.status, question=t.question[:80])
            for t in tickets
        ]
        return [Reply(text="\n".join(lines))]
    ticket = await ctx.store.tickets.get(number)
    if ticket is None:
        return [Reply(text=ctx.t("handover.staff.not_found", id=number))]
    await ctx.store.audit.record(
        actor=_actor(ctx), action="ticket.show", subject=f"ticket:{ticket.id}"
    )
    lines = [ctx.t("handover.staff.show", id=ticket.id, status=ticket.status)]
    lines += [f"[{m.author}] {m.text}" for m in await ctx.store.tickets.messages(ticket.id)]
    buttons = tuple(
        Button(title=title, payload=payload) for title, payload in card_buttons(ticket.id, ctx.t)
    )
    return [Reply(text="\n".join(lines), buttons=buttons if ticket.status != "closed" else ())]


@router.command(_FAQ_COMMAND, roles=EVERYONE)
async def faq_from_ticket(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    """`/faqtiket N | contoh 1; contoh 2`: the question and staff answer become an FAQ."""
    head, _, examples = args.partition("|")
    number, _ = _split_number(head)
    if ctx.role not in STAFF_ROLES:
        return await _refuse(ctx, "faq", f"ticket:{number}")
    ticket = await ctx.store.tickets.get(number) if number is not None else None
    if ticket is None:
        return [Reply(text=ctx.t("handover.staff.faq_usage"))]
    answers = [m.text for m in await ctx.store.tickets.messages(ticket.id) if m.author == "staff"]
    if not answers:
        return [Reply(text=ctx.t("handover.staff.faq_unanswered", id=ticket.id))]
    answer = answers[-1]
    source = ctx.t(
        "handover.faq_source",
        office=ctx.settings.office_name,
        id=ticket.id,
        date=ctx.fmt.date((ticket.answered_at or ticket.updated_at).date()),
    )
    faq_id = await ctx.store.faqs.add(
        question=ticket.question,
        answer_id=answer,
        answer_en=answer if ticket.locale == "en" else "",
        source=source,
        examples=[e for e in examples.split(";") if e.strip()],
        added_via=f"ticket:{ticket.id}",
    )
    await ctx.store.audit.record(
        actor=_actor(ctx),
        action="ticket.faq",
        subject=f"ticket:{ticket.id}",
        detail=f"faq:{faq_id}",
    )
    return [Reply(text=ctx.t("handover.staff.faq_added", id=faq_id, ticket=ticket.id))]
