"""What a test run builds once and shares: the trained intent model's artefact.

A bot process started by a test (`python -m bot …`, `serve --workers 2`) trains the intent
model unless its data dir's `cache/` holds the artefact: about 10 s of CPU each time. The run
trains it once (`default_model`, which the in-process tests then use too) into a folder that
pytest-xdist's workers share, under a lock, and the tests that start the bot get a copy.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from bot.nlu.artefact import data_digest, default_model


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder of this run that every xdist worker sees (each worker has its own basetemp
    under one common parent); without xdist, one under the run's basetemp."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def build_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the artefact: trained by the first worker, loaded by the others."""
    folder = shared_folder(tmp_path_factory, "nlu-cache")
    artefact = folder / f"nlu-{data_digest()}.npz"
    with (folder.parent / "nlu-cache.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            # Trains and saves, or loads what another worker saved; a model this process
            # already holds (an app created earlier) is returned as is, and saved here.
            model = default_model(folder)
            if not artefact.is_file():
                model.trained.save(artefact)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def copy_model_cache(cache: Path, data_dir: Path) -> None:
    """Give a data dir the artefact, as a second start of the bot finds it (a copy, not a
    link: a test may damage its own)."""
    target = data_dir / "cache"
    target.mkdir(parents=True, exist_ok=True)
    for artefact in cache.glob("nlu-*.npz"):
        shutil.copyfile(artefact, target / artefact.name)
