"""A store with the shipped gazetteer, built once per session and copied for each test."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store import Store


async def _build(path: Path) -> None:
    store = await Store.open(path)
    await store.close()


@pytest.fixture(scope="session")
def gazetteer_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "gazetteer.sqlite3"
    asyncio.run(_build(path))
    return path


@pytest.fixture
async def gazetteer_store(gazetteer_template: Path, tmp_path: Path) -> AsyncIterator[Store]:
    path = tmp_path / "store" / "imports.sqlite3"
    path.parent.mkdir(parents=True)
    shutil.copyfile(gazetteer_template, path)
    opened = await Store.open(path)
    yield opened
    await opened.close()
