"""The understanding pipeline: exact phrases, slots, normalization, classifier, short context.

`IntentModel` is built once per process from the shipped data (intents.yml, slang.csv,
vocabulary.yml) and is immutable; `NluUnderstander` binds it to an optional place finder.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import logging
import os
import random
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

from bot.domain.intents import Intent
from bot.domain.understanding import FUND_OPTION, PlaceFinder, Slots, Understanding
from bot.nlu.classifier import SoftmaxModel, Vectorizer, raw_features
from bot.nlu.normalize import Normalizer, basic_normalize, load_slang
from bot.nlu.rules import PhraseRules, load_intent_data
from bot.nlu.slots import PhraseTable, SlotReader, SlotReading, Span, lower_text, read_money

MAX_CHARS = 500
MONEY_WORD = "xuangx"
YEAR_WORD = "xtahunx"
NUMBER_WORD = "xangkax"
PLACE_WORD = "xtempatx"
_YEAR_TOKEN = re.compile(r"(?:19|20)\d\d")
log = logging.getLogger(__name__)

# One region's figures or a comparison: a second place, year or comparing word decides.
_COVERAGE = frozenset({Intent.COVERAGE_REGION, Intent.COVERAGE_COMPARE})
# Intents whose answers depend on a place: the gazetteer is consulted only for these.
PLACE_INTENTS = frozenset(
    {
        Intent.COVERAGE_REGION,
        Intent.COVERAGE_COMPARE,
        Intent.COVERAGE_RANKING,
        Intent.REGION_BUDGET,
        Intent.VILLAGE_TARGET,
        Intent.SUBSCRIBE,
        Intent.VULNERABLE_WORKERS,
    }
)
# The slots each intent's answer uses: a follow-up ("kalau gaji 6 juta?") keeps the previous
# intent only when every slot it adds is one of these.
_PLACE_SLOTS = frozenset({"place", "region", "other_region", "village"})
INTENT_SLOTS: Mapping[Intent, frozenset[str]] = {
    Intent.CONTRIBUTION_PU: frozenset({"money", "occupation", "option"}),
    Intent.CONTRIBUTION_BPU: frozenset({"money", "occupation"}),
    Intent.JKK_BENEFIT: frozenset({"money"}),
    Intent.JHT_BENEFIT: frozenset({"money"}),
    Intent.JKP_BENEFIT: frozenset({"money"}),
    Intent.JHT_CLAIM: frozenset({"money", "option"}),
    Intent.JP_BENEFIT: frozenset({"money", "age", "birth_year", "year"}),
    Intent.ELIGIBILITY: frozenset({"occupation"}),
    Intent.REGISTRATION_BPU: frozenset({"occupation"}),
    Intent.VULNERABLE_WORKERS: _PLACE_SLOTS | {"occupation"},
    Intent.COVERAGE_REGION: _PLACE_SLOTS | {"year"},
    Intent.COVERAGE_COMPARE: _PLACE_SLOTS | {"year"},
    Intent.COVERAGE_RANKING: _PLACE_SLOTS | {"year"},
    Intent.REGION_BUDGET: _PLACE_SLOTS | {"year", "money"},
    Intent.VILLAGE_TARGET: _PLACE_SLOTS | {"money", "option"},
}
# Intents that take a sum as a fund to spend: a follow-up sum needs a fund cue for them.
FUND_INTENTS = frozenset({Intent.VILLAGE_TARGET, Intent.REGION_BUDGET})
# A previous answer that a short follow-up ("kalau gaji 6 juta?") may refer back to.
_NOT_FOLLOWED = frozenset(
    {
        Intent.FALLBACK,
        Intent.GREETING,
        Intent.THANKS,
        Intent.HELP,
        Intent.LANGUAGE,
        Intent.SUBSCRIBE,
        Intent.UNSUBSCRIBE,
        Intent.OUT_OF_SCOPE_HEALTH,
    }
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision rule on the classifier's probabilities (tuned by cross-validation)."""

    answer: float = 0.25  # below: fallback
    margin: float = 0.12  # top two closer than this (and the second above `second`): ask
    second: float = 0.20
    followup: float = 0.95  # score given to a follow-up that reuses the previous intent
    switch: float = 0.8  # a message read this surely as another intent is no follow-up


