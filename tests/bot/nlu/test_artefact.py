"""The trained model saved between runs reads messages exactly like the freshly trained one."""

from __future__ import annotations

from pathlib import Path

from bot.nlu.artefact import data_digest, default_model
from bot.nlu.data import load_intent_data, load_vocabulary
from bot.nlu.model import IntentModel
from bot.nlu.normalize import load_slang
from bot.nlu.trained import Trained
from bot.nlu.understander import NluUnderstander

QUESTIONS = [
    "gaji 4,5jt potongan bpjs tk nya brp",
    "sy ojol bisa ikut gak",
    "gmn cairin jht abis resign",
    "cuaca besok gmn",
    "bandingin cakupan sambas sm landak",
]


def test_saved_artefact_gives_the_same_readings(tmp_path: Path) -> None:
    fresh = default_model()
    (tmp_path / "nlu-stale.npz").write_bytes(b"from older data")
    path = tmp_path / f"nlu-{data_digest()}.npz"
    fresh.trained.save(path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # older artefacts removed
    loaded = IntentModel(
        load_intent_data(), load_vocabulary(), load_slang(), trained=Trained.load(path)
    )
    before, after = NluUnderstander(fresh), NluUnderstander(loaded)
    for question in QUESTIONS:
        assert after.understand(question) == before.understand(question)


def test_digest_is_stable_for_the_same_data() -> None:
    assert data_digest() == data_digest()
    assert len(data_digest()) == 20


def test_the_shipped_files_are_read_once_per_process() -> None:
    model = default_model()
    reads = data_digest.cache_info().misses
    assert default_model() is model
    assert data_digest.cache_info().misses == reads <= 1
