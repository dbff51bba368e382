"""A normal (not editable) install answers in sentences: the catalogues are package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip install .` builds (offline: the build tools of this environment)."""
    source = tmp_path_factory.mktemp("source") / "jamsosbot"
    shutil.copytree(ROOT, source, symlinks=True, ignore=SKIP)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(out), str(source)],
        check=True,
        timeout=300,
    )  # fmt: skip
    (built,) = out.glob("jamsosbot-*.whl")
    return built


def test_the_wheel_holds_every_catalogue(wheel: Path) -> None:
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".po")}
    in_tree = {"bot/" + str(path.relative_to(ROOT)) for path in (ROOT / "locales").rglob("*.po")}
    assert in_tree and in_tree == shipped


def test_an_installed_bot_answers_in_sentences_not_keys(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )  # fmt: skip
    probe = (
        "from bot.core.i18n import LOCALES_DIR, Catalogues\n"
        "t = Catalogues.load().translator('id')\n"
        "print(LOCALES_DIR)\n"
        "print(t('conversation.welcome'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,  # not the source tree
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    where, welcome = done.stdout.splitlines()[:2]
    assert Path(where).is_relative_to(target)
    assert welcome.startswith("Halo! Saya jamsosbot")
