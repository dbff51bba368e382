"""The understander on messages as people write them: framing, stories, several questions,
English, Javanese and Sundanese, and settings never read from a long message."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.intents import SETTINGS, Intent
from bot.nlu.artefact import default_model
from bot.nlu.language import message_locale
from bot.nlu.model import Prediction
from bot.nlu.understander import NluUnderstander


@pytest.fixture(scope="module")
def understander() -> NluUnderstander:
    return NluUnderstander(default_model())


def questions(understander: NluUnderstander, text: str) -> list[Intent]:
    found = understander.understand(text)
    return [found.intent, *(more.intent for more in found.more)]


def test_several_questions_are_found_in_the_order_asked(understander: NluUnderstander) -> None:
    text = (
        "Selamat pagi min. Saya kena PHK bulan lalu dari pabrik sepatu. "
        "Uang JHT saya bisa dicairkan sekarang? "
        "Terus iuran BPU buat pekerja mandiri berapa sebulan? Terima kasih."
    )
    assert questions(understander, text) == [Intent.JHT_CLAIM, Intent.CONTRIBUTION_BPU]


def test_three_questions_at_most(understander: NluUnderstander) -> None:
    text = (
        "cara cairin jht gimana? iuran bpu berapa sebulan? nomor call center berapa? "
        "syarat beasiswa anak apa saja? cara lapor kecelakaan kerja gimana?"
    )
    found = questions(understander, text)
    assert len(found) == 3 and found[0] is Intent.JHT_CLAIM


@pytest.mark.parametrize(
    "text",
    [
        "selamat pagi min, mau tanya cara cairin saldo bpjs tk setelah resign gimana ya",
        "Assalamualaikum admin. Saya sudah resign dari toko bulan lalu, uang bpjs saya bisa "
        "ditarik semua? Mohon bantuannya, terima kasih",
        "siang kak, duit bpjs tenaga kerja saya mau dicairin, caranya gmn? makasih",
    ],
)
def test_framing_does_not_win_over_the_question(understander: NluUnderstander, text: str) -> None:
    assert understander.understand(text).intent is Intent.JHT_CLAIM


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("selamat pagi min", Intent.GREETING),
        ("assalamualaikum, permisi kak", Intent.GREETING),
        ("terima kasih banyak min", Intent.THANKS),
        ("halooo miin", Intent.GREETING),
    ],
)
def test_framing_alone_keeps_its_answer(
    understander: NluUnderstander, text: str, intent: Intent
) -> None:
    assert understander.understand(text).intent is intent


def test_a_complaint_ending_in_thanks_is_not_thanks(understander: NluUnderstander) -> None:
    text = (
        "sudah tiga minggu klaim saya belum cair juga padahal katanya 5 hari kerja, terima kasih"
    )
    assert understander.understand(text).intent is Intent.CLAIM_STATUS


@pytest.mark.parametrize(
    "text",
    [
        "aplikasi jmo saya minta update terus tiap dibuka, sudah saya update tetap begitu, "
        "jadi tidak bisa cek saldo",
        "kartu bpjs tk saya yang lama katanya sudah dinonaktifkan dan diganti kartu baru, "
        "saldo di kartu lama hilang tidak ya",
        "berapa banyak pekerja yang ikut BPJS di Indonesia sekarang dibanding tahun lalu",
        "Can I get more info about this?",
        "kalau saya stop bayar iuran bpu beberapa bulan karena tidak ada pemasukan, "
        "kepesertaan saya hangus tidak",
        "my company stopped paying my BPJS contributions, should I report it in English "
        "or Indonesian",
    ],
)
def test_a_message_that_mentions_a_setting_is_no_setting_request(
    understander: NluUnderstander, text: str
) -> None:
    found = understander.understand(text)
    assert all(q.intent not in SETTINGS for q in (found, *found.more))


@pytest.mark.parametrize(
    ("text", "intent"),
    [("STOP", Intent.UNSUBSCRIBE), ("berhenti", Intent.UNSUBSCRIBE), ("english", Intent.LANGUAGE)],
)
def test_a_short_command_is_explicit(
    understander: NluUnderstander, text: str, intent: Intent
) -> None:
    found = understander.understand(text)
    assert found.intent is intent and found.explicit


def test_a_setting_in_words_is_read_but_not_explicit(understander: NluUnderstander) -> None:
    found = understander.understand("tolong kabarin saya kalau ada info baru")
    assert found.intent is Intent.SUBSCRIBE and not found.explicit


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("aku wis metu soko pabrik, JHT-ku iso dijupuk ora?", Intent.JHT_CLAIM),
        ("aku arep ngurus jht piye carane", Intent.JHT_CLAIM),
        ("abdi atos kaluar ti pabrik, jht abdi tiasa dicandak?", Intent.JHT_CLAIM),
        ("iuran bpjs tk kanggo padagang sabaraha sabulan", Intent.CONTRIBUTION_BPU),
    ],
)
def test_common_javanese_and_sundanese_phrasings(
    understander: NluUnderstander, text: str, intent: Intent
) -> None:
    found = understander.understand(text)
    assert found.intent is intent and found.locale is None  # answered in Indonesian


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("How do I withdraw my JHT after I resign?", Intent.JHT_CLAIM),
        ("what is the phone number of the BPJS call centre", Intent.CONTACT),
        ("how much is the contribution for a salary of 6 million", Intent.CONTRIBUTION_PU),
    ],
)
def test_english_is_understood_without_switching(
    understander: NluUnderstander, text: str, intent: Intent
) -> None:
    found = understander.understand(text)
    assert found.intent is intent and found.locale == "en"


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("How long does the claim take?", "en"),
        ("cara klaim jht gimana ya min", None),
        ("ok", None),
        ("JHT saya how to claim ya", None),
    ],
)
def test_message_language(text: str, locale: str | None) -> None:
    assert message_locale(text) == locale


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("saldo bpjs tk saya mau dicairin, caranya gimana", Intent.JHT_CLAIM),
        ("udah resign 2 bulan, uangnya bisa ditarik belum", Intent.JHT_CLAIM),
        ("mau tarik 10 juta dulu sebelum pensiun, bisa tidak", Intent.JHT_CLAIM),
        ("saldo jht saya 60jt perlu npwp gak", Intent.JHT_CLAIM),
    ],
)
def test_withdrawing_without_naming_the_program_means_jht(
    understander: NluUnderstander, text: str, intent: Intent
) -> None:
    assert understander.understand(text).intent is intent


def test_a_balance_is_no_wage_and_a_mistyped_wage_is_asked(
    understander: NluUnderstander,
) -> None:
    balance = understander.understand("saldo jht saya 60jt perlu npwp gak")
    assert balance.slots.money == 60_000_000 and balance.money_guess is None
    wage = understander.understand("gaji 4500 iuran bpjs tk nya berapa")
    assert wage.intent is Intent.CONTRIBUTION_PU
    assert wage.slots.money is None and wage.money_guess == 4_500_000
    code = understander.understand("desa 6111012007 capaiannya berapa")
    assert code.slots.money is None and code.money_guess is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=5000))
def test_any_long_text_gives_at_most_three_questions(text: str) -> None:
    found = NluUnderstander(default_model()).understand(text)
    assert isinstance(found.intent, Intent) and len(found.more) <= 2
    assert all(q.intent not in SETTINGS for q in found.more)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("duit saya di bpjs mau ditarik, bisa gak", Intent.JHT_CLAIM),
        ("narik uang 15 juta sebelum pensiun boleh?", Intent.JHT_CLAIM),
        ("jaminan pensiun bisa ditarik sebelum pensiun?", Intent.JP_CLAIM),
        ("santunan kematian dicairkan ke ahli waris caranya", Intent.JKM_CLAIM),
    ],
)
def test_withdrawing_defaults_to_jht_unless_a_program_is_named(
    understander: NluUnderstander, text: str, intent: Intent
) -> None:
    assert understander.understand(text).intent is intent


@pytest.mark.parametrize("text", ["halo bot", "pagi kak admin", "hai jamsosbot"])
def test_a_greeting_with_a_word_more_is_still_a_greeting(
    understander: NluUnderstander, text: str
) -> None:
    assert understander.understand(text).intent is Intent.GREETING


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("punten", Intent.GREETING),
        ("sugeng enjing", Intent.GREETING),
        ("hatur nuhun", Intent.THANKS),
        ("matur suwun", Intent.THANKS),
    ],
)
def test_framing_the_classifier_never_saw_is_still_framing(
    understander: NluUnderstander, text: str, intent: Intent
) -> None:
    assert understander.understand(text).intent is intent


def test_two_questions_in_one_sentence_are_both_found(understander: NluUnderstander) -> None:
    text = (
        "saya tukang las di bengkel kecil, iuran bpu sebulan berapa ya, "
        "terus cara daftarnya lewat mana"
    )
    assert questions(understander, text)[:2] == [
        Intent.CONTRIBUTION_BPU,
        Intent.REGISTRATION_BPU,
    ]


@pytest.mark.parametrize(
    "text",
    [
        "uang pensiun ibu saya dari bpjs tk bulan november kok belum masuk ya",
        "tunjangan jkp saya tiba tiba distop padahal baru dapat sekali",
        "saldo jht sudah diajukan dari tanggal 3 tapi sampai sekarang belum cair",
    ],
)
def test_a_payment_that_has_not_come_is_a_claim_status_question(
    understander: NluUnderstander, text: str
) -> None:
    assert understander.understand(text).intent is Intent.CLAIM_STATUS


@pytest.mark.parametrize(
    "text",
    [
        "sudah keluar dari pabrik sejak maret tapi di aplikasi kepesertaan saya masih aktif, "
        "jadi jht tidak bisa diklaim",
        "kontrak saya habis bulan lalu, kenapa status bpjs tk masih tercatat aktif",
    ],
)
def test_still_active_after_leaving_is_a_membership_status_question(
    understander: NluUnderstander, text: str
) -> None:
    assert understander.understand(text).intent is Intent.MEMBERSHIP_STATUS


class _SentencesReadAs(NluUnderstander):
    """The real understander, with some sentences' own readings set by the test."""

    def __init__(self, readings: dict[str, tuple[Intent, float]]) -> None:
        super().__init__(default_model())
        self.readings = readings

    def _candidate(self, text: str):  # type: ignore[no-untyped-def]
        found = super()._candidate(text)
        if text not in self.readings:
            return found
        intent, score = self.readings[text]
        ranked = ((intent, score), (Intent.FALLBACK, 0.0))
        return replace(found, intent=intent, score=score, prediction=Prediction(ranked))


