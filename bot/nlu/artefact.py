"""The process-wide intent model, loaded from the artefact cache or trained and saved."""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from importlib import resources
from pathlib import Path

import numpy as np

from bot.nlu.data import REGION_FILES, load_intent_data, load_vocabulary
from bot.nlu.model import IntentModel
from bot.nlu.normalize import load_slang
from bot.nlu.trained import Trained

log = logging.getLogger(__name__)

_DATA_FILES = ("intents.yml", "vocabulary.yml", "slang.csv")
_CODE_FILES = (
    "classifier.py",
    "normalize.py",
    "data.py",
    "model.py",
    "augment.py",
    "trained.py",
    "slots.py",
    "money.py",
    "rules.py",
)
_MODELS: dict[str, IntentModel] = {}
_MODELS_LOCK = threading.Lock()


@functools.cache
def data_digest() -> str:
    """Identifies the shipped data and the code that learns from it (the artefact's key).

    Read once per process: the shipped files do not change while it runs.
    """
    digest = hashlib.sha256(np.__version__.encode())
    package = resources.files("bot.nlu")
    for name in _DATA_FILES:
        digest.update((package / "data" / name).read_bytes())
    for name in _CODE_FILES:
        digest.update((package / name).read_bytes())
    for owner, name in REGION_FILES:
        digest.update((resources.files(owner) / name).read_bytes())
    return digest.hexdigest()[:20]


def default_model(cache_dir: Path | None = None) -> IntentModel:
    """The model of the shipped data: once per process, from `cache_dir` when saved there.

    Blocking. Training takes about half a second; loading the saved artefact a few
    milliseconds. A missing or unreadable artefact is rebuilt (and saved when possible).
    """
    key = data_digest()
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is not None:
            return model
        path = cache_dir / f"nlu-{key}.npz" if cache_dir is not None else None
        trained: Trained | None = None
        if path is not None and path.is_file():
            try:
                trained = Trained.load(path)
            except (OSError, ValueError, KeyError) as exc:
                log.warning("intent model artefact unreadable, retraining: %s", exc)
        model = IntentModel(load_intent_data(), load_vocabulary(), load_slang(), trained=trained)
        if path is not None and trained is None:
            try:
                model.trained.save(path)
            except OSError as exc:
                log.warning("intent model artefact not saved: %s", exc)
        _MODELS[key] = model
        return model
