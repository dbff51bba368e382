from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App
from bot.core.dispatcher import Dispatcher
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming
from bot.domain.understanding import FUND_OPTION, PlaceMention, Slots, Understanding
from bot.nlu.artefact import default_model
from bot.nlu.model import Thresholds
from bot.nlu.understander import NluUnderstander
from handlers import ROUTERS
from tests.bot.nlu.phrasings import INFORMAL, OUT_OF_SCOPE
from tests.conftest import Chat

CLASSIFIED = [i for i in Intent if i not in {Intent.FALLBACK, Intent.FAQ, Intent.PRIVACY}]


def test_every_classified_intent_has_a_test_phrasing() -> None:
    assert set(INFORMAL) == set(CLASSIFIED)


@pytest.mark.parametrize(("intent", "text"), list(INFORMAL.items()), ids=lambda v: str(v)[:30])
async def test_informal_question_routes_to_its_intent(app: App, intent: Intent, text: str) -> None:
    chat = ChatRef(channel="console", user_id="fresh", chat_id="fresh")
    outcome = await app.dispatcher.process(Incoming(chat=chat, text=text), record=False)
    assert outcome.understanding is not None
    assert outcome.understanding.intent is intent
    assert not outcome.understanding.clarify
    assert outcome.replies and all(reply.text for reply in outcome.replies)


@pytest.mark.parametrize("text", OUT_OF_SCOPE)
async def test_out_of_scope_question_falls_back_and_is_stored(chat: Chat, text: str) -> None:
    await chat.say(text)
    assert "dicatat" in chat.text
    assert chat.button_titles  # the menu
    stored = await chat.app.store.questions.unanswered()
    assert [(q.text, q.intent) for q in stored] == [(text, "fallback")]


async def test_followup_with_new_wage_reuses_the_contribution_intent(chat: Chat) -> None:
    first = await chat.app.dispatcher.process(
        Incoming(chat=chat.ref, text="gaji 4 juta iuran bpjs tk nya berapa")
    )
    assert first.understanding is not None
    assert first.understanding.intent is Intent.CONTRIBUTION_PU
    assert first.understanding.slots.money == 4_000_000
    second = await chat.app.dispatcher.process(Incoming(chat=chat.ref, text="kalau gaji 6 juta?"))
    assert second.understanding is not None
    assert second.understanding.intent is Intent.CONTRIBUTION_PU
    assert second.understanding.slots.money == 6_000_000


async def test_full_new_question_is_not_taken_as_a_followup(chat: Chat) -> None:
    await chat.app.dispatcher.process(Incoming(chat=chat.ref, text="iuran bpu sebulan brp"))
    outcome = await chat.app.dispatcher.process(
        Incoming(chat=chat.ref, text="kalau mau klaim jht abis resign gmn caranya")
    )
    assert outcome.understanding is not None
    assert outcome.understanding.intent is Intent.JHT_CLAIM


def test_followup_rules_on_the_understander() -> None:
    understander = NluUnderstander(default_model())
    before = Understanding(
        intent=Intent.JP_BENEFIT, score=0.9, slots=Slots(birth_year=1970, money=5_000_000)
    )
    again = understander.understand("klo lahir 1980?", previous=before)
    assert again.intent is Intent.JP_BENEFIT
    assert again.slots.birth_year == 1980
    assert again.slots.money == 5_000_000  # earlier slots are kept
    fresh = understander.understand("nomor call center bpjs tk", previous=before)
    assert fresh.intent is Intent.CONTACT
    assert understander.understand("kalo gaji 6jt", previous=None).slots.money == 6_000_000


def test_followup_with_a_new_place_drops_the_old_codes() -> None:
    understander = NluUnderstander(default_model())
    before = Understanding(
        intent=Intent.COVERAGE_REGION, score=0.9, slots=Slots(region="61.04", place="ketapang")
    )
    again = understander.understand("klo kab sambas?", previous=before)
    assert again.intent is Intent.COVERAGE_REGION
    assert (again.slots.place, again.slots.region) == ("sambas", None)


