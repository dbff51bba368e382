"""What every dashboard page shares: the signed-in staff member, templates, CSRF, roles.

`Site.page(...)` wraps a page function: no session → the login page (401); a role too low
→ 403; a POST without the session's CSRF token → 403. Then it runs the page with the
`Staff` it resolved. Roles are read again on every request, so a revoked staff member's
session stops working at once.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.config import Settings
from bot.core.dispatcher import Dispatcher
from bot.core.formatting import Formatter
from bot.core.i18n import SUPPORTED, Translator
from bot.domain.roles import STAFF_ROLES, Role
from bot.store import Store
from bot.web.dashboard.security import RateLimit, mask

COOKIE = "jamsos_dasbor"
LANG_COOKIE = "jamsos_bahasa"
PREFIX = "/dasbor"


@dataclass(frozen=True, slots=True, kw_only=True)
class Staff:
    user_id: int
    address: str
    role: Role
    csrf: str
    locale: str

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


Page = Callable[[Request, "Staff"], Awaitable[Response]]

NAV: tuple[tuple[str, str, bool], ...] = (  # path, label key, admins only
    ("/kotak-masuk", "dashboard.nav.inbox", False),
    ("/pertanyaan", "dashboard.nav.questions", False),
    ("/pengumuman", "dashboard.nav.announcements", False),
    ("/impor", "dashboard.nav.imports", False),
    ("/desa", "dashboard.nav.villages", False),
    ("/statistik", "dashboard.nav.statistics", False),
    ("/fakta", "dashboard.nav.facts", False),
    ("/staf", "dashboard.nav.staff", True),
    ("/audit", "dashboard.nav.audit", False),
)


def sign(secret: str, value: str) -> str:
    mac = hmac.new(secret.encode(), value.encode(), "sha256").hexdigest()[:32]
    return f"{value}.{mac}"


def unsign(secret: str, signed: str) -> str | None:
    value, _, _mac = signed.rpartition(".")
    if not value or not hmac.compare_digest(sign(secret, value), signed):
        return None
    return value


@dataclass(slots=True)
class Site:
    store: Store
    settings: Settings
    dispatcher: Dispatcher
    env: jinja2.Environment
    login_limit: RateLimit
    _secret: str | None = field(default=None)

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.settings.dashboard_idle_minutes)

    @property
    def secure_cookies(self) -> bool:
        return (self.settings.public_url or "").startswith("https://")

    async def secret(self) -> str:
        if self._secret is None:
            self._secret = await self.store.dashboard.secret()
        return self._secret

    def translator(self, request: Request, fallback: str | None = None) -> Translator:
        chosen = request.cookies.get(LANG_COOKIE)
        locale = chosen if chosen in SUPPORTED else (fallback or "id")
        return self.dispatcher.catalogues.translator(locale)

    async def staff(self, request: Request) -> Staff | None:
        """The signed-in staff member, or None (no, bad or ended session; role revoked)."""
        cookie = request.cookies.get(COOKIE)
        session_id = unsign(await self.secret(), cookie) if cookie else None
        if session_id is None:
            return None
        session = await self.store.dashboard.session(session_id, idle=self.idle)
        if session is None:
            return None
        user = await self.store.people.get(session.user_id)
        if user is None:
            return None
        role = await self.dispatcher.role_of(user)
        if role not in STAFF_ROLES:
            await self.store.dashboard.end_sessions_of(user.id)
            return None
        return Staff(
            user_id=user.id,
            address=session.address,
            role=role,
            csrf=session.csrf,
            locale=self.translator(request, user.locale).locale,
        )

    def render(
        self,
        request: Request,
        template: str,
        staff: Staff | None = None,
        *,
        status: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        t = (
            self.dispatcher.catalogues.translator(staff.locale)
            if staff
            else self.translator(request)
        )
        nav = [
            (PREFIX + path, t(key), request.url.path.startswith(PREFIX + path))
            for path, key, admin_only in NAV
            if staff and (staff.is_admin or not admin_only)
        ]
        html = self.env.get_template(template).render(
            t=t,
            fmt=Formatter(t.locale),
            staff=staff,
            csrf=staff.csrf if staff else "",
            nav=nav,
            prefix=PREFIX,
            request_path=request.url.path,
            mask=mask,
            **values,
        )
        return HTMLResponse(html, status_code=status)

    def refuse(
        self, request: Request, key: str, status: int, staff: Staff | None = None
    ) -> Response:
        return self.render(request, "refused.html", staff, status=status, reason=key)

    def page(
        self, handler: Page, *, admin: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            staff = await self.staff(request)
            if staff is None:
                return self.refuse(request, "dashboard.refused.no_session", 401)
            if admin and not staff.is_admin:
                return self.refuse(request, "dashboard.refused.admin_only", 403, staff)
            if request.method == "POST":
                form = await request.form()
                try:
                    sent = form.get("csrf")
                    if not isinstance(sent, str) or not hmac.compare_digest(sent, staff.csrf):
                        return self.refuse(request, "dashboard.refused.csrf", 403, staff)
                    # Under `Referrer-Policy: no-referrer` Chromium sends `Origin: null` with
                    # form posts; the token above (and the SameSite=Strict cookie) protects.
                    origin = request.headers.get("origin", "null")
                    own = f"{request.url.scheme}://{request.url.netloc}"
                    if origin not in ("null", own):
                        return self.refuse(request, "dashboard.refused.csrf", 403, staff)
                    return await handler(request, staff)
                finally:
                    await form.close()  # uploaded files' temporary copies
            return await handler(request, staff)

        return endpoint

    async def audit(self, staff: Staff, action: str, subject: str = "", detail: str = "") -> None:
        await self.store.audit.record(
            actor=staff.address, action=f"dashboard.{action}", subject=subject, detail=detail
        )


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bot.web.dashboard", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
