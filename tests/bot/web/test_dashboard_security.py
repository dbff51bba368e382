"""Dashboard security over real HTTP: sessions, roles, CSRF, one-time links, headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient

from bot.app import App
from bot.config import Settings
from bot.domain.roles import Role
from bot.regions.finder import RegionFinder
from bot.web import create_web_app
from bot.web.dashboard.security import RateLimit, mask
from bot.web.dashboard.site import COOKIE
from tests.bot.web.conftest import Served, csrf_of
from tests.conftest import copy_seeded
from tests.fakes.telegram_api import serve_asgi

PAGES = [
    "/dasbor/kotak-masuk",
    "/dasbor/pertanyaan",
    "/dasbor/pengumuman",
    "/dasbor/impor",
    "/dasbor/desa",
    "/dasbor/statistik",
    "/dasbor/fakta",
    "/dasbor/staf",
    "/dasbor/audit",
]
ACTIONS = [
    "/dasbor/pengumuman",
    "/dasbor/pengumuman/pratinjau",
    "/dasbor/impor",
    "/dasbor/impor/konfirmasi",
    "/dasbor/pertanyaan/jawab",
    "/dasbor/pertanyaan/uji",
    "/dasbor/staf/tambah",
    "/dasbor/staf/cabut",
    "/dasbor/staf/kades",
    "/dasbor/keluar",
]


async def test_no_page_and_no_action_without_a_session(served: Served) -> None:
    async with served.client() as client:
        for path in [*PAGES, "/dasbor/desa/ekspor.xlsx", "/dasbor/pengumuman/1"]:
            response = await client.get(path)
            assert response.status_code == 401, path
            assert "/dasbor" in response.text  # the page says how to get a link
        for path in ACTIONS:
            response = await client.post(path, data={"csrf": "x", "text_id": "Halo"})
            assert response.status_code == 401, path
    assert await served.app.store.broadcasts.recent() == []


async def test_a_forged_session_cookie_is_refused(served: Served) -> None:
    async with served.client() as client:
        client.cookies.set(COOKIE, "abc.0123456789abcdef0123456789abcdef", path="/dasbor")
        assert (await client.get("/dasbor/pertanyaan")).status_code == 401


async def test_staff_reach_their_pages_but_not_the_admin_page(served: Served) -> None:
    async with served.client(served.staff) as client:
        for path in PAGES:
            response = await client.get(path)
            expected = 403 if path == "/dasbor/staf" else 200
            assert response.status_code == expected, path
        page = await client.get("/dasbor/pertanyaan")
        assert 'href="/dasbor/staf"' not in page.text
        response = await client.post(
            "/dasbor/staf/tambah", data={"csrf": csrf_of(page.text), "address": STAFF_ADDR}
        )
        assert response.status_code == 403


STAFF_ADDR = "whatsapp:6281234567890"


async def test_an_admin_grants_and_revokes_and_the_revoked_session_ends(served: Served) -> None:
    async with (
        served.client(served.admin) as admin,
        served.client(served.staff) as staff,
    ):
        page = await admin.get("/dasbor/staf")
        assert page.status_code == 200
        csrf = csrf_of(page.text)
        granted = await admin.post(
            "/dasbor/staf/tambah", data={"csrf": csrf, "address": STAFF_ADDR}
        )
        assert granted.status_code == 200
        assert await served.app.store.roles.role_of(served.worker.id) is Role.STAFF
        assert "6281234567890" not in granted.text  # numbers are masked
        assert (await staff.get("/dasbor/pertanyaan")).status_code == 200
        revoked = await admin.post(
            "/dasbor/staf/cabut", data={"csrf": csrf, "user_id": str(served.staff.id)}
        )
        assert revoked.status_code == 200
        assert (await staff.get("/dasbor/pertanyaan")).status_code == 401
    actions = [e.action for e in await served.app.store.audit.recent(20)]
    assert "role.grant" in actions and "role.revoke" in actions


async def test_a_form_without_or_with_a_wrong_csrf_token_is_refused(served: Served) -> None:
    async with (
        served.client(served.staff) as client,
        served.client(served.admin) as other,
    ):
        other_token = csrf_of((await other.get("/dasbor/pertanyaan")).text)
        form = {"question": "Q", "answer_id": "A", "source": "S"}
        for data in (form, {**form, "csrf": "forged"}, {**form, "csrf": other_token}):
            response = await client.post("/dasbor/pertanyaan/jawab", data=data)
            assert response.status_code == 403
            assert "kedaluwarsa" in response.text
        own = csrf_of((await client.get("/dasbor/pertanyaan")).text)
        cross = await client.post(
            "/dasbor/pertanyaan/jawab",
            data={**form, "csrf": own},
            headers={"origin": "https://evil.example"},
        )
        assert cross.status_code == 403
        assert await served.app.store.faqs.active() == []
        saved = await client.post("/dasbor/pertanyaan/jawab", data={**form, "csrf": own})
        assert saved.status_code == 200
        assert len(await served.app.store.faqs.active()) == 1


async def test_a_link_opens_once_and_an_expired_or_unknown_link_never(served: Served) -> None:
    async with served.client() as client:
        link = await served.link(served.staff)
        shown = await client.get(link)  # a link preview fetch consumes nothing
        assert shown.status_code == 200 and 'id="login"' in shown.text
        first = await client.post(link)
        assert first.status_code == 303
        cookie = first.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/dasbor" in cookie
        assert "secure" not in cookie  # the public URL is not HTTPS here
    async with served.client() as client:
        again = await client.post(link)
        assert again.status_code == 403 and "sudah dipakai" in again.text
        assert COOKIE not in again.cookies
        expired = await served.link(served.staff, minutes=-1)
        response = await client.post(expired)
        assert response.status_code == 403 and "kedaluwarsa" in response.text
        assert (await client.post("/dasbor/masuk/not-a-token")).status_code == 403


async def test_a_worker_link_opens_nothing(served: Served) -> None:
    async with served.client() as client:
        response = await client.post(await served.link(served.worker))
        assert response.status_code == 403


async def test_logout_ends_the_session(served: Served) -> None:
    async with served.client(served.staff) as client:
        page = await client.get("/dasbor/pertanyaan")
        cookie = client.cookies.get(COOKIE)
        out = await client.post("/dasbor/keluar", data={"csrf": csrf_of(page.text)})
        assert out.status_code == 200
        client.cookies.set(COOKIE, cookie or "", path="/dasbor")  # replaying the old cookie
        assert (await client.get("/dasbor/pertanyaan")).status_code == 401


async def test_an_idle_session_ends(served: Served) -> None:
    store = served.app.store.dashboard
    session_id, _ = await store.open_session(served.staff.id)
    idle = timedelta(minutes=served.app.settings.dashboard_idle_minutes)
    later = datetime.now(UTC) + idle + timedelta(seconds=1)
    assert await store.session(session_id, idle=idle, now=later) is None
    assert await store.session(session_id, idle=idle) is None  # ended for good


async def test_security_headers_on_every_dashboard_response(served: Served) -> None:
    async with served.client(served.staff) as client:
        for path in ["/dasbor/pertanyaan", "/dasbor/masuk", "/dasbor/static/dashboard.css"]:
            headers = (await client.get(path)).headers
            csp = headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
            assert "unsafe-inline" not in csp
            assert headers["referrer-policy"] == "no-referrer"
            assert headers["x-frame-options"] == "DENY"
            assert headers["x-content-type-options"] == "nosniff"


async def test_pages_have_no_inline_script_or_style(served: Served) -> None:
    async with served.client(served.admin) as client:
        for path in PAGES:
            html = (await client.get(path)).text
            assert "<script>" not in html and "<style" not in html and " style=" not in html
            assert " on" + "click=" not in html


async def test_the_login_route_is_rate_limited(served: Served) -> None:
    per_minute = served.app.settings.dashboard_login_per_minute
    async with served.client() as client:
        codes = [(await client.get("/dasbor/masuk/x")).status_code for _ in range(per_minute + 2)]
    assert codes[:per_minute] == [200] * per_minute
    assert codes[-1] == 429


def test_rate_limit_window_slides() -> None:
    limit = RateLimit(2)
    assert limit.allow("a", 0) and limit.allow("a", 1) and not limit.allow("a", 2)
    assert limit.allow("b", 2)
    assert limit.allow("a", 61)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("whatsapp:6281234567890", "whatsapp:6281•••••••90"),
        ("telegram:900001", "telegram:900001"),
        ("telegram:123456789", "telegram:1234•••89"),
    ],
)
def test_long_numbers_are_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


async def test_the_cookie_is_secure_when_the_public_url_is_https(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> None:
    settings = Settings(data_dir=tmp_path / "data", public_url="https://bot.example.id")
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings, place_finder=place_finder)
    try:
        staff = await app.store.people.touch("telegram", "77")
        await app.store.roles.grant(staff.id, Role.STAFF, granted_by="test")
        token = await app.store.dashboard.issue_link(
            staff.id, issued_by="test", ttl=timedelta(minutes=10)
        )
        async with (
            serve_asgi(create_web_app(app, []), lifespan="on") as url,
            AsyncClient(base_url=url) as client,
        ):
            response = await client.post(f"/dasbor/masuk/{token}")
        cookie = response.headers["set-cookie"].lower()
        assert response.status_code == 303 and "; secure" in cookie and "httponly" in cookie
    finally:
        await app.close()