def test_greeting_is_never_a_followup() -> None:
    understander = NluUnderstander(default_model())
    before = Understanding(intent=Intent.CONTRIBUTION_PU, score=0.9, slots=Slots(money=1))
    assert understander.understand("halo", previous=before).intent is Intent.GREETING


def test_confidence_is_a_probability_and_low_for_nonsense() -> None:
    understander = NluUnderstander(default_model())
    sure = understander.understand("cara cairin jht abis resign gmn")
    assert sure.intent is Intent.JHT_CLAIM and 0.5 < sure.score <= 1.0
    unsure = understander.understand("qwerty zxcv")
    assert unsure.intent is Intent.FALLBACK


@pytest.fixture(scope="module")
def eager_to_ask() -> NluUnderstander:
    """A model that asks whenever a second reading has any weight (to see the clarify path)."""
    return NluUnderstander(default_model(), thresholds=Thresholds(margin=1.0, second=0.0))


async def test_close_readings_are_asked_with_two_buttons(
    app: App, eager_to_ask: NluUnderstander
) -> None:
    reading = eager_to_ask.understand("jht")
    assert len(reading.clarify) == 2 and reading.intent in reading.clarify
    dispatcher = Dispatcher(
        store=app.store,
        understander=eager_to_ask,
        catalogues=app.dispatcher.catalogues,
        routers=ROUTERS,
    )
    chat = ChatRef(channel="console", user_id="asked", chat_id="asked")
    outcome = await dispatcher.process(Incoming(chat=chat, text="jht"))
    assert outcome.replies[0].text.startswith("Maksud Anda")
    assert len(outcome.replies[0].buttons) == 2
    stored = await app.store.questions.unanswered()
    assert [q.text for q in stored] == ["jht"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=5000))
def test_any_text_is_understood_without_exception(text: str) -> None:
    understander = NluUnderstander(default_model())
    reading = understander.understand(text)
    assert isinstance(reading.intent, Intent)
    assert 0.0 <= reading.score <= 1.0
    previous = Understanding(intent=Intent.COVERAGE_REGION, score=1.0)
    assert isinstance(understander.understand(text, previous=previous).intent, Intent)


def apologies(app: App) -> set[str]:
    catalogues = app.dispatcher.catalogues
    return {catalogues.translator(locale)("error.apology") for locale in ("id", "en")}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=1000))
async def test_any_text_gets_a_reply_from_the_dispatcher(app: App, text: str) -> None:
    """Up to the dispatcher's length limit every text is answered, never with the apology
    that stands for a crash."""
    chat = ChatRef(channel="console", user_id="prop", chat_id="prop")
    replies = await app.dispatcher.handle(Incoming(chat=chat, text=text))
    assert replies and all(reply.text for reply in replies)
    assert not apologies(app) & {reply.text for reply in replies}
    assert "Traceback" not in replies[0].text


async def test_a_very_long_text_is_understood_and_politely_refused(app: App) -> None:
    text = ("iuran bpu brp " * 500)[:6000]  # over the 5,000 characters read
    reading = NluUnderstander(default_model()).understand(text)
    assert reading.intent is Intent.CONTRIBUTION_BPU
    chat = ChatRef(channel="console", user_id="long", chat_id="long")
    replies = await app.dispatcher.handle(Incoming(chat=chat, text=text))
    assert [r.text for r in replies] == [
        app.dispatcher.catalogues.translator("id")("input.too_long")
    ]


@pytest.mark.parametrize(
    "text",
    ["cakupan kab ketapang dan kab sambas", "kepesertaan kayong utara 2023 2024"],
)
def test_two_places_or_two_years_make_a_comparison(text: str) -> None:
    reading = NluUnderstander(default_model()).understand(text)
    assert reading.intent is Intent.COVERAGE_COMPARE


