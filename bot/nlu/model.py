"""The intent model: normalization, placeholders, features and the trained classifier.

`IntentModel` is built once per process from the shipped data (intents.yml, slang.csv,
vocabulary.yml) and is immutable; `bot.nlu.artefact.default_model` caches it.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.domain.intents import Intent
from bot.nlu.augment import in_context, typos
from bot.nlu.classifier import SoftmaxModel, Vectorizer, raw_features
from bot.nlu.data import load_place_names, training_examples
from bot.nlu.money import read_money
from bot.nlu.normalize import Normalizer, basic_normalize
from bot.nlu.rules import PhraseRules
from bot.nlu.slots import PhraseTable, Span, lower_text
from bot.nlu.trained import Trained

MONEY_WORD = "xuangx"
YEAR_WORD = "xtahunx"
NUMBER_WORD = "xangkax"
PLACE_WORD = "xtempatx"
LONG_WORDS = 12  # a message of more words is long: its unknown words are mostly its story
_YEAR_TOKEN = re.compile(r"(?:19|20)\d\d")
_PLACEHOLDERS = (MONEY_WORD, YEAR_WORD, NUMBER_WORD, PLACE_WORD)  # words that are no words


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision rule on the classifier's probabilities (tuned by cross-validation)."""

    answer: float = 0.25  # below: fallback
    margin: float = 0.12  # top two closer than this (and the second above `second`): ask
    second: float = 0.20
    followup: float = 0.95  # score given to a follow-up that reuses the previous intent
    switch: float = 0.8  # a message read this surely as another intent is no follow-up
    several: float = 0.9  # a sentence of a longer message read this surely is a question
    also: float = 0.45  # a sentence after the main question read this surely: one more
    setting: float = 0.7  # a settings request read less surely is no settings request
    sure: float = 0.35  # a long message read this surely as a whole: that is its main question


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
            trained = self._fit(
                pairs,
                epochs=epochs,
                learning_rate=learning_rate,
                augment=augment,
                context=in_context(pairs, vocabulary.get("context", {})),
            )
        self.trained = trained
        self._known_words(trained.words)
        self.intents = trained.intents
        self.vectorizer = trained.vectorizer
        self.classifier = trained.classifier
        self.action = trained.action
        self.long = trained.long
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
        context: Sequence[tuple[str, Intent]] = (),
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
                (typos(tokens, rng), pair, n)
                for _ in range(augment)
                for tokens, pair, n in zip(texts, pairs, unknown, strict=True)
            ]
            texts = texts + [t for t, _, _ in extra]
            pairs = [*pairs, *(p for _, p, _ in extra)]
            unknown = unknown + [n for _, _, n in extra]
        intents = tuple(sorted({i for _, i in pairs}))
        label_of = {intent: n for n, intent in enumerate(intents)}
        docs = [self._features(tokens, n) for tokens, n in zip(texts, unknown, strict=True)]
        # Examples inside framing and a story: their words are not made known (a short
        # question about something else still has unknown words), and they count as unknown
        # here exactly as in a message. Only the long-message classifier learns from them.
        told = [self.classifier_tokens(text, self._money_spans(text)) for text, _ in context]
        told_docs = [self._features(tokens, self.unknown_words(tokens)) for tokens in told]
        vectorizer = Vectorizer.fit(docs + told_docs)
        rows = [vectorizer.transform(doc) for doc in docs]
        classifier = SoftmaxModel.train(
            rows,
            [label_of[i] for _, i in pairs],
            n_features=vectorizer.size,
            n_classes=len(intents),
            epochs=epochs,
            learning_rate=learning_rate,
        )
        long = SoftmaxModel.train(
            rows + [vectorizer.transform(doc) for doc in told_docs],
            [label_of[i] for _, i in pairs] + [label_of[i] for _, i in context],
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
            long=long,
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
        return raw_features(tokens, self._markers(tokens, unknown))

    def _markers(self, tokens: Sequence[str], unknown: int) -> set[str]:
        markers = self.concepts.find_all(" ".join(tokens))
        if tokens.count(YEAR_WORD) >= 2:
            markers.add("_two_years")  # "2023 vs 2024": a comparison of years
        if tokens.count(PLACE_WORD) >= 2:
            markers.add("_two_places")
        if unknown:
            # Words never seen in any example: a hint that the question is about something
            # else (out of scope), weighed by the classifier like any other feature. In a long
            # message they are mostly its story: markers of their own, learned apart.
            words = _word_count(tokens)
            long = "_long" if words > LONG_WORDS else ""
            markers.add("_unknown" + long)
            if unknown >= 2:
                markers.add("_unknown2" + long)
            if 2 * unknown >= words:
                markers.add("_mostly_unknown" + long)
        return markers

    def unknown_words(self, tokens: Sequence[str]) -> int:
        known, places = self.normalizer.vocabulary, self.normalizer.reserved
        return sum(1 for t in tokens if t not in known and t not in places and _is_word(t))

    def row(self, tokens: Sequence[str]) -> tuple[Any, Any]:
        """The message's sparse feature row (column indices, values)."""
        markers = self._markers(tokens, self.unknown_words(tokens))
        return self.vectorizer.transform_tokens(tokens, markers)

    def predict_tokens(self, tokens: Sequence[str]) -> Prediction:
        idx, values = self.row(tokens)
        long = _word_count(tokens) > LONG_WORDS
        probs = (self.long if long else self.classifier).probabilities(idx, values)
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


def _word_count(tokens: Sequence[str]) -> int:
    """The message's words: `_is_word` counted in bulk (alphabetic, placeholders left out)."""
    return sum(map(str.isalpha, tokens)) - sum(map(tokens.count, _PLACEHOLDERS))


def _is_word(token: str) -> bool:
    """A word of the message (not a number or an amount/year placeholder)."""
    return token.isalpha() and token not in (MONEY_WORD, YEAR_WORD, NUMBER_WORD, PLACE_WORD)
