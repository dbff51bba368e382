"""Privacy requests are recognized in ordinary phrasings, and only those."""

from __future__ import annotations

import pytest

from bot.core.refine import DELETE, SHOW, Refiner, one_village, privacy_option
from bot.domain.intents import Intent
from bot.domain.understanding import Slots, Understanding
from bot.store import Store


@pytest.mark.parametrize(
    "text",
    ["hapus data saya", "Tolong hapus semua data saya!", "saya mau hapus data", "delete my data"],
)
def test_deletion_requests(text: str) -> None:
    assert privacy_option(text) == DELETE


@pytest.mark.parametrize(
    "text", ["data saya", "lihat data saya", "data saya apa saja", "show my data"]
)
def test_requests_to_see_ones_data(text: str) -> None:
    assert privacy_option(text) == SHOW


@pytest.mark.parametrize(
    "text",
    [
        "data bpjs desa sukadana",
        "hapus langganan",
        "cara hapus data peserta yang meninggal",
        "data",
    ],
)
def test_other_questions_are_left_alone(text: str) -> None:
    assert privacy_option(text) is None


async def test_privacy_wins_over_the_classifier_and_faq_only_replaces_fallback(
    store: Store,
) -> None:
    refiner = Refiner(store.faqs)
    await store.faqs.add(
        question="apakah ojol bisa ikut bpjs", answer_id="Bisa.", source="PP 44/2015", examples=[]
    )
    greeting = Understanding(intent=Intent.GREETING, score=0.9)
    fallback = Understanding(intent=Intent.FALLBACK, score=0.1)
    refined = await refiner.refine("hapus data saya", greeting)
    assert refined.intent is Intent.PRIVACY and refined.slots.option == DELETE
    assert await refiner.refine("apakah ojol bisa ikut bpjs", greeting) == greeting
    refined = await refiner.refine("apakah ojol bisa ikut bpjs?", fallback)
    assert refined.intent is Intent.FAQ and refined.slots.option is not None
    assert await refiner.refine("cuaca besok", fallback) == fallback


async def test_a_near_verbatim_faq_replaces_an_unsure_reading_only(store: Store) -> None:
    refiner = Refiner(store.faqs)
    await store.faqs.add(
        question="lupa password jmo gimana", answer_id="Reset.", source="BPJS TK", examples=[]
    )
    unsure = Understanding(intent=Intent.JKP_CLAIM, score=0.5)
    sure = Understanding(intent=Intent.JKP_CLAIM, score=0.9)
    assert (await refiner.refine("Lupa password JMO gimana?", unsure)).intent is Intent.FAQ
    assert await refiner.refine("Lupa password JMO gimana?", sure) == sure
    assert await refiner.refine("password jmo lupa terus, cara klaim jkp", unsure) == unsure


def test_a_bare_village_code_is_a_village_question_never_an_amount() -> None:
    read = Understanding(intent=Intent.FRAUD_WARNING, score=0.4, slots=Slots(money=6111012007))
    for typed in ("6111012007", " 61.11.01.2007 "):
        refined = one_village(typed, read)
        assert refined.intent is Intent.VILLAGE_TARGET
        assert refined.slots.village == "61.11.01.2007" and refined.slots.money is None
    assert one_village("085712345678", read) is read  # a phone number is no village code


def test_a_region_reading_that_names_one_village_is_about_the_village() -> None:
    ranking = Understanding(
        intent=Intent.COVERAGE_RANKING, score=0.6, slots=Slots(village="61.04.01.2001")
    )
    assert one_village("desa kali nilam kab ketapang", ranking).intent is Intent.VILLAGE_TARGET
    two = Understanding(
        intent=Intent.COVERAGE_COMPARE,
        score=0.6,
        slots=Slots(village="61.04.01.2001", other_region="61.11"),
    )
    assert one_village("desa kali nilam vs kayong utara", two) is two


def test_a_choice_with_the_village_reading_goes_to_it_when_desa_is_said() -> None:
    unsure = Understanding(
        intent=Intent.VILLAGE_TARGET,
        score=0.4,
        clarify=(Intent.VILLAGE_TARGET, Intent.COVERAGE_RANKING),
    )
    assert one_village("peringkat desa saya", unsure).clarify == ()
    assert one_village("peringkat saya", unsure) is unsure
