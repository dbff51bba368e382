"""Shared fixtures: an isolated data dir per test, a real store, the real app and a chat driver."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Settings
from bot.core.context import HandlerContext
from bot.core.formatting import Formatter
from bot.core.i18n import Translator
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming, Reply
from bot.domain.roles import Role
from bot.domain.understanding import Slots, Understanding
from bot.regions.finder import RegionFinder
from bot.store import Store, User
from tests import postgres
from tests.artefacts import build_model_cache, copy_model_cache

# Test folders whose tests run on both engines (those that use the database).
_BOTH_BACKENDS = ("tests/bot/store/", "tests/bot/channels/", "tests/bot/announcements/")
_DATABASE_FIXTURES = {"store", "app", "settings", "seeded_database", "data_dir", "chat"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "own_engines: the test picks its engines itself (not run once per engine)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    path = metafunc.definition.path.as_posix()
    if (
        any(folder in path for folder in _BOTH_BACKENDS)
        and _DATABASE_FIXTURES & set(metafunc.fixturenames)
        and metafunc.definition.get_closest_marker("own_engines") is None
    ):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No setting, proxy or data dir leaks in from the machine running the tests."""
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith("JAMSOS_") or upper.endswith("_PROXY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("JAMSOS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    yield


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, seeded PostgreSQL database that each test's database is cloned from."""
    if postgres.URL is None:
        if postgres.IN_CI:
            pytest.fail(f"CI=true but JAMSOS_TEST_POSTGRES_URL is not set: {postgres.MISSING}")
        pytest.skip(postgres.MISSING)
    base = postgres.URL
    name = postgres.new_name("template")
    url = postgres.create(base, name)

    async def build() -> None:
        await (await Store.open(url, files=tmp_path_factory.mktemp("pgfiles"))).close()

    asyncio.run(build())
    yield name
    postgres.drop(base, name)


@pytest.fixture(scope="session")
def postgres_clones(postgres_template: str) -> Iterator[postgres.Clones]:
    """Each test's database, cloned from the template one test ahead (tests/postgres.py)."""
    assert postgres.URL is not None
    clones = postgres.Clones(postgres.URL, postgres_template)
    yield clones
    clones.close()


@pytest.fixture(autouse=True)
def backend(
    request: pytest.FixtureRequest, clean_environ: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The engine under test: SQLite, or (parametrised tests) a fresh PostgreSQL database,
    given to every `Settings` of the test through JAMSOS_DATABASE_URL."""
    name = str(getattr(request, "param", "sqlite"))
    if name != "postgresql":
        yield name
        return
    clones: postgres.Clones = request.getfixturevalue("postgres_clones")
    assert postgres.URL is not None
    database = clones.take()
    monkeypatch.setenv("JAMSOS_DATABASE_URL", postgres.with_database(postgres.URL, database))
    yield name
    clones.give_back(database)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded database built once per session (the gazetteer load takes ~1 s).

    Copying it is what a second start of the bot sees: migrations and seeds are skipped.
    """
    path = tmp_path_factory.mktemp("seeded") / "template.sqlite3"

    async def build() -> None:
        await (await Store.open(path)).close()

    asyncio.run(build())
    return path


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the intent model artefact, trained once per run (tests/artefacts.py)."""
    return build_model_cache(tmp_path_factory)


@pytest.fixture(scope="session", autouse=True)
def one_model_per_run(request: pytest.FixtureRequest) -> None:
    """Under pytest-xdist (`make test`) each worker process would train the intent model for
    its first app: instead the first worker trains it and the others load it (`model_cache`).
    A run in one process trains it only if a test needs it, as before."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        request.getfixturevalue("model_cache")


@pytest.fixture
def trained_model(model_cache: Path, tmp_path: Path) -> Path:
    """JAMSOS_DATA_DIR (tmp_path/data) holds the artefact: a bot process the test starts
    loads the model instead of training it. Returns the shared cache folder, for tests whose
    bot runs on another data dir (`copy_model_cache(model_cache, that_dir)`)."""
    copy_model_cache(model_cache, tmp_path / "data")
    return model_cache


@pytest.fixture(scope="session")
def place_finder(seeded_database: Path, model_cache: Path) -> RegionFinder:
    """The gazetteer index (immutable), built once and shared by every app in the session.

    The apps given it also understand messages: `model_cache` has the intent model in this
    process by then (trained once per run; the other xdist worker loads it).
    """

    async def build() -> RegionFinder:
        opened = await Store.open(seeded_database, seed=False)
        try:
            return await RegionFinder.load(opened.regions)
        finally:
            await opened.close()

    return asyncio.run(build())


def copy_seeded(template: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)


@pytest.fixture
def data_dir(tmp_path: Path, seeded_database: Path) -> Path:
    """The data dir JAMSOS_DATA_DIR points at, holding a copy of the seeded database."""
    folder = tmp_path / "data"
    copy_seeded(seeded_database, folder / "jamsosbot.sqlite3")
    return folder


@pytest.fixture
async def store(tmp_path: Path, seeded_database: Path, backend: str) -> AsyncIterator[Store]:
    path = tmp_path / "store" / "test.sqlite3"
    copy_seeded(seeded_database, path)
    target = Settings().database_target if backend == "postgresql" else path
    opened = await Store.open(target, files=path.parent)
    yield opened
    await opened.close()


@pytest.fixture
async def app(
    settings: Settings, seeded_database: Path, place_finder: RegionFinder
) -> AsyncIterator[App]:
    copy_seeded(seeded_database, settings.database_path)
    created = await App.create(settings, place_finder=place_finder)
    yield created
    await created.close()


def worker_context(
    store: Store, user: User, t: Translator, intent: Intent, slots: Slots | None = None
) -> HandlerContext:
    """What a handler sees when a worker asks `intent` (with `slots`) on 2026-11-23."""
    return HandlerContext(
        store=store,
        user=user,
        role=Role.WORKER,
        understanding=Understanding(intent=intent, score=1.0, slots=slots or Slots()),
        previous=None,
        t=t,
        fmt=Formatter(t.locale),
        today=date(2026, 11, 23),
        settings=Settings(),
    )


class Chat:
    """Drives the dispatcher as one person would: type text, press buttons by title."""

    def __init__(self, app: App, user_id: str = "u1", channel: str = "console"):
        self.app = app
        self.ref = ChatRef(channel=channel, user_id=user_id, chat_id=user_id)  # type: ignore[arg-type]
        self.last: list[Reply] = []

    async def say(self, text: str) -> list[Reply]:
        self.last = await self.app.dispatcher.handle(Incoming(chat=self.ref, text=text))
        return self.last

    async def press(self, title: str) -> list[Reply]:
        for reply in self.last:
            for button in reply.buttons:
                if button.title == title:
                    self.last = await self.app.dispatcher.handle(
                        Incoming(chat=self.ref, payload=button.payload)
                    )
                    return self.last
        shown = [b.title for r in self.last for b in r.buttons]
        raise AssertionError(f"no button {title!r}; shown: {shown}")

    @property
    def text(self) -> str:
        return "\n\n".join(reply.text for reply in self.last)

    @property
    def button_titles(self) -> list[str]:
        return [button.title for reply in self.last for button in reply.buttons]


@pytest.fixture
def chat(app: App) -> Chat:
    return Chat(app)
