"""Playwright on Debian's Chromium against the real served app and the fake Bot API.

`stack()` serves `create_web_app` (Telegram channel polling the fake Bot API, dashboard)
on a fixed free port of 127.0.0.1, so the links the bot sends open here. `browser()` starts
/usr/bin/chromium headless with a fresh profile; when it is missing, the test fails with the
command that installs it (CI installs it, see .ci/run).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import BrowserContext, Page, async_playwright

from bot.app import App, build_channels
from bot.config import Settings
from bot.domain.roles import Role
from bot.regions.finder import RegionFinder
from bot.web import create_web_app
from tests.conftest import copy_seeded
from tests.fakes.telegram_api import FakeTelegramAPI, message_update, running_fake

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "Chromium is needed for the dashboard browser tests: `apt-get install -y chromium` "
    "(Debian/Ubuntu, as root; .ci/run does it), then run the tests again."
)
ADMIN_TG = 910001
STAFF_TG = 910002
LINK = re.compile(r"http://127\.0\.0\.1:\d+/dasbor/masuk/[A-Za-z0-9_-]+")
# Where screenshots go: docs/dashboard/ when DASHBOARD_SCREENSHOTS=1, else tmp (the
# autouse fixture clears JAMSOS_* variables, so this one has no such prefix).
SHOTS_ENV = "DASHBOARD_SCREENSHOTS"
DOCS_SHOTS = Path(__file__).resolve().parents[3] / "docs" / "dashboard"


@dataclass(slots=True)
class Stack:
    app: App
    fake: FakeTelegramAPI
    url: str

    async def link_from_bot(self, user_id: int) -> str:
        """Type /dasbor in Telegram (the fake) and read the link from the bot's answer."""
        before = len(self.fake.sent_texts(user_id))
        self.fake.push_update(message_update(user_id, "/dasbor"))
        await self.fake.wait_for(
            "sendMessage", before + 1, where=lambda c: c.params["chat_id"] == user_id
        )
        found = LINK.search(self.fake.sent_texts(user_id)[-1])
        assert found, self.fake.sent_texts(user_id)
        return found.group(0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def stack(
    tmp_path: Path, seeded_database: Path, place_finder: RegionFinder
) -> AsyncIterator[Stack]:
    async with running_fake() as fake:
        port = free_port()
        settings = Settings(
            data_dir=tmp_path / "data",
            host="127.0.0.1",
            port=port,
            telegram_token=fake.token,
            telegram_api_url=fake.url,
            admins=(f"telegram:{ADMIN_TG}",),
            staff_direct=(f"telegram:{STAFF_TG}",),  # tickets are handed over (the Inbox)
        )
        copy_seeded(seeded_database, settings.database_path)
        app = await App.create(settings, place_finder=place_finder)

        staff = await app.store.people.touch("telegram", str(STAFF_TG))
        await app.store.roles.grant(staff.id, Role.STAFF, granted_by="test")
        config = uvicorn.Config(
            create_web_app(app, build_channels(app)),
            host="127.0.0.1",
            port=port,
            lifespan="on",
            log_config=None,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        try:
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("uvicorn stopped during start-up")
                await asyncio.sleep(0.01)
            yield Stack(app=app, fake=fake, url=f"http://127.0.0.1:{port}")
        finally:
            server.should_exit = True
            await task
            await app.close()


def chromium_installed() -> bool:
    return CHROMIUM.exists()


@contextlib.asynccontextmanager
async def browser(profile: Path) -> AsyncIterator[BrowserContext]:
    if not chromium_installed():
        pytest.fail(INSTALL_HINT)
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 800},
            accept_downloads=True,
            locale="id-ID",
        )
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            await context.close()


async def sign_in(page: Page, link: str) -> None:
    await page.goto(link)
    await page.click("#login")
    await page.wait_for_url("**/dasbor/pertanyaan")


async def fits(page: Page) -> bool:
    """No horizontal scrolling of the page itself at the current viewport width."""
    return bool(
        await page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
            " && document.body.scrollWidth <= window.innerWidth"
        )
    )


def shots_dir(tmp_path: Path) -> Path:
    folder = DOCS_SHOTS if os.environ.get(SHOTS_ENV) == "1" else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
