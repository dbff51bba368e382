"""Statistics: questions per topic and region over a period, the fallback rate over time,
tickets (issue 16) and the time to their first answer."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.ops.statistics import build_report
from bot.store.dashboard import DayCount
from bot.web.dashboard.site import Site, Staff

PERIODS = (7, 30, 90)


def routes(site: Site) -> list[BaseRoute]:
    async def page(request: Request, staff: Staff) -> Response:
        raw = request.query_params.get("hari", "30")
        days = int(raw) if raw.isdigit() and int(raw) in PERIODS else 30
        today = site.dispatcher.today()
        report = await build_report(site.store, days=days, today=today, top=0)
        since = datetime.combine(today - timedelta(days=days - 1), time.min, tzinfo=UTC)
        counted = {d.day: d for d in await site.store.dashboard_views.daily_questions(since)}
        days_in_period = (since.date() + timedelta(days=n) for n in range(days))
        daily = [  # every day of the period, zero when nobody asked
            counted.get(day.isoformat(), DayCount(day=day.isoformat(), total=0, unanswered=0))
            for day in days_in_period
        ]
        peak = max((d.total for d in daily), default=0)
        tickets = await site.store.tickets.counts(since)
        waits = sorted(tickets.first_answer_seconds)
        median = waits[len(waits) // 2] if waits else None
        return site.render(
            request,
            "statistics.html",
            staff,
            report=report,
            daily=daily,
            peak=peak,
            days=days,
            periods=PERIODS,
            tickets=tickets,
            median_minutes=round(median / 60) if median is not None else None,
        )

    return [Route("/statistik", site.page(page), methods=["GET"])]
