"""The understanding pipeline: exact phrases, slots, normalization, classifier, short context.

`IntentModel` is built once per process from the shipped data (intents.yml, slang.csv,
vocabulary.yml) and is immutable; `NluUnderstander` binds it to an optional place finder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from bot.intents import Intent
from bot.nlu.classifier import SoftmaxModel, Vectorizer, raw_features
from bot.nlu.normalize import Normalizer, basic_normalize, load_slang
from bot.nlu.rules import PhraseRules, load_intent_data
from bot.nlu.slots import PhraseTable, SlotReader, Span, lower_text, read_money
from bot.nlu.understanding import PlaceFinder, Slots, Understanding

MONEY_WORD = "xuangx"
YEAR_WORD = "xtahunx"
NUMBER_WORD = "xangkax"
_YEAR_TOKEN = re.compile(r"(?:19|20)\d\d")

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

    answer: float = 0.30  # below: fallback
    margin: float = 0.12  # top two closer than this (and the second above `second`): ask
    second: float = 0.20
    followup: float = 0.95  # score given to a follow-up that reuses the previous intent


def load_vocabulary() -> dict[str, Any]:
    raw = (resources.files("bot.nlu") / "data" / "vocabulary.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise ValueError("vocabulary.yml must be a mapping")
    return data


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
    ):
        self.thresholds = thresholds or Thresholds()
        self.rules = PhraseRules(intent_data)
        self.concepts = PhraseTable(vocabulary.get("concepts", {}))
        self.occupations: Mapping[str, list[str]] = vocabulary.get("occupations", {})
        self.languages: Mapping[str, list[str]] = vocabulary.get("languages", {})
        self.place_stop_words: frozenset[str] = frozenset(
            basic_normalize(str(word)) for word in vocabulary.get("place_name_ends", ())
        )
        followup = vocabulary.get("followup", {})
        self.normalizer = Normalizer(slang)
        self.followup_cues = frozenset(self._norm_words(followup.get("cues", ())))
        self.fillers = frozenset(self._norm_words(followup.get("fillers", ()))) | {
            MONEY_WORD,
            YEAR_WORD,
            NUMBER_WORD,
        }
        self.occupation_words = frozenset(
            self._norm_words(p for phrases in self.occupations.values() for p in phrases)
        )
        pairs = list(examples if examples is not None else training_examples(intent_data))
        texts = [self.classifier_tokens(text, self._money_spans(text)) for text, _ in pairs]
        self.normalizer.set_vocabulary(t for tokens in texts for t in tokens)
        texts = [self.classifier_tokens(text, self._money_spans(text)) for text, _ in pairs]
        self.intents: tuple[Intent, ...] = tuple(sorted({i for _, i in pairs}))
        label_of = {intent: n for n, intent in enumerate(self.intents)}
        docs = [self._features(tokens) for tokens in texts]
        self.vectorizer = Vectorizer.fit(docs)
        rows = [self.vectorizer.transform(doc) for doc in docs]
        self.classifier = SoftmaxModel.train(
            rows,
            [label_of[i] for _, i in pairs],
            n_features=self.vectorizer.size,
            n_classes=len(self.intents),
        )

    def _norm_words(self, phrases: Iterable[str]) -> list[str]:
        return [w for phrase in phrases for w in self.normalizer.tokens(str(phrase))]

    @staticmethod
    def _money_spans(text: str) -> list[Span]:
        return read_money(lower_text(text))[1]

    def classifier_tokens(self, text: str, money: Sequence[Span]) -> list[str]:
        """Normalized tokens with amounts, years and other numbers replaced by placeholders."""
        lowered = lower_text(text)
        for start, end in sorted(money, reverse=True):
            lowered = f"{lowered[:start]} {MONEY_WORD} {lowered[end:]}"
        tokens = self.normalizer.tokens(lowered)
        out = []
        for token in tokens:
            if token.isdigit():
                token = YEAR_WORD if _YEAR_TOKEN.fullmatch(token) else NUMBER_WORD
            out.append(token)
        return out

    def _features(self, tokens: Sequence[str]) -> Any:
        return raw_features(tokens, self.concepts.find_all(" ".join(tokens)))

    def predict_tokens(self, tokens: Sequence[str]) -> Prediction:
        idx, values = self.vectorizer.transform(self._features(tokens))
        probs = self.classifier.probabilities(idx, values)
        order = np.argsort(-probs)[:3]
        return Prediction(tuple((self.intents[int(k)], float(probs[k])) for k in order))

    def predict(self, text: str) -> Prediction:
        return self.predict_tokens(self.classifier_tokens(text, self._money_spans(text)))


@cache
def default_model() -> IntentModel:
    """The model of the shipped data, trained once per process (blocking: ~0.5 s)."""
    return IntentModel(load_intent_data(), load_vocabulary(), load_slang())


class NluUnderstander:
    """Exact phrases first, then the classifier; slots; short follow-ups reuse the last intent."""

    def __init__(self, model: IntentModel, place_finder: PlaceFinder | None = None):
        self.model = model
        self.place_finder = place_finder
        self._slots = SlotReader(
            occupations=model.occupations,
            languages=model.languages,
            place_stop_words=model.place_stop_words,
        )
        self._finder_slots = SlotReader(
            occupations=model.occupations,
            languages=model.languages,
            place_stop_words=model.place_stop_words,
            finder=place_finder,
        )

    def understand(self, text: str, *, previous: Understanding | None = None) -> Understanding:
        model = self.model
        today = _today()
        exact = model.rules.match(text)
        if exact is not None:
            reading = self._read_slots(text, exact, today)
            return Understanding(intent=exact, score=1.0, slots=reading)
        base = self._slots.read(text, today=today, places=True)
        tokens = model.classifier_tokens(text, base.money_spans)
        prediction = model.predict_tokens(tokens)
        intent, score = prediction.top
        t = model.thresholds
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

        if previous is not None and previous.intent not in _NOT_FOLLOWED:
            followup = self._followup(text, tokens, previous, today, intent, clarify)
            if followup is not None:
                return followup
        slots = (
            self._read_slots(text, intent, today) if intent is not Intent.FALLBACK else base.slots
        )
        return Understanding(intent=intent, score=score, slots=slots, clarify=clarify)

    def _read_slots(self, text: str, intent: Intent, today: date) -> Slots:
        finder_needed = self.place_finder is not None and intent in PLACE_INTENTS
        reader = self._finder_slots if finder_needed else self._slots
        return reader.read(text, today=today, language=intent is Intent.LANGUAGE).slots

    def _followup(
        self,
        text: str,
        tokens: Sequence[str],
        previous: Understanding,
        today: date,
        intent: Intent,
        clarify: tuple[Intent, ...],
    ) -> Understanding | None:
        """The previous intent with the new slots, when the message adds only slot values."""
        reader = self._finder_slots if previous.intent in PLACE_INTENTS else self._slots
        new = reader.read(text, today=today).slots
        if new.empty:
            return None
        model = self.model
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
            score=model.thresholds.followup,
            slots=old.merged(new),
        )


def _today() -> date:
    return datetime.now(UTC).date()
