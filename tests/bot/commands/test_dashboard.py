"""`jamsosbot dashboard link channel:id`: a one-time link for staff and admins only."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.domain.roles import Role
from bot.store import Store
from tests.bot.commands.test_faq import CliRunner, cli

__all__ = ["cli"]
LINK = re.compile(r"^http://127\.0\.0\.1:8080/dasbor/masuk/([A-Za-z0-9_-]+)$", re.M)


def _person(data_dir: Path, address: str, role: Role | None) -> int:
    async def make() -> int:
        store = await Store.open(data_dir / "jamsosbot.sqlite3")
        try:
            user = await store.people.touch(*address.split(":"))
            if role is not None:
                await store.roles.grant(user.id, role, granted_by="test")
            return user.id
        finally:
            await store.close()

    return asyncio.run(make())


def _redeem(data_dir: Path, token: str) -> object:
    async def redeem() -> object:
        store = await Store.open(data_dir / "jamsosbot.sqlite3")
        try:
            return await store.dashboard.redeem_link(token)
        finally:
            await store.close()

    return asyncio.run(redeem())


def test_a_staff_member_gets_a_working_link(data_dir: Path, cli: CliRunner) -> None:
    user_id = _person(data_dir, "telegram:4242", Role.STAFF)
    status, out, _ = cli("dashboard", "link", "telegram:4242")
    assert status == 0
    found = LINK.search(out)
    assert found, out
    assert _redeem(data_dir, found.group(1)) == user_id


def test_no_link_for_a_worker_an_unknown_user_or_a_bad_address(
    data_dir: Path, cli: CliRunner
) -> None:
    _person(data_dir, "telegram:4343", None)
    status, out, _ = cli("dashboard", "link", "telegram:4343")
    assert status == 1 and "bukan petugas" in out and "/dasbor/masuk/" not in out
    status, out, _ = cli("dashboard", "link", "telegram:0000")
    assert status == 1 and "belum pernah menulis" in out
    status, out, _ = cli("dashboard", "link", "4242")
    assert status == 2


def test_english_with_the_setting(
    data_dir: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _person(data_dir, "telegram:4242", Role.STAFF)
    _person(data_dir, "telegram:4343", None)
    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "en")
    status, out, _ = cli("dashboard", "link", "telegram:4242")
    assert status == 0 and "minutes, opens once; send it to telegram:4242 privately" in out
    status, out, _ = cli("dashboard", "link", "telegram:4343")
    assert status == 1 and "not staff" in out and "petugas" not in out
