"""The served app with the dashboard, a staff member and an admin, and a signed-in client."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient

from bot.app import App
from bot.config import Settings
from bot.domain.roles import Role
from bot.regions.finder import RegionFinder
from bot.store import User
from bot.web import create_web_app
from tests.conftest import copy_seeded
from tests.fakes.telegram_api import serve_asgi

ADMIN = "telegram:900001"
STAFF = "telegram:900002"
WORKER = "whatsapp:6281234567890"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(slots=True)
class Served:
    app: App
    url: str
    staff: User
    admin: User
    worker: User

    async def link(self, user: User, minutes: int = 10) -> str:
        token = await self.app.store.dashboard.issue_link(
            user.id, issued_by="test", ttl=timedelta(minutes=minutes)
        )
        return f"/dasbor/masuk/{token}"

    @contextlib.asynccontextmanager
    async def client(self, user: User | None = None) -> AsyncIterator[AsyncClient]:
        """A client, signed in as `user` when given (through a one-time link)."""
        async with AsyncClient(base_url=self.url) as client:
            if user is not None:
                response = await client.post(await self.link(user))
                assert response.status_code == 303, response.text
            yield client


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@pytest.fixture
async def served(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> AsyncIterator[Served]:
    settings = Settings(data_dir=tmp_path / "data", admins=(ADMIN,))
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings, place_finder=place_finder)
    try:
        store = app.store
        admin = await store.people.touch(*ADMIN.split(":"))
        staff = await store.people.touch(*STAFF.split(":"))
        worker = await store.people.touch(*WORKER.split(":"))
        await store.roles.grant(staff.id, Role.STAFF, granted_by="test")
        async with serve_asgi(create_web_app(app, []), lifespan="on") as url:
            yield Served(app=app, url=url, staff=staff, admin=admin, worker=worker)
    finally:
        await app.close()
