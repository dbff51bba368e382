"""The command line's event loop: uvloop where installed, asyncio's own where not."""

from __future__ import annotations

import asyncio
import builtins
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from bot.cli import _console_mode, _failure, build_parser, event_loop_factory, main
from bot.config import Settings
from bot.store import DatabaseOutdated, Store
from tests.artefacts import copy_model_cache
from tests.fakes.telegram_api import running_fake


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop is not installed on Windows")
def test_commands_run_on_uvloop() -> None:
    import uvloop

    factory = event_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        assert isinstance(loop, uvloop.Loop)
        assert loop.run_until_complete(asyncio.sleep(0, result="ok")) == "ok"
    finally:
        loop.close()


def test_without_uvloop_asyncio_runs_the_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_uvloop(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "uvloop":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvloop)
    assert event_loop_factory() is None  # asyncio.Runner then makes its default loop


# --- start-up errors: one clear line, a non-zero status, never a hang -----------------------

ROOT = Path(__file__).resolve().parents[2]


def jamsosbot(
    *args: str, env: dict[str, str], stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    """The command line as systemd runs it: a separate process, its exit status, its output."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JAMSOS_")}
    environment.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=environment,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=90,  # a hang fails the test instead of blocking the suite
        check=False,
    )


def test_a_misspelt_timezone_is_one_line_and_status_2(tmp_path: Path) -> None:
    done = jamsosbot(
        "ask", "halo", env={"JAMSOS_DATA_DIR": str(tmp_path), "JAMSOS_TIMEZONE": "Asia/Jakata"}
    )
    assert done.returncode == 2
    assert "JAMSOS_TIMEZONE" in done.stderr and "Asia/Jakata" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [("serve",), ("stats",), ("db", "backup", "copy.sqlite3")])
def test_a_database_that_cannot_be_opened_ends_the_process(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    (tmp_path / "jamsosbot.sqlite3").write_bytes(b"this is not a database " * 100)
    done = jamsosbot(*command, env={"JAMSOS_DATA_DIR": str(tmp_path)})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == ["jamsosbot: DatabaseError: file is not a database"], done.stderr


async def test_app_create_leaves_no_database_thread_when_start_up_fails(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path).model_copy(update={"timezone": "Nowhere/Zone"})
    before = set(threading.enumerate())
    with pytest.raises(Exception, match="Nowhere/Zone"):
        await App.create(settings)
    await asyncio.sleep(0.1)  # a closed connection's thread ends right after close()
    new = set(threading.enumerate()) - before
    # The loop's executor threads (asyncio_N) are the loop's; any other would outlive us.
    left = [t for t in new if t.is_alive() and not t.daemon and not t.name.startswith("asyncio")]
    assert not left, left


@pytest.mark.parametrize(
    "command",
    [
        ("db", "backup", "copy.sqlite3"),
        ("stats",),
        ("facts", "check"),
        ("faq", "list"),
        ("roles", "list"),
        ("broadcast", "list"),
    ],
)
def test_read_only_commands_refuse_a_missing_database(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    data_dir = tmp_path / "wrong"
    done = jamsosbot(*command, env={"JAMSOS_DATA_DIR": str(data_dir)})
    assert done.returncode == 1
    assert "JAMSOS_DATA_DIR" in done.stderr and "db upgrade" in done.stderr
    assert not data_dir.exists()  # nothing was created
    assert not (tmp_path / "copy.sqlite3").exists()


async def test_read_only_store_writes_nothing(tmp_path: Path, seeded_database: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    shutil.copy(seeded_database, path)
    store = await Store.open(path, read_only=True)
    try:
        assert await store.faqs.active() == []
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await store.faqs.add(question="q", answer_id="a", source="s", examples=[])
    finally:
        await store.close()


async def test_read_only_store_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    with pytest.raises(DatabaseOutdated):
        await Store.open(path, read_only=True)


def test_the_top_level_error_line_redacts_secrets() -> None:
    token = "7123456789:AAH-secret-part-of-the-token-abcdefghij"
    error = RuntimeError(f"The token `{token}` was rejected by the server.")
    line = _failure(error, [token])
    assert token not in line and "secret-part" not in line
    assert line == "jamsosbot: RuntimeError: The token `***` was rejected by the server."
    # A secret that does not look like a token is removed because it is configured.
    assert "hunter2-webhook" not in _failure(
        ValueError("bad hunter2-webhook"), ["hunter2-webhook"]
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("jamsosbot ")


def test_output_into_a_closed_pipe_is_no_error(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` that has already quit
    try:
        done = jamsosbot("db", "upgrade", env={"JAMSOS_DATA_DIR": str(tmp_path)}, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 0
    assert done.stderr == ""


def test_console_commands_log_warnings_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JAMSOS_LOG_LEVEL", "INFO")
    monkeypatch.setenv("JAMSOS_TIMEZONE", "Asia/Jakarta")
    parsed = build_parser().parse_args(["chat"])
    assert _console_mode(parsed, Settings())
    parsed = build_parser().parse_args(["serve"])
    assert not _console_mode(parsed, Settings())
    # `ask` with a missing database exits early, after logging was set up for the console.
    main(["faq", "list"])
    assert logging.getLogger().level == logging.INFO
    monkeypatch.setenv("JAMSOS_DATA_DIR", str(tmp_path / "none"))
    main(["ask", "halo"])
    assert logging.getLogger().level == logging.WARNING


async def test_a_rejected_telegram_token_is_not_printed(
    tmp_path: Path, seeded_database: Path, model_cache: Path
) -> None:
    """Telegram refuses the token (401): PTB names it in its error; the line must not."""
    rejected = "7123456789:AAH-this-token-was-revoked-by-botfather-x"
    shutil.copy(seeded_database, tmp_path / "jamsosbot.sqlite3")
    copy_model_cache(model_cache, tmp_path)
    async with running_fake() as fake:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("JAMSOS_")}
        environment.update(
            PYTHONPATH=str(ROOT),
            JAMSOS_DATA_DIR=str(tmp_path),
            JAMSOS_TELEGRAM_TOKEN=rejected,
            JAMSOS_TELEGRAM_API_URL=fake.url,
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run",
            env=environment, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 1
    text = (out + err).decode()
    assert "InvalidToken" in text and "rejected" in text
    assert rejected not in text and "revoked-by-botfather" not in text
