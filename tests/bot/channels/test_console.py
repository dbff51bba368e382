"""The console chat: what `make run` shows on a machine with no tokens configured."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import App
from bot.channels.console import ConsoleChat

ROOT = Path(__file__).resolve().parents[3]


def _bot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


async def test_numbers_pick_the_buttons_just_shown(app: App) -> None:
    out = io.StringIO()
    console = ConsoleChat(app.dispatcher, stdin=io.StringIO("halo\n9\n"), stdout=out)
    await console.run()
    text = out.getvalue()
    assert "asisten info BPJS Ketenagakerjaan" in text
    assert "  1. Program BPJS TK" in text
    assert "  10. Kontak & kantor" in text
    assert "Ketik nomor pilihan" in text
    # 9 is "Langganan info": the subscription answer follows, not a fallback.
    assert "Langganan info" in text and "belum bisa menjawab" not in text
    assert text.rstrip().endswith("Sampai jumpa!")


@pytest.mark.usefixtures("trained_model")
def test_run_in_a_pipe_greets_shows_the_menu_and_exits_cleanly() -> None:
    done = subprocess.run(
        _bot("run"), input="halo\nmenu\n", capture_output=True, text=True, env=_env(), timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Halo! Saya jamsosbot")
    assert done.stdout.count("  1. Program BPJS TK") == 2  # the welcome, then the menu
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.usefixtures("trained_model")
def test_bad_input_in_the_console_gets_polite_replies() -> None:
    junk = "\x00\x01\x02\ufffd" * 5
    lines = ["", "x" * 20_000, junk, "😀😀😀"]
    done = subprocess.run(
        _bot("run"),
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Pesan Anda kosong" in done.stdout
    assert "terlalu panjang" in done.stdout
    assert done.stdout.count("hanya bisa membaca teks") == 2  # junk and emoji-only
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.usefixtures("trained_model")
def test_ctrl_c_exits_cleanly_without_a_traceback() -> None:
    with subprocess.Popen(
        _bot("run"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    ) as child:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("halo\n")
        child.stdin.flush()
        for line in child.stdout:
            if "Ketik nomor pilihan" in line:
                break
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=30)
    assert child.returncode == 0
    assert "Traceback" not in stderr


class Terminal(io.StringIO):
    """Typed input in a terminal (what `jamsosbot chat` reads when a person sits there)."""

    def isatty(self) -> bool:
        return True


async def test_in_a_terminal_the_bot_greets_and_prompts_before_the_first_line(app: App) -> None:
    out = io.StringIO()
    console = ConsoleChat(app.dispatcher, stdin=Terminal("terima kasih\n"), stdout=out)
    await console.run()
    text = out.getvalue()
    first_prompt = text.index("> ")
    assert "asisten info BPJS Ketenagakerjaan" in text[:first_prompt]  # greeted first
    assert text.count("> ") == 2  # before the question, and again after the answer
    assert text.rstrip().endswith("Sampai jumpa!")


async def test_piped_input_gets_no_prompts(app: App) -> None:
    out = io.StringIO()
    await ConsoleChat(app.dispatcher, stdin=io.StringIO("terima kasih\n"), stdout=out).run()
    assert "> " not in out.getvalue()
