"""The trained artefact: what training produces, saved to and loaded from the cache."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.domain.intents import Intent
from bot.nlu.classifier import SoftmaxModel, Vectorizer


def _packed(strings: Iterable[str]) -> npt.NDArray[np.uint8]:
    """Strings as one UTF-8 byte array (compact, and loadable without pickle)."""
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _unpacked(array: npt.NDArray[np.uint8]) -> list[str]:
    text = array.tobytes().decode("utf-8")
    return text.split("\n") if text else []


@dataclass(frozen=True, slots=True)
class Trained:
    """What training produces; saved to and loaded from the artefact cache.

    `action` reads benefit (class 0) vs claim (class 1), learned from the examples of every
    program together: "cara", "syarat", "dokumen" mean a claim whichever program is named.
    `long` reads long messages: learned from the examples and from the examples inside
    framing and a story (`augment.in_context`); `classifier` from the examples alone.
    """

    words: tuple[str, ...]
    intents: tuple[Intent, ...]
    vectorizer: Vectorizer
    classifier: SoftmaxModel
    action: SoftmaxModel
    long: SoftmaxModel

    def save(self, path: Path) -> None:
        """Written atomically (a concurrent reader sees the old file or the new one)."""
        names = sorted(self.vectorizer.index, key=self.vectorizer.index.__getitem__)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as out:
            np.savez(
                out,
                words=_packed(self.words),
                intents=_packed(i.value for i in self.intents),
                names=_packed(names),
                idf=self.vectorizer.idf,
                weights=self.classifier.weights,
                bias=self.classifier.bias,
                action_weights=self.action.weights,
                action_bias=self.action.bias,
                long_weights=self.long.weights,
                long_bias=self.long.bias,
            )
        partial.replace(path)
        for old in path.parent.glob("nlu-*.npz"):  # artefacts of earlier data
            if old != path:
                old.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> Trained:
        with np.load(path, allow_pickle=False) as saved:
            names = _unpacked(saved["names"])
            return cls(
                words=tuple(_unpacked(saved["words"])),
                intents=tuple(Intent(v) for v in _unpacked(saved["intents"])),
                vectorizer=Vectorizer(
                    index={name: i for i, name in enumerate(names)}, idf=saved["idf"]
                ),
                classifier=SoftmaxModel(weights=saved["weights"], bias=saved["bias"]),
                action=SoftmaxModel(weights=saved["action_weights"], bias=saved["action_bias"]),
                long=SoftmaxModel(weights=saved["long_weights"], bias=saved["long_bias"]),
            )
