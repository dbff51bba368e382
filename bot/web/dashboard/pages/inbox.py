"""Inbox: the open tickets of the handover (issue 16); claim, reply, close, save as FAQ.

Uses the ticket store as the chat commands do (`/balas`, `/ambil`, `/tutup`, `/faqtiket`):
a reply is stored and queued for the user in one transaction, and the relay worker of
`jamsosbot serve` delivers it on the user's channel. The store audits every action.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.core.formatting import Formatter
from bot.store.ticket_relays import RelayDraft
from bot.web.dashboard.site import PREFIX, Site, Staff

MAX_REPLY = 3000


def routes(site: Site) -> list[BaseRoute]:
    async def page(request: Request, staff: Staff) -> Response:
        everything = request.query_params.get("semua") == "1"
        tickets = await site.store.tickets.listing(open_only=not everything, limit=100)
        return site.render(request, "inbox.html", staff, tickets=tickets, everything=everything)

    async def show(request: Request, staff: Staff, status: int = 200, error: str = "") -> Response:
        ticket = await site.store.tickets.get(int(request.path_params["number"]))
        if ticket is None:
            return site.refuse(request, "dashboard.not_found", 404, staff)
        messages = await site.store.tickets.messages(ticket.id)
        return site.render(
            request,
            "ticket.html",
            staff,
            status=status,
            ticket=ticket,
            messages=messages,
            error=error,
            answered=any(m.author == "staff" for m in messages),
            saved_faq=request.query_params.get("faq", "")[:9].isdigit()
            and request.query_params.get("faq"),
        )

    async def detail(request: Request, staff: Staff) -> Response:
        return await show(request, staff)

    def back(number: int) -> Response:
        return RedirectResponse(f"{PREFIX}/kotak-masuk/{number}", status_code=303)

    async def act(request: Request, staff: Staff) -> Response:
        number = int(request.path_params["number"])
        form = await request.form()
        action = str(form.get("action", ""))
        tickets = site.store.tickets
        if action == "claim":
            if await tickets.claim(number, staff.address) is None:
                return await show(request, staff, 409, "dashboard.inbox.not_open")
            return back(number)
        if action == "close":
            if await tickets.close(number, staff.address) is None:
                return await show(request, staff, 409, "dashboard.inbox.closed_already")
            return back(number)
        if action == "reply":
            return await reply(request, staff, number, str(form.get("text", "")).strip())
        if action == "faq":
            return await save_faq(request, staff, number, str(form.get("examples", "")))
        return await show(request, staff, 422, "dashboard.inbox.unknown_action")

    async def reply(request: Request, staff: Staff, number: int, text: str) -> Response:
        ticket = await site.store.tickets.get(number)
        if ticket is None:
            return site.refuse(request, "dashboard.not_found", 404, staff)
        if not text or len(text) > MAX_REPLY:
            return await show(request, staff, 422, "dashboard.inbox.empty_reply")
        user_t = site.dispatcher.catalogues.translator(ticket.locale)
        relay = RelayDraft(
            kind="answer",
            channel=ticket.channel,
            chat_id=ticket.chat_id,
            text=user_t(
                "handover.answer", id=ticket.id, office=site.settings.office_name, text=text
            ),
        )
        if await site.store.tickets.answer(ticket.id, staff.address, text, relay) is None:
            return await show(request, staff, 409, "dashboard.inbox.closed_already")
        return back(number)

    async def save_faq(request: Request, staff: Staff, number: int, examples: str) -> Response:
        ticket = await site.store.tickets.get(number)
        if ticket is None:
            return site.refuse(request, "dashboard.not_found", 404, staff)
        answers = [
            m.text for m in await site.store.tickets.messages(number) if m.author == "staff"
        ]
        if not answers:
            return await show(request, staff, 409, "dashboard.inbox.unanswered")
        t = site.dispatcher.catalogues.translator(staff.locale)
        fmt_date = (ticket.answered_at or ticket.updated_at).date()
        source = t(
            "handover.faq_source",
            office=site.settings.office_name,
            id=ticket.id,
            date=Formatter(t.locale).date(fmt_date),
        )
        faq_id = await site.store.faqs.add(
            question=ticket.question,
            answer_id=answers[-1],
            answer_en=answers[-1] if ticket.locale == "en" else "",
            source=source,
            examples=[line.strip() for line in examples.splitlines() if line.strip()],
            added_via=f"ticket:{ticket.id}",
        )
        await site.audit(
            staff, "faq.from_ticket", subject=f"ticket:{ticket.id}", detail=f"faq:{faq_id}"
        )
        return RedirectResponse(f"{PREFIX}/kotak-masuk/{number}?faq={faq_id}", status_code=303)

    return [
        Route("/kotak-masuk", site.page(page), methods=["GET"]),
        Route("/kotak-masuk/{number:int}", site.page(detail), methods=["GET"]),
        Route("/kotak-masuk/{number:int}", site.page(act), methods=["POST"]),
    ]
