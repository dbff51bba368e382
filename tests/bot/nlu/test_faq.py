"""FAQ matching: staff phrasings match reworded questions, not unrelated ones."""

from __future__ import annotations

from datetime import UTC, datetime

from rapidfuzz import fuzz

from bot.core.refine import FaqIndex
from bot.nlu.faq import THRESHOLD, FaqMatcher, normalize
from bot.store import Store
from bot.store.faqs import Faq


def _faq(faq_id: int, *examples: str) -> Faq:
    return Faq(
        id=faq_id,
        question=examples[0],
        answer_id="jawaban",
        answer_en="",
        source="sumber",
        examples=examples,
        created_at=datetime.now(UTC),
    )


MATCHER_FAQS = [
    _faq(1, "apakah ojol bisa ikut bpjs", "ojek online bisa daftar bpjs tk"),
    _faq(2, "cara daftar bpjs nelayan", "nelayan daftar bpjs dimana"),
]
MATCHER = FaqMatcher(MATCHER_FAQS)


def test_normalize_folds_case_and_punctuation() -> None:
    assert normalize("  Apakah OJOL bisa ikut BPJS?!  ") == "apakah ojol bisa ikut bpjs"


def test_reworded_question_finds_its_faq() -> None:
    found = MATCHER.match("Ojek online bisa daftar BPJS TK ga?")
    assert found is not None and found.faq_id == 1
    found = MATCHER.match("bagaimana cara daftar bpjs untuk nelayan")
    assert found is not None and found.faq_id == 2


def test_a_typo_still_matches() -> None:
    found = MATCHER.match("apakah ojol bisa ikut bpjss")
    assert found is not None and found.faq_id == 1


def test_unrelated_or_too_general_text_does_not_match() -> None:
    assert MATCHER.match("berapa iuran nelayan bulan ini di kabupaten ketapang") is None
    assert MATCHER.match("cuaca besok gimana") is None
    assert MATCHER.match("???") is None


async def test_index_sees_faqs_added_later_by_another_process(store: Store) -> None:
    index = FaqIndex(store.faqs)
    assert await index.match("ojek online bisa daftar bpjs tk") is None
    faq_id = await store.faqs.add(
        question="apakah ojol bisa ikut bpjs",
        answer_id="Bisa, sebagai peserta BPU.",
        source="PP 44/2015",
        examples=["ojek online bisa daftar bpjs tk"],
    )
    found = await index.match("ojek online bisa daftar bpjs tk")
    assert found is not None and found.faq_id == faq_id
    assert await store.faqs.remove(faq_id)
    assert await index.match("ojek online bisa daftar bpjs tk") is None


PARAPHRASED = FaqMatcher(
    [
        _faq(
            1, "apakah berkas bisa dikirim lewat pos", "kirim dokumen klaim lewat kurir bisa tidak"
        ),
        _faq(2, "apakah ada tempat parkir motor di kantor cabang", "parkir motor gratis tidak"),
        *(_faq(f.id + 10, *f.examples) for f in MATCHER_FAQS),
    ]
)


def _phrasing_score(text: str, example: str) -> float:
    """The matcher's score against one phrasing alone (0-100), before phrasings were pooled."""
    return (fuzz.token_sort_ratio(text, example) + fuzz.token_set_ratio(text, example)) / 2


def test_an_faq_with_two_phrasings_answers_a_third_paraphrase() -> None:
    """Neither phrasing is close enough on its own (61.6 and 74.3 by phrasing); the words
    the two share with the question are."""
    examples = (
        "apakah berkas bisa dikirim lewat pos",
        "kirim dokumen klaim lewat kurir bisa tidak",
    )
    for text in ("dokumen dikirim via kurir boleh", "bisa ga berkas klaim dikirim pakai pos"):
        by_phrasing = max(_phrasing_score(normalize(text), normalize(e)) for e in examples)
        assert by_phrasing < THRESHOLD  # what the phrasing score alone missed
        found = PARAPHRASED.match(text)
        assert found is not None and found.faq_id == 1, text
    found = PARAPHRASED.match("kantor cabang ada parkiran motor ga")
    assert found is not None and found.faq_id == 2


def test_sharing_a_word_or_two_is_not_a_paraphrase() -> None:
    for text in (
        "kirim berkas klaim jht",  # a JHT claim question, not the postal one
        "motor saya hilang di parkir",
        "nelayan kapal tenggelam",
        "klaim jht saya kapan cair",
    ):
        assert PARAPHRASED.match(text) is None, text
