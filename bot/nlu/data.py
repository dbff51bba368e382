"""Loading the shipped understanding data: intents, vocabulary, place names, examples."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

from bot.domain.intents import Intent


def load_intent_data() -> dict[str, Any]:
    raw = (resources.files("bot.nlu") / "data" / "intents.yml").read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=SafeLoader)
    if not isinstance(data, dict):
        raise ValueError("intents.yml must map intent ids to their data")
    return data


def load_vocabulary() -> dict[str, Any]:
    raw = (resources.files("bot.nlu") / "data" / "vocabulary.yml").read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=SafeLoader)
    if not isinstance(data, dict):
        raise ValueError("vocabulary.yml must be a mapping")
    return data


REGION_FILES = (
    ("bot.store", "seed/regions/regencies.csv"),
    ("bot.store", "seed/regions/provinces.csv"),
    ("bot.regions", "data/aliases.csv"),
)
_REGION_KIND = re.compile(r"^(?:kabupaten|kota)\s+")


def load_place_names() -> list[str]:
    """Regency, city and province names and their common short forms ("kalbar"), lowercase:
    the classifier reads them all as one placeholder word, so that an example about
    Sambas teaches about every regency. Weak aliases ("ktp") are left out."""
    names: list[str] = []
    for package, name in REGION_FILES:
        raw = (resources.files(package) / name).read_text(encoding="utf-8")
        for row in csv.DictReader(raw.splitlines()):
            if "alias" in row:
                if row.get("weak") != "1":
                    names.append(row["alias"])
            else:
                names.append(_REGION_KIND.sub("", row["name"].lower()))
    return names


def training_examples(data: Mapping[str, Any]) -> list[tuple[str, Intent]]:
    """(text, intent) for every example and phrase of the intents file."""
    pairs: list[tuple[str, Intent]] = []
    for name, spec in data.items():
        intent = Intent(name)
        for key in ("examples", "phrases"):
            pairs.extend((str(text), intent) for text in (spec or {}).get(key, ()))
    return pairs
