"""Facts: what needs re-verifying (ended, old, uncertain), and every fact with its source
and validity dates."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.ops.facts import check_facts
from bot.web.dashboard.site import Site, Staff


def routes(site: Site) -> list[BaseRoute]:
    async def page(request: Request, staff: Staff) -> Response:
        facts = site.store.facts.all()
        issues = check_facts(
            facts, today=site.dispatcher.today(), max_age_days=site.settings.fact_max_age_days
        )
        return site.render(
            request,
            "facts.html",
            staff,
            issues=issues,
            facts=sorted(facts, key=lambda f: (f.key, f.valid_from)),
        )

    return [Route("/fakta", site.page(page), methods=["GET"])]
