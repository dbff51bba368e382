from __future__ import annotations

import asyncio

import pytest

from bot.cli import main
from bot.config import Settings
from bot.store import Store

SUTERA = "61.11.01.2001"


async def request_link(settings: Settings) -> int:
    store = await Store.open(settings.database_path)
    try:
        user = await store.people.touch("whatsapp", "6281234")
        await store.village_heads.link(user.id, SUTERA)
        return user.id
    finally:
        await store.close()


async def link_of(settings: Settings, user_id: int) -> bool:
    store = await Store.open(settings.database_path)
    try:
        link = await store.village_heads.get(user_id)
        return link is not None and link.verified
    finally:
        await store.close()


def test_pending_then_verify_from_the_shell(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    user_id = asyncio.run(request_link(settings))
    assert main(["villages", "pending"]) == 0
    out = capsys.readouterr().out
    assert f"{user_id}\twhatsapp:6281234\t{SUTERA}\tSutera" in out
    assert main(["villages", "verify", "whatsapp:6281234", "61.11.01.2002"]) == 1
    assert main(["villages", "verify", str(user_id), SUTERA, "--by", "kacab-ketapang"]) == 0
    assert "terverifikasi" in capsys.readouterr().out
    assert asyncio.run(link_of(settings, user_id))
