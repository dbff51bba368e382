"""The staff dashboard under /dasbor: server-rendered pages on the bot's own store.

Sign-in is by a one-time link (`/dasbor` in chat, `jamsosbot dashboard link`); `site.Site`
resolves the session, role and CSRF token of every request; each page module under
`pages/` returns its routes. Templates and static files ship inside this package.
May import `bot.app` and everything below it; never `bot.web.app`.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.app import App
from bot.web.dashboard import auth
from bot.web.dashboard.pages import (
    announcements,
    audit,
    facts,
    imports,
    inbox,
    people,
    questions,
    statistics,
    villages,
)
from bot.web.dashboard.security import RateLimit, SecurityHeaders
from bot.web.dashboard.site import PREFIX, Site, environment

PAGES = (announcements, audit, facts, imports, inbox, people, questions, statistics, villages)


def build_site(app: App) -> Site:
    return Site(
        store=app.store,
        settings=app.settings,
        dispatcher=app.dispatcher,
        env=environment(),
        login_limit=RateLimit(app.settings.dashboard_login_per_minute),
    )


def dashboard_routes(app: App) -> list[BaseRoute]:
    """One mount, /dasbor, with its own security headers."""
    site = build_site(app)

    async def home(_: object) -> Response:
        return RedirectResponse(PREFIX + "/pertanyaan", status_code=303)

    routes: list[BaseRoute] = [Route("/", home, methods=["GET"]), *auth.routes(site)]
    for page in PAGES:
        routes.extend(page.routes(site))
    routes.append(
        Mount("/static", StaticFiles(packages=[("bot.web.dashboard", "static")]), name="static")
    )
    dashboard = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    return [Mount(PREFIX, app=dashboard)]
