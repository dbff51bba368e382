"""Generalization on held-out phrasings, and the parts of the pipeline that carry it."""

from __future__ import annotations

from collections import Counter

import numpy as np

from bot.app import App
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming
from bot.nlu.artefact import default_model
from bot.nlu.model import PLACE_WORD
from bot.nlu.understander import NluUnderstander
from tests.bot.nlu.heldout import HELD_OUT, OUT_OF_SCOPE_HELD_OUT
from tests.bot.nlu.heldout_service import SERVICE_HELD_OUT


async def test_held_out_confusable_phrasings_are_mostly_understood(app: App) -> None:
    """Not a benchmark: a floor that catches a data or feature change that breaks the
    confusable pairs (about 95 % of these are understood today)."""
    right = []
    for n, (intent, text) in enumerate(HELD_OUT):
        chat = ChatRef(channel="console", user_id=f"held-{n}", chat_id=f"held-{n}")
        outcome = await app.dispatcher.process(Incoming(chat=chat, text=text), record=False)
        assert outcome.understanding is not None
        right.append(outcome.understanding.intent is intent)
    assert sum(right) / len(right) >= 0.9


async def test_held_out_service_phrasings_are_mostly_understood(app: App) -> None:
    """A floor for the service and account intents of issue 15 and the real wordings of older
    intents taught with them (about 97 % of these are understood today)."""
    right = []
    for n, (intent, text) in enumerate(SERVICE_HELD_OUT):
        chat = ChatRef(channel="console", user_id=f"svc-{n}", chat_id=f"svc-{n}")
        outcome = await app.dispatcher.process(Incoming(chat=chat, text=text), record=False)
        assert outcome.understanding is not None
        right.append(outcome.understanding.intent is intent)
    assert sum(right) / len(right) >= 0.85


def test_every_service_intent_has_five_held_out_phrasings() -> None:
    service = {
        Intent.JMO_APP_HELP,
        Intent.ACCOUNT_ACCESS,
        Intent.KPJ_LOST,
        Intent.KPJ_MULTIPLE,
        Intent.DATA_CORRECTION,
        Intent.CLAIM_STATUS,
        Intent.PAYOUT_ACCOUNT,
        Intent.MEMBERSHIP_STATUS,
        Intent.BSU,
        Intent.LOANS,
        Intent.FRAUD_WARNING,
        Intent.HUMAN_AGENT,
    }
    counts = Counter(intent for intent, _ in SERVICE_HELD_OUT)
    assert {intent: counts[intent] for intent in service if counts[intent] < 5} == {}


async def test_held_out_questions_about_other_things_mostly_fall_back(app: App) -> None:
    """A floor, as above (about 90 % fall back today; the rest read as a near topic)."""
    fallen = []
    for n, text in enumerate(OUT_OF_SCOPE_HELD_OUT):
        chat = ChatRef(channel="console", user_id=f"oos-{n}", chat_id=f"oos-{n}")
        outcome = await app.dispatcher.process(Incoming(chat=chat, text=text), record=False)
        assert outcome.understanding is not None
        fallen.append(outcome.understanding.intent is Intent.FALLBACK)
    assert sum(fallen) / len(fallen) >= 0.8


def test_pooled_action_model_reads_claim_and_benefit_words_without_a_program() -> None:
    model = default_model()

    def claim(text: str) -> float:
        idx, values = model.row(model.classifier_tokens(text, []))
        return float(model.action.probabilities(idx, values)[1])

    assert claim("syarat dan dokumen buat ngajuin klaimnya apa aja") > 0.5
    assert claim("nanti dapat manfaat berapa") < 0.5


def test_pooled_action_model_keeps_each_pair_total() -> None:
    model = default_model()
    idx, values = model.row(model.classifier_tokens("cara klaim jp", []))
    raw = model.classifier.probabilities(idx, values)
    mixed = raw.copy()
    model._with_action(mixed, idx, values)
    assert np.isclose(mixed.sum(), 1.0, atol=1e-5)
    position = {intent: n for n, intent in enumerate(model.intents)}
    pair = [position[Intent.JP_BENEFIT], position[Intent.JP_CLAIM]]
    assert np.isclose(mixed[pair].sum(), raw[pair].sum(), atol=1e-5)
    assert mixed[position[Intent.JP_CLAIM]] >= raw[position[Intent.JP_CLAIM]]


def test_a_comparing_word_makes_one_region_a_comparison() -> None:
    understander = NluUnderstander(default_model())
    assert understander.understand("cakupan sambas naik atau turun").intent is (
        Intent.COVERAGE_COMPARE
    )
    assert understander.understand("cakupan ketapang").intent is Intent.COVERAGE_REGION


def test_a_word_no_example_has_leans_towards_the_fallback() -> None:
    model = default_model()
    tokens = model.classifier_tokens("kartu perpus tertelan", [])
    assert model.unknown_words(tokens) == 2
    assert model.predict_tokens(tokens).top[0] is Intent.FALLBACK


def test_the_one_program_named_decides_whose_benefit_or_claim() -> None:
    understander = NluUnderstander(default_model())
    assert understander.understand("manfaat jht kalau sudah pensiun").intent is (
        Intent.JHT_BENEFIT
    )
    assert understander.understand("jht ahli waris cara klaimnya").intent is Intent.JHT_CLAIM


def test_region_names_are_one_placeholder_word_for_the_classifier() -> None:
    model = default_model()
    assert model.classifier_tokens("cakupan kayong utara vs kab bantul", []) == [
        "cakupan",
        PLACE_WORD,
        "vs",
        "kabupaten",
        PLACE_WORD,
    ]
    assert model.classifier_tokens("tukang batu", []) == ["tukang", "batu"]


def test_a_regency_seen_in_comparison_examples_is_no_comparison_by_itself() -> None:
    understander = NluUnderstander(default_model())
    for text in ("cakupan sambas", "cakupan sambas tahun 2024", "kepesertaan bengkayang"):
        assert understander.understand(text).intent is Intent.COVERAGE_REGION, text