def test_english_question_is_not_a_language_switch_unless_a_language_is_named() -> None:
    understander = NluUnderstander(default_model())
    assert understander.understand("can you tell me tomorrows weather").intent is not (
        Intent.LANGUAGE
    )
    switch = understander.understand("could u answer in english pls")
    assert (switch.intent, switch.slots.language) == (Intent.LANGUAGE, "en")


@pytest.mark.parametrize(
    ("text", "situation", "document"),
    [
        ("gmn cairin jht abis resign", "resign", "paklaring bukan syarat resmi"),
        ("jht bisa cair kalo kena phk?", "phk", "satu bukti PHK"),
        ("cara ambil jht buat rumah", "partial", "30 % untuk rumah"),
        ("klaim jht ahli waris gmn", "death", "akta kematian"),
        # English questions are answered in English (without switching the language).
        ("i resigned last month, how to claim my jht", "resign", "paklaring is not a formal"),
        ("got laid off, can i withdraw jht", "phk", "one proof"),
        ("quit my job, claim jht how", "resign", "paklaring is not a formal"),
    ],
)
async def test_the_claim_situation_typed_gets_its_document_checklist(
    chat: Chat, text: str, situation: str, document: str
) -> None:
    outcome = await chat.app.dispatcher.process(Incoming(chat=chat.ref, text=text))
    assert outcome.understanding is not None
    assert outcome.understanding.intent is Intent.JHT_CLAIM
    assert outcome.understanding.slots.option == situation
    assert document in outcome.replies[0].text


async def test_a_situation_word_is_no_option_for_other_intents(chat: Chat) -> None:
    outcome = await chat.app.dispatcher.process(
        Incoming(chat=chat.ref, text="santunan kalau peserta meninggal brp")
    )
    assert outcome.understanding is not None
    assert outcome.understanding.intent is Intent.JKM_BENEFIT
    assert outcome.understanding.slots.option is None


@pytest.mark.parametrize("text", ["potongan gaji brp jt ya", "umr brp rb"])
async def test_a_bare_unit_is_no_wage(chat: Chat, text: str) -> None:
    outcome = await chat.app.dispatcher.process(Incoming(chat=chat.ref, text=text))
    assert outcome.understanding is not None
    assert outcome.understanding.slots.money is None
    assert "Rp 1.000" not in " ".join(reply.text for reply in outcome.replies)
    payloads = [b.payload for reply in outcome.replies for b in reply.buttons]
    assert not [p for p in payloads if p.endswith(("money=1000", "money=1000000"))]


def test_followup_does_not_override_a_confident_different_intent() -> None:
    understander = NluUnderstander(default_model())
    about_jht = Understanding(intent=Intent.JHT_BENEFIT, score=0.84)
    village = understander.understand("saya kepala desa sutera", previous=about_jht)
    assert village.intent is Intent.VILLAGE_TARGET
    assert village.slots.place == "sutera"
    which_village = Understanding(intent=Intent.VILLAGE_TARGET, score=0.9)
    wage = understander.understand("what if salary 6 million", previous=which_village)
    assert (wage.intent, wage.slots.money) == (Intent.CONTRIBUTION_PU, 6_000_000)
    # A follow-up word still refers back when the new slot is one the answer uses.
    own = Understanding(intent=Intent.CONTRIBUTION_BPU, score=0.9, slots=Slots(money=2_000_000))
    again = understander.understand("kalau gaji 6 juta?", previous=own)
    assert (again.intent, again.slots.money) == (Intent.CONTRIBUTION_BPU, 6_000_000)


async def test_a_salary_after_a_village_question_is_no_village_fund(chat: Chat) -> None:
    await chat.say("target desa saya berapa")
    assert chat.last[0].text == chat.app.dispatcher.catalogues.translator("id")(
        "villages.ask_village"
    )
    outcome = await chat.app.dispatcher.process(
        Incoming(chat=chat.ref, text="what if salary 6 million")
    )
    assert outcome.understanding is not None
    assert outcome.understanding.intent is Intent.CONTRIBUTION_PU
    assert "pekerja rentan" not in outcome.replies[0].text
    assert "Rp 6.000.000" in outcome.replies[0].text


