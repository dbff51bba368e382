"""Signing in without a password: a one-time link from chat (`/dasbor`) or the CLI.

GET on the link shows a button and consumes nothing (chat apps fetch links for previews);
the POST from that button redeems the link once and sets the session cookie: signed,
HttpOnly, SameSite=Strict, Secure when the public URL is HTTPS. Used, expired and unknown
links get a page saying so. Logout ends the session in the database.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.core.i18n import SUPPORTED
from bot.domain.roles import STAFF_ROLES
from bot.store.dashboard import LinkRefusal
from bot.web.dashboard.site import COOKIE, LANG_COOKIE, PREFIX, Site, Staff, sign


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def routes(site: Site) -> list[BaseRoute]:
    async def login_needed(request: Request) -> Response:
        staff = await site.staff(request)
        if staff is not None:
            return RedirectResponse(PREFIX + "/pertanyaan", status_code=303)
        return site.refuse(request, "dashboard.refused.no_session", 401)

    async def link(request: Request) -> Response:
        if not site.login_limit.allow(_client(request)):
            return site.refuse(request, "dashboard.refused.rate", 429)
        token = request.path_params["token"]
        if request.method == "GET":
            return site.render(request, "login.html", token=token)
        outcome = await site.store.dashboard.redeem_link(token)
        if isinstance(outcome, LinkRefusal):
            return site.refuse(request, f"dashboard.refused.link_{outcome.value}", 403)
        user = await site.store.people.get(outcome)
        if user is None or await site.dispatcher.role_of(user) not in STAFF_ROLES:
            return site.refuse(request, "dashboard.refused.not_staff", 403)
        session_id, _ = await site.store.dashboard.open_session(user.id)
        await site.store.audit.record(
            actor=f"{user.channel}:{user.external_id}", action="dashboard.login"
        )
        response = RedirectResponse(PREFIX + "/pertanyaan", status_code=303)
        response.set_cookie(
            COOKIE,
            sign(await site.secret(), session_id),
            httponly=True,
            samesite="strict",
            secure=site.secure_cookies,
            path=PREFIX,
        )
        if user.locale in SUPPORTED and LANG_COOKIE not in request.cookies:
            response.set_cookie(LANG_COOKIE, user.locale or "id", samesite="strict", path=PREFIX)
        return response

    async def logout(request: Request, staff: Staff) -> Response:
        cookie = request.cookies.get(COOKIE, "")
        session_id = cookie.rpartition(".")[0]
        await site.store.dashboard.end_session(session_id)
        await site.audit(staff, "logout")
        response = site.refuse(request, "dashboard.refused.logged_out", 200)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    async def language(request: Request, staff: Staff) -> Response:
        form = await request.form()
        chosen = str(form.get("locale", "id"))
        back = str(form.get("back") or "")
        if not back.startswith(PREFIX + "/") or "//" in back:
            back = PREFIX + "/pertanyaan"
        response = RedirectResponse(back, status_code=303)
        if chosen in SUPPORTED:
            response.set_cookie(LANG_COOKIE, chosen, samesite="strict", path=PREFIX)
        return response

    return [
        Route("/masuk", login_needed, methods=["GET"]),
        Route("/masuk/{token}", link, methods=["GET", "POST"]),
        Route("/keluar", site.page(logout), methods=["POST"]),
        Route("/bahasa", site.page(language), methods=["POST"]),
    ]
