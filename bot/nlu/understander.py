"""The understander: exact phrases, slots, the classifier, short follow-ups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from bot.domain.intents import NOT_FOLLOWED, SETTINGS, Intent
from bot.domain.understanding import FUND_OPTION, PlaceFinder, Slots, Understanding
from bot.nlu.language import message_locale
from bot.nlu.model import YEAR_WORD, IntentModel, Prediction, Thresholds
from bot.nlu.money import read_amount
from bot.nlu.normalize import basic_normalize
from bot.nlu.segments import MAX_SEGMENTS, asking_clauses, segment, word_count
from bot.nlu.slots import SlotReader, SlotReading, lower_text
from bot.nlu.topics import topic_default

MAX_CHARS = 2000
MAX_SENTENCES_READ = 5  # asking sentences of one message read on their own
# Longest message (in words) that may still be a request to change a setting.
SHORT_COMMAND_WORDS = 12
_FRAMING = frozenset({Intent.GREETING, Intent.THANKS})
# Readings that are no question of their own: never one of a message's several answers.
NOT_QUESTIONS = frozenset(
    {Intent.FALLBACK, Intent.GREETING, Intent.THANKS, Intent.HELP, *SETTINGS}
)

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


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A sentence's classifier reading (its best intent other than a setting), kept so that
    a chosen sentence is not classified twice."""

    intent: Intent
    score: float
    tokens: list[str]
    prediction: Prediction


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
        """Every question of the message (up to three, in the order asked), framing dropped.

        `today` is the user's date (the dispatcher's time zone); UTC's when not given.
        """
        text = text[:MAX_CHARS]  # the rest of a pasted essay adds nothing
        found = self._questions(text, previous, today or _today())
        locale = message_locale(text)
        if locale is None:
            return found
        more = tuple(replace(m, locale=locale) for m in found.more)
        return replace(found, locale=locale, more=more)

    def _questions(self, text: str, previous: Understanding | None, day: date) -> Understanding:
        exact = self.model.rules.match(text)
        if exact is not None:
            reading = _Reading(text, self._slots, self._finder_slots, day)
            slots = reading.slots_for(exact)
            return Understanding(intent=exact, score=1.0, slots=slots, explicit=True)
        parts = segment(text)
        if not parts.content:  # framing only: a greeting, thanks
            alone = self._one(text, previous, day)
            if alone.intent in _FRAMING or not parts.framing:
                return alone
            # "punten", "sugeng enjing", "hatur nuhun": framing the classifier has not seen
            return Understanding(intent=Intent(parts.framing), score=self.thresholds.answer)
        whole = self._one(parts.content, previous, day)
        bare = not parts.parts and word_count(parts.content) <= 2  # "hai bot": a greeting
        if (whole.intent is Intent.FALLBACK or bare) and parts.content != text:
            framing = self._one(text, previous, day)
            if framing.intent in _FRAMING:  # "halooo miin": the framing was all of it
                return framing
        lead = parts.parts[0] if parts.parts else ""
        one = len(parts.parts) <= 1 and not asking_clauses(lead)
        if one and (
            parts.content == lead
            or (whole.intent not in NOT_QUESTIONS and whole.score >= self.thresholds.sure)
        ):
            return whole  # one question, read surely with its story
        t = self.thresholds
        found: list[tuple[Understanding, float]] = []
        # Each asking sentence, or the asking clauses of a sentence that asks in several
        # ("iuran bpu sebulan berapa, terus cara daftarnya lewat mana"), in the order asked.
        pieces = [piece for part in parts.parts for piece in _asked_in(part)][:MAX_SENTENCES_READ]
        for part in pieces:
            read = self._candidate(part)
            intent, score = read.intent, read.score
            if intent in NOT_QUESTIONS or score < t.also:
                continue
            if all(intent is not q.intent for q, _ in found):
                found.append((self._one(part, None, day, several=True, read=read), score))
            if len(found) > MAX_SEGMENTS:
                break
        questions = [q for q, score in found if score >= t.several]
        if whole.intent not in NOT_QUESTIONS and (whole.score >= t.sure or not questions):
            # The message as a whole, story included, is the surest reading of its main
            # question: in its place when a sentence asks it too (a sure sentence before it
            # comes first only when read surer than the whole, else right after it), else
            # first; the other sentences add the other questions, in the order asked.
            asked = [q.intent for q, _ in found]
            if whole.intent in asked:
                at = asked.index(whole.intent)
                sure = [(q, score) for q, score in found[:at] if score >= t.several]
                before = [q for q, score in sure if score > whole.score]
                after = [q for q, score in sure if score <= whole.score]
                questions = [*before, whole, *after, *(q for q, _ in found[at + 1 :])]
            else:
                # a sentence that is not the main question adds one only when read surely
                questions = [whole, *(q for q, score in found if score >= t.several)]
        if not questions:
            return whole
        first, *more = questions[:MAX_SEGMENTS]
        return replace(first, more=tuple(more))

    def _candidate(self, text: str) -> _Candidate:
        """The classifier's reading of one sentence, without its slots (cheap): settings and
        unsure readings are no question of their own."""
        model = self.model
        tokens = model.classifier_tokens(text, read_amount(lower_text(text)).spans)
        prediction = model.predict_tokens(tokens)
        for intent, score in prediction.ranked:
            if intent not in SETTINGS:
                return _Candidate(intent, score, tokens, prediction)
        return _Candidate(Intent.FALLBACK, 0.0, tokens, prediction)

    def _one(
        self,
        text: str,
        previous: Understanding | None,
        today: date,
        *,
        several: bool = False,
        read: _Candidate | None = None,
    ) -> Understanding:
        """One question; `several`: one of a message's several (no settings change); `read`:
        its classifier reading when already made."""
        model = self.model
        reading = _Reading(text, self._slots, self._finder_slots, today)
        exact = model.rules.match(text)
        if exact is not None and not (several and exact in SETTINGS):
            slots = reading.slots_for(exact)
            return Understanding(intent=exact, score=1.0, slots=slots, explicit=True)
        if read is not None:
            tokens, prediction = read.tokens, read.prediction
        else:
            tokens = model.classifier_tokens(text, reading.lexical.money_spans)
            prediction = model.predict_tokens(tokens)
        t = self.thresholds
        intent, score = prediction.top
        if intent in SETTINGS and (
            several or word_count(text) > SHORT_COMMAND_WORDS or score < t.setting
        ):
            # A setting changes on a short, clear request only: a long message that mentions
            # "update", "info", "stop" or a language asks something else (or nothing).
            ranked = [(i, s) for i, s in prediction.ranked if i not in SETTINGS]
            prediction = Prediction((*ranked, (Intent.FALLBACK, 0.0)))
        intent, score = prediction.top
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

        if previous is not None and previous.intent not in NOT_FOLLOWED:
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
        markers = model.concepts.find_all(" ".join(tokens))
        intent, clarify = topic_default(markers, intent, score, clarify, sure=self.thresholds.sure)
        if intent in _COVERAGE and (
            slots.other_region is not None or tokens.count(YEAR_WORD) >= 2 or "_compare" in markers
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
        guess = reading.lexical.money_guess
        if guess is not None and "money" not in INTENT_SLOTS.get(intent, frozenset()):
            guess = None  # the intent's answer uses no amount: nothing to ask
        return Understanding(
            intent=intent, score=score, slots=slots, clarify=clarify, money_guess=guess
        )

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


def _asked_in(sentence: str) -> list[str]:
    """A sentence's asking clauses when it asks in two or more (the sentence after them, for
    a question its clauses alone do not make clear), else the sentence itself."""
    return [*asking_clauses(sentence), sentence]


def _today() -> date:
    return datetime.now(UTC).date()