@pytest.mark.parametrize(("score", "answers"), [(0.6, 2), (0.95, 3)])
def test_a_sentence_besides_the_main_question_adds_one_only_when_read_surely(
    score: float, answers: int
) -> None:
    story = "kemarin saya ke kantor cabang tapi antrinya panjang, apa bisa besok"
    question = "saldo jht saya kok belum bertambah padahal tiap bulan dipotong?"
    readings = {story: (Intent.CONTACT, score), question: (Intent.LATE_PAYMENT, 0.95)}
    found = _SentencesReadAs(readings).understand(f"malam kak. {story}. {question}")
    intents = [q.intent for q in (found, *found.more)]
    assert found.intent is not Intent.LATE_PAYMENT  # the message as a whole reads otherwise
    assert intents[-1] is Intent.LATE_PAYMENT  # the sure sentence is one more question
    assert len(intents) == answers and (Intent.CONTACT in intents) == (answers == 3)


class _WholeAlsoReadAs(_SentencesReadAs):
    """As `_SentencesReadAs`, with the whole message's reading set by the test as well."""

    def __init__(self, readings: dict[str, tuple[Intent, float]], whole: tuple[Intent, float]):
        super().__init__(readings)
        self.whole = whole

    def _one(self, text: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        found = super()._one(text, *args, **kwargs)
        if kwargs.get("several") or text in self.readings:
            return found  # a sentence of its own, not the whole message
        intent, score = self.whole
        return replace(found, intent=intent, score=score, clarify=(), more=())


@pytest.mark.parametrize(
    ("whole_score", "whole_first"), [(0.99, True), (0.95, True), (0.6, False)]
)
def test_an_earlier_sentence_comes_first_only_when_read_surer_than_the_whole(
    whole_score: float, whole_first: bool
) -> None:
    """Both questions are answered; the surer reading of the two decides which comes first
    (a tie: the whole message's question)."""
    story = "saldo bisa dicairkan di kantor cabang ga"
    question = "kata petugas tanggal lahir saya beda sama ktp, harus diperbaiki dulu gimana?"
    readings = {story: (Intent.JHT_CLAIM, 0.95), question: (Intent.DATA_CORRECTION, 0.9)}
    whole = (Intent.DATA_CORRECTION, whole_score)
    found = _WholeAlsoReadAs(readings, whole).understand(f"{story}. {question} makasih")
    intents = [q.intent for q in (found, *found.more)]
    if whole_first:
        assert intents == [Intent.DATA_CORRECTION, Intent.JHT_CLAIM]
    else:
        assert intents == [Intent.JHT_CLAIM, Intent.DATA_CORRECTION]