async def test_a_named_village_fund_gets_the_fund_helper(chat: Chat) -> None:
    await chat.say("target desa saya berapa")
    plain = await chat.app.dispatcher.process(Incoming(chat=chat.ref, text="target desa 50 juta"))
    assert plain.understanding is not None and plain.understanding.slots.money is None
    assert "pekerja rentan" not in plain.replies[0].text
    fund = await chat.app.dispatcher.process(
        Incoming(chat=chat.ref, text="kalau dana desanya 50 juta?")
    )
    assert fund.understanding is not None
    assert fund.understanding.intent is Intent.VILLAGE_TARGET
    assert fund.understanding.slots.option == FUND_OPTION
    assert "248 pekerja rentan selama 12 bulan" in fund.replies[0].text


@pytest.mark.parametrize(
    ("text", "place"), [("village target sutera", "sutera"), ("sutera village target", "sutera")]
)
def test_english_place_words_name_the_village(text: str, place: str) -> None:
    reading = NluUnderstander(default_model()).understand(text)
    assert (reading.intent, reading.slots.place) == (Intent.VILLAGE_TARGET, place)


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("jht atau jp", (Intent.JHT_BENEFIT, Intent.JP_BENEFIT)),
        ("jkk vs jkm", (Intent.JKK_BENEFIT, Intent.JKM_BENEFIT)),
        ("klaim jht atau jp", (Intent.JHT_CLAIM, Intent.JP_CLAIM)),
    ],
)
def test_two_programs_named_as_a_choice_are_asked(
    text: str, choices: tuple[Intent, Intent]
) -> None:
    reading = NluUnderstander(default_model()).understand(text)
    assert set(reading.clarify) == set(choices)
    assert reading.intent in reading.clarify


async def test_jht_or_jp_is_asked_back_with_two_buttons(chat: Chat) -> None:
    await chat.say("jht atau jp")
    assert chat.text.startswith("Maksud Anda")
    assert len(chat.button_titles) == 2


def test_today_decides_which_birth_years_exist() -> None:
    understander = NluUnderstander(default_model())
    text = "sy lahir 2026 kapan bisa pensiun"
    assert understander.understand(text, today=date(2025, 12, 31)).slots.birth_year is None
    assert understander.understand(text, today=date(2026, 1, 1)).slots.birth_year == 2026


class CountingFinder:
    """A place finder over one name that counts how often it is asked."""

    def __init__(self) -> None:
        self.calls = 0

    def find(self, text: str) -> list[PlaceMention]:
        self.calls += 1
        found = "ketapang" in text.lower()
        return [PlaceMention(text="ketapang", codes=("61.04",))] if found else []


def test_a_message_is_looked_up_in_the_gazetteer_at_most_once() -> None:
    finder = CountingFinder()
    understander = NluUnderstander(default_model(), finder)
    before = Understanding(intent=Intent.COVERAGE_REGION, score=0.9, slots=Slots(region="61.11"))
    reading = understander.understand(
        "cakupan bpjs tk di ketapang 2024 brp persen", previous=before
    )
    assert (reading.intent, reading.slots.region) == (Intent.COVERAGE_REGION, "61.04")
    assert finder.calls == 1
    understander.understand("iuran bpu brp")
    assert finder.calls == 1  # neither this nor the last question is about a place


@pytest.mark.parametrize("text", ["cakupan bpjs kab cianjur brp", "kota medan cakupannya gimana"])
async def test_a_short_kab_or_kota_is_one_region_not_a_ranking(chat: Chat, text: str) -> None:
    outcome = await chat.app.dispatcher.process(Incoming(chat=chat.ref, text=text))
    assert outcome.understanding is not None
    assert outcome.understanding.intent is Intent.COVERAGE_REGION
