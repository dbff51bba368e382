"""Questions: the unanswered ones grouped (near-duplicates together) with counts and trend;
answer a group as an FAQ (answer, source, example phrasings) and try a paraphrase to see
how the bot answers now. FAQs are the existing mechanism (`store.faqs`, `bot.core.refine`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.domain.messages import ChatRef, Incoming
from bot.nlu.faq import normalize
from bot.ops.statistics import GROUP_THRESHOLD, group_questions
from bot.web.dashboard.site import Site, Staff

PERIODS = (7, 30, 90)
TRY_CHAT = ChatRef(channel="console", user_id="dasbor-uji", chat_id="dasbor-uji")


@dataclass(frozen=True, slots=True)
class Trend:
    example: str
    count: int
    before: int  # the same group in the period before

    @property
    def change(self) -> int:
        return self.count - self.before


def _key(text: str) -> str:
    return " ".join(sorted(normalize(text).split()))


def trends(recent: list[str], earlier: list[str], top: int = 30) -> list[Trend]:
    groups = group_questions(recent)[:top]
    keys = [_key(text) for text in earlier]
    found = []
    for group in groups:
        wanted = _key(group.example)
        before = sum(1 for key in keys if fuzz.ratio(wanted, key) >= GROUP_THRESHOLD)
        found.append(Trend(group.example, group.count, before))
    return found


def routes(site: Site) -> list[BaseRoute]:
    async def show(
        request: Request, staff: Staff, status: int = 200, **values: object
    ) -> Response:
        raw = request.query_params.get("hari", "7")
        days = int(raw) if raw.isdigit() and int(raw) in PERIODS else 7
        now = datetime.now(UTC)
        views = site.store.dashboard_views
        recent = await views.unanswered_between(now - timedelta(days=days), now)
        earlier = await views.unanswered_between(
            now - timedelta(days=2 * days), now - timedelta(days=days)
        )
        groups = await asyncio.to_thread(trends, recent, earlier)
        faqs = await site.store.faqs.active()
        defaults: dict[str, object] = {
            "answers": None,
            "tried": "",
            "saved": None,
            "error": "",
            "draft": {},
        }
        defaults.update(values)
        return site.render(
            request,
            "questions.html",
            staff,
            status=status,
            groups=groups,
            days=days,
            periods=PERIODS,
            faqs=faqs[-20:],
            **defaults,
        )

    async def page(request: Request, staff: Staff) -> Response:
        return await show(request, staff)

    async def answer(request: Request, staff: Staff) -> Response:
        form = await request.form()
        question = str(form.get("question", "")).strip()
        answer_id = str(form.get("answer_id", "")).strip()
        source = str(form.get("source", "")).strip()
        examples = [line.strip() for line in str(form.get("examples", "")).splitlines()]
        if not question or not answer_id or not source:
            return await show(
                request, staff, 422, error="dashboard.questions.required", draft=dict(form)
            )
        faq_id = await site.store.faqs.add(
            question=question,
            answer_id=answer_id,
            answer_en=str(form.get("answer_en", "")),
            source=source,
            examples=[e for e in examples if e],
            added_via="dashboard",
        )
        await site.audit(staff, "faq.add", subject=f"faq:{faq_id}", detail=question[:80])
        return await show(request, staff, saved=faq_id)

    async def try_it(request: Request, staff: Staff) -> Response:
        form = await request.form()
        text = str(form.get("text", "")).strip()[: site.settings.max_message_chars]
        if not text:
            return await show(request, staff)
        outcome = await site.dispatcher.process(Incoming(chat=TRY_CHAT, text=text), record=False)
        return await show(request, staff, answers=outcome, tried=text)

    return [
        Route("/pertanyaan", site.page(page), methods=["GET"]),
        Route("/pertanyaan/jawab", site.page(answer), methods=["POST"]),
        Route("/pertanyaan/uji", site.page(try_it), methods=["POST"]),
    ]