def load_vocabulary() -> dict[str, Any]:
    raw = (resources.files("bot.nlu") / "data" / "vocabulary.yml").read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=SafeLoader)
    if not isinstance(data, dict):
        raise ValueError("vocabulary.yml must be a mapping")
    return data


_REGION_FILES = (
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
    for package, name in _REGION_FILES:
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


@dataclass(frozen=True, slots=True)
class Prediction:
    ranked: tuple[tuple[Intent, float], ...]  # best first

    @property
    def top(self) -> tuple[Intent, float]:
        return self.ranked[0]


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
    """

    words: tuple[str, ...]
    intents: tuple[Intent, ...]
    vectorizer: Vectorizer
    classifier: SoftmaxModel
    action: SoftmaxModel

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
            )


class IntentModel:
    """Everything learned or loaded from data; shared by every understander in the process."""

    def __init__(
        self,
        intent_data: Mapping[str, Any],
        vocabulary: Mapping[str, Any],
        slang: Mapping[str, str],
        *,
        thresholds: Thresholds | None = None,
        examples: Sequence[tuple[str, Intent]] | None = None,
        epochs: int = 8,
        learning_rate: float = 1.0,
        trained: Trained | None = None,
        augment: int = 1,
        place_names: Iterable[str] | None = None,
    ):
        self.thresholds = thresholds or Thresholds()
        self.rules = PhraseRules(intent_data)
        self._concept_phrases: Mapping[str, list[str]] = vocabulary.get("concepts", {})
        self.concepts = PhraseTable({})
        self.occupations: Mapping[str, list[str]] = vocabulary.get("occupations", {})
        self.languages: Mapping[str, list[str]] = vocabulary.get("languages", {})
        self.situations: Mapping[str, list[str]] = vocabulary.get("situations", {})
        self.fund_cues: list[str] = list(vocabulary.get("fund_cues", ()))
        self.choice_words = frozenset(
            basic_normalize(str(word)) for word in vocabulary.get("choice_words", ())
        )
        self.program_intents: Mapping[str, tuple[Intent, Intent]] = {
            basic_normalize(str(word)): (Intent(pair[0]), Intent(pair[1]))
            for word, pair in vocabulary.get("programs", {}).items()
        }
        self.action_pairs: tuple[tuple[Intent, Intent], ...] = tuple(
            dict.fromkeys(self.program_intents.values())
        )
        self._program_names = PhraseTable(
            {
                program: [basic_normalize(str(name)) for name in names]
                for program, names in vocabulary.get("program_names", {}).items()
            }
        )
        self.place_stop_words: frozenset[str] = frozenset(
            basic_normalize(str(word)) for word in vocabulary.get("place_name_ends", ())
        )
        self.language_words = frozenset(
            basic_normalize(str(word)) for word in vocabulary.get("language_words", ())
        )
        followup = vocabulary.get("followup", {})
        self.normalizer = Normalizer(slang)
        skip = {basic_normalize(str(w)) for w in vocabulary.get("place_mask_skip", ())}
        places = {
            " ".join(self.normalizer.tokens(name, correct=False))
            for name in (load_place_names() if place_names is None else place_names)
        }
        places = {p for p in places if p and p not in skip}
        self._places = PhraseTable({PLACE_WORD: sorted(places)})
        self.normalizer.reserved = frozenset(w for p in places for w in p.split())
        self.followup_cues = frozenset(self._norm_words(followup.get("cues", ())))
        self.fillers = frozenset(self._norm_words(followup.get("fillers", ()))) | {
            MONEY_WORD,
            YEAR_WORD,
            NUMBER_WORD,
        }
        self.occupation_words = frozenset(
            self._norm_words(p for phrases in self.occupations.values() for p in phrases)
        )
        if trained is None:
            pairs = list(examples if examples is not None else training_examples(intent_data))
            trained = self._fit(pairs, epochs=epochs, learning_rate=learning_rate, augment=augment)
        self.trained = trained
        self._known_words(trained.words)
        self.intents = trained.intents
        self.vectorizer = trained.vectorizer
        self.classifier = trained.classifier
        self.action = trained.action
        position = {intent: n for n, intent in enumerate(self.intents)}
        self._action_columns = [
            (position[b], position[c])
            for b, c in self.action_pairs
            if b in position and c in position
        ]
        self._program_columns = {
            program: (position[b], position[c])
            for program, (b, c) in self.program_intents.items()
            if b in position and c in position
        }

    def _fit(
        self,
        pairs: Sequence[tuple[str, Intent]],
        *,
        epochs: int,
        learning_rate: float,
        augment: int = 0,
    ) -> Trained:
        # The known words are the examples' and the cues' own words as written (slang mapped,
        # nothing "corrected" yet): typos in messages are then corrected towards them.
        texts = [
            self.classifier_tokens(text, self._money_spans(text), correct=False)
            for text, _ in pairs
        ]
        cues = (str(p) for phrases in self._concept_phrases.values() for p in phrases)
        cue_words = set(self._norm_words(cues))
        # known without any example
        general = self.normalizer.vocabulary | cue_words | self.normalizer.reserved
        words = sorted({t for tokens in texts for t in tokens} | cue_words)
        self._known_words(words)
        texts = [self.classifier_tokens(text, self._money_spans(text)) for text, _ in pairs]
        # A word of a message that no example has is "unknown"; while training, a word only
        # one example has plays that part (its own example is the only place it was seen).
        df = Counter(t for tokens in texts for t in set(tokens))
        unknown = [
            sum(1 for t in tokens if df[t] == 1 and t not in general and _is_word(t))
            for tokens in texts
        ]
        if augment:
            rng = random.Random(11)  # noqa: S311 - reproducible typos, not security
            extra = [
                (_typos(tokens, rng), pair, n)
                for _ in range(augment)
                for tokens, pair, n in zip(texts, pairs, unknown, strict=True)
            ]
            texts = texts + [t for t, _, _ in extra]
            pairs = [*pairs, *(p for _, p, _ in extra)]
            unknown = unknown + [n for _, _, n in extra]
        intents = tuple(sorted({i for _, i in pairs}))
        label_of = {intent: n for n, intent in enumerate(intents)}
        docs = [self._features(tokens, n) for tokens, n in zip(texts, unknown, strict=True)]
        vectorizer = Vectorizer.fit(docs)
        rows = [vectorizer.transform(doc) for doc in docs]
        classifier = SoftmaxModel.train(
            rows,
            [label_of[i] for _, i in pairs],
            n_features=vectorizer.size,
            n_classes=len(intents),
            epochs=epochs,
            learning_rate=learning_rate,
        )
        kind = {i: k for pair in self.action_pairs for k, i in enumerate(pair)}
        chosen = [n for n, (_, i) in enumerate(pairs) if i in kind]
        action = SoftmaxModel.train(
            [rows[n] for n in chosen],
            [kind[pairs[n][1]] for n in chosen],
            n_features=vectorizer.size,
            n_classes=2,
            epochs=epochs,
            learning_rate=learning_rate,
        )
        return Trained(
            words=tuple(words),
            intents=intents,
            vectorizer=vectorizer,
            classifier=classifier,
            action=action,
        )

    def _known_words(self, words: Iterable[str]) -> None:
        """Sets the normalizer's vocabulary; concept cues are matched in normalized form."""
        self.normalizer.set_vocabulary(words)
        self.concepts = PhraseTable(
            {
                name: [self.normalizer.normalize(str(p), correct=False) for p in phrases]
                for name, phrases in self._concept_phrases.items()
            }
        )

    def _norm_words(self, phrases: Iterable[str]) -> list[str]:
        return [
            w for phrase in phrases for w in self.normalizer.tokens(str(phrase), correct=False)
        ]

    @staticmethod
    def _money_spans(text: str) -> list[Span]:
        return read_money(lower_text(text))[1]

    def classifier_tokens(
        self, text: str, money: Sequence[Span], *, correct: bool = True
    ) -> list[str]:
        """Normalized tokens with amounts, years and other numbers replaced by placeholders."""
        lowered = lower_text(text)
        for start, end in sorted(money, reverse=True):
            lowered = f"{lowered[:start]} {MONEY_WORD} {lowered[end:]}"
        tokens = self.normalizer.tokens(lowered, correct=correct)
        out: list[str] = []
        for token in tokens:
            if token.isdigit():
                # "2024", and "tahun 24" (two digits right after the word for year)
                year = _YEAR_TOKEN.fullmatch(token) or (
                    len(token) == 2 and bool(out) and out[-1] == "tahun"
                )
                token = YEAR_WORD if year else NUMBER_WORD
            out.append(token)
        return self._places.replaced(out)

    def _features(self, tokens: Sequence[str], unknown: int) -> Any:
        markers = self.concepts.find_all(" ".join(tokens))
        if tokens.count(YEAR_WORD) >= 2:
            markers.add("_two_years")  # "2023 vs 2024": a comparison of years
        if tokens.count(PLACE_WORD) >= 2:
            markers.add("_two_places")
        if unknown:
            # Words never seen in any example: a hint that the question is about something
            # else (out of scope), weighed by the classifier like any other feature.
            markers.add("_unknown")
            if unknown >= 2:
                markers.add("_unknown2")
            if 2 * unknown >= sum(1 for t in tokens if _is_word(t)):
                markers.add("_mostly_unknown")
        return raw_features(tokens, markers)

    def unknown_words(self, tokens: Sequence[str]) -> int:
        known, places = self.normalizer.vocabulary, self.normalizer.reserved
        return sum(1 for t in tokens if t not in known and t not in places and _is_word(t))

    def row(self, tokens: Sequence[str]) -> tuple[Any, Any]:
        """The message's sparse feature row (column indices, values)."""
        return self.vectorizer.transform(self._features(tokens, self.unknown_words(tokens)))

    def predict_tokens(self, tokens: Sequence[str]) -> Prediction:
        idx, values = self.row(tokens)
        probs = self.classifier.probabilities(idx, values)
        self._with_action(probs, idx, values)
        self._with_named_program(probs, tokens)
        order = np.argsort(-probs)[:3]
        return Prediction(tuple((self.intents[int(k)], float(probs[k])) for k in order))

    def _with_action(self, probs: Any, idx: Any, values: Any) -> None:
        """Within each program's benefit/claim pair, combines the classifier's split with the
        pooled action model's (a product of the two, renormalized); the pair's total stays."""
        claim = float(self.action.probabilities(idx, values)[1])
        for b, c in self._action_columns:
            total = probs[b] + probs[c]
            if total < 1e-3:
                continue
            q = probs[c] / total
            q = q * claim / (q * claim + (1.0 - q) * (1.0 - claim))
            probs[b], probs[c] = total * (1.0 - q), total * q

    def _with_named_program(self, probs: Any, tokens: Sequence[str]) -> None:
        """One program named, another program's benefit/claim read best: the named program's
        intent of the same kind takes that reading's place (the two swap)."""
        named = self._program_names.find_all(" ".join(tokens))
        if len(named) != 1:
            return
        columns = self._program_columns.get(named.pop())
        if columns is None:
            return
        top = int(np.argmax(probs))
        for kind in (0, 1):
            if top not in columns and any(top == pair[kind] for pair in self._action_columns):
                target = columns[kind]
                probs[top], probs[target] = probs[target], probs[top]
                return

    def predict(self, text: str) -> Prediction:
        return self.predict_tokens(self.classifier_tokens(text, self._money_spans(text)))


_DATA_FILES = ("intents.yml", "vocabulary.yml", "slang.csv")
_CODE_FILES = ("classifier.py", "normalize.py", "pipeline.py", "slots.py", "rules.py")
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
    for owner, name in _REGION_FILES:
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


class _Reading:
    """One message's slots, read once; places looked up by the finder at most once."""

    def __init__(self, text: str, reader: SlotReader, finder_reader: SlotReader, today: date):
        self.text = text
        self.lexical = reader.read(text, today=today, places=False)
        self._finder_reader = finder_reader
        self._found: SlotReading | None = None

    def slots_for(self, intent: Intent) -> Slots:
        reading = self.lexical
        if intent in PLACE_INTENTS and self._finder_reader.finder is not None:
            if self._found is None:
                self._found = self._finder_reader.with_found_places(self.text, self.lexical)
            reading = self._found
        slots = reading.for_intent(intent.value, language=intent is Intent.LANGUAGE)
        if intent is Intent.VILLAGE_TARGET and slots.option != FUND_OPTION:
            slots = replace(slots, money=None)  # a sum is a village fund only when one is named
        return slots

    @property
    def fund_named(self) -> bool:
        return self.lexical.options.get(Intent.VILLAGE_TARGET.value) == FUND_OPTION


class NluUnderstander:
    """Exact phrases first, then the classifier; slots; short follow-ups reuse the last intent."""

    def __init__(
        self,
        model: IntentModel,
        place_finder: PlaceFinder | None = None,
        *,
        thresholds: Thresholds | None = None,
    ):
        self.model = model
        self.place_finder = place_finder
        self.thresholds = thresholds or model.thresholds
        options = {
            Intent.JHT_CLAIM.value: model.situations,
            Intent.VILLAGE_TARGET.value: {FUND_OPTION: model.fund_cues},
        }
        self._slots = SlotReader(
            occupations=model.occupations,
            languages=model.languages,
            options=options,
            place_stop_words=model.place_stop_words,
        )
        self._finder_slots = SlotReader(
            occupations=model.occupations,
            languages=model.languages,
            options=options,
            place_stop_words=model.place_stop_words,
            finder=place_finder,
        )

    def understand(
        self, text: str, *, previous: Understanding | None = None, today: date | None = None
    ) -> Understanding:
        """`today` is the user's date (the dispatcher's time zone); UTC's when not given."""
        text = text[:MAX_CHARS]  # a question is short; the rest of a long paste adds nothing
        model = self.model
        reading = _Reading(text, self._slots, self._finder_slots, today or _today())
        exact = model.rules.match(text)
        if exact is not None:
            return Understanding(intent=exact, score=1.0, slots=reading.slots_for(exact))
        tokens = model.classifier_tokens(text, reading.lexical.money_spans)
        prediction = model.predict_tokens(tokens)
        intent, score = prediction.top
        t = self.thresholds
        clarify: tuple[Intent, ...] = ()
        if intent is Intent.FALLBACK or score < t.answer:
            intent = Intent.FALLBACK
        else:
            second, second_score = prediction.ranked[1]
            if (
                second is not Intent.FALLBACK
                and second_score >= t.second
                and score - second_score < t.margin
            ):
                clarify = (intent, second)
            else:
                clarify = self._alternatives(basic_normalize(text).split(), intent)

        if previous is not None and previous.intent not in _NOT_FOLLOWED:
            followup = self._followup(reading, tokens, previous, intent, score, clarify)
            if followup is not None:
                return followup
        slots = (
            reading.slots_for(intent) if intent is not Intent.FALLBACK else reading.lexical.slots
        )
        if (
            intent is Intent.LANGUAGE
            and slots.language is None
            and not (model.language_words & set(tokens))
        ):
            # Switching language needs a language named ("english", "bahasa"): an English
            # question about something else is not a request to switch.
            intent, clarify = Intent.FALLBACK, ()
        if intent in _COVERAGE and (
            slots.other_region is not None
            or tokens.count(YEAR_WORD) >= 2
            or "_compare" in model.concepts.find_all(" ".join(tokens))
        ):
            # Two places, two years of one place, or a comparing word ("dibanding", "vs",
            # "kalah dari"): that is a comparison.
            intent, clarify = Intent.COVERAGE_COMPARE, ()
        elif (
            intent is Intent.VILLAGE_TARGET
            and slots.village is not None
            and slots.other_region is not None
            and slots.option != FUND_OPTION
        ):
            # Two villages side by side ("capaian desa sutera dan desa sejahtera").
            intent, clarify = Intent.COVERAGE_COMPARE, ()
            slots = reading.slots_for(intent)
        return Understanding(intent=intent, score=score, slots=slots, clarify=clarify)

    def _alternatives(self, words: Sequence[str], intent: Intent) -> tuple[Intent, ...]:
        """(JHT_BENEFIT, JP_BENEFIT) for "jht atau jp": two programs named as a choice, when
        the classifier's reading is about one of them (a claim question asks about claims)."""
        programs = self.model.program_intents
        for i, word in enumerate(words[1:-1], start=1):
            if word not in self.model.choice_words:
                continue
            left, right = programs.get(words[i - 1]), programs.get(words[i + 1])
            if left is None or right is None or left == right:
                continue
            kind = 1 if intent in (left[1], right[1]) else 0  # a claim question stays one
            if intent not in (*left, *right):
                return ()
            return (left[kind], right[kind])
        return ()

    def _followup(
        self,
        reading: _Reading,
        tokens: Sequence[str],
        previous: Understanding,
        intent: Intent,
        score: float,
        clarify: tuple[Intent, ...],
    ) -> Understanding | None:
        """The previous intent with the new slots, when the message adds only slot values
        that intent uses, and the message on its own does not read confidently as another
        question (unless a follow-up word such as "kalau" or "what if" refers back)."""
        new = reading.slots_for(previous.intent)
        if new.empty:
            return None
        used = INTENT_SLOTS.get(previous.intent, frozenset())
        if previous.intent in FUND_INTENTS and not (
            reading.fund_named or previous.slots.money is not None
        ):
            used = used - {"money"}  # "what if salary 6 million" is no village fund
        if not set(new.as_dict()) <= used:
            return None
        model = self.model
        cued = any(t in model.followup_cues for t in tokens)
        if (
            not cued
            and intent not in (previous.intent, Intent.FALLBACK)
            and not clarify
            and score >= self.thresholds.switch
        ):
            return None
        place_words = set(basic_normalize(new.place or "").split())
        content = [
            t
            for t in tokens
            if t not in model.fillers
            and t not in model.followup_cues
            and t not in model.occupation_words
            and t not in place_words
            and not t.isdigit()
        ]
        uncertain = intent is Intent.FALLBACK or bool(clarify)
        if content and not uncertain:
            return None
        if content and len(content) > 2:
            return None
        old = previous.slots
        if new.place is not None or new.region is not None:
            old = replace(old, place=None, region=None, other_region=None, village=None)
        return Understanding(
            intent=previous.intent,
            score=self.thresholds.followup,
            slots=old.merged(new),
        )


def _is_word(token: str) -> bool:
    """A word of the message (not a number or an amount/year placeholder)."""
    return token.isalpha() and token not in (MONEY_WORD, YEAR_WORD, NUMBER_WORD, PLACE_WORD)


def _typos(tokens: Sequence[str], rng: random.Random) -> list[str]:
    """A copy with typing slips in some longer words (robustness of the char n-grams)."""
    out = []
    for word in tokens:
        if len(word) > 4 and rng.random() < 0.35:
            i = rng.randrange(1, len(word) - 1)
            kind = rng.randrange(3)
            if kind == 0:
                word = word[:i] + word[i + 1 :]
            elif kind == 1:
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            else:
                word = word[:i] + word[i] + word[i:]
        out.append(word)
    return out


def _today() -> date:
    return datetime.now(UTC).date()
