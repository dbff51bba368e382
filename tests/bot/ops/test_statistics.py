"""Grouping unanswered questions and the report built from the store."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ops.statistics import build_report, group_questions, worth_listing
from bot.store import Store


def test_near_duplicates_are_counted_together_most_frequent_first() -> None:
    groups = group_questions(
        [
            "Cuaca besok gimana?",
            "kapan gajian",
            "cuaca besok gimana",
            "CUACA BESOK GIMANA ya",
            "kapan gajian?",
            "harga cabai hari ini",
        ]
    )
    assert [(g.example, g.count) for g in groups] == [
        ("Cuaca besok gimana?", 3),
        ("kapan gajian", 2),
        ("harga cabai hari ini", 1),
    ]


def test_numbers_in_shown_questions_are_masked() -> None:
    (group,) = group_questions(["cek saldo NIK 3201234567890001"])
    assert "3201234567890001" not in group.example
    assert group.example == "cek saldo NIK <number>"


async def test_report_counts_intents_regencies_fallbacks_and_subscribers(store: Store) -> None:
    ketapang = await store.people.touch("telegram", "1")
    await store.people.set_region(ketapang.id, "61.04.01.2001")
    other = await store.people.touch("telegram", "2")
    for user_id, intent, answered, text in [
        (ketapang.id, "jht_claim", True, "cara klaim jht"),
        (ketapang.id, "fallback", False, "cuaca besok"),
        (other.id, "fallback", False, "cuaca besok?"),
        (other.id, "jht_claim", True, "klaim jht"),
        (other.id, "jkk_benefit", True, "manfaat jkk"),
    ]:
        await store.questions.log(
            user_id=user_id,
            channel="telegram",
            text=text,
            intent=intent,
            score=1,
            answered=answered,
        )
    await store.people.subscribe(ketapang.id, "61.04")
    await store.people.subscribe(other.id)
    report = await build_report(store, days=7, today=datetime.now(UTC).date())
    assert report.total == 5 and report.unanswered == 2
    assert report.fallback_rate == 0.4
    assert dict(report.per_intent) == {"jht_claim": 2, "fallback": 2, "jkk_benefit": 1}
    regencies = {row.code: row.count for row in report.per_regency}
    assert regencies == {None: 3, "61.04": 2}
    ketapang_row = next(row for row in report.per_regency if row.code == "61.04")
    assert ketapang_row.name is not None and "Ketapang" in ketapang_row.name
    assert [(g.example, g.count) for g in report.top_unanswered] == [("cuaca besok?", 2)]
    assert {(row.code, row.count) for row in report.subscribers} == {("61.04", 1), (None, 1)}


async def test_regencies_fill_in_from_links_subscriptions_and_places_named(
    store: Store,
) -> None:
    head = await store.people.touch("telegram", "head")  # no region, speaks for Sutera
    await store.village_heads.link(head.id, "61.11.01.2001")
    subscriber = await store.people.touch("telegram", "sub")  # follows Ketapang
    await store.people.subscribe(subscriber.id, "61.04")
    asker = await store.people.touch("telegram", "asker")  # named Ketapang once
    stranger = await store.people.touch("telegram", "stranger")  # nothing known
    for user_id, region in [
        (head.id, None),
        (subscriber.id, None),
        (asker.id, "61.04.16.2007"),  # "desa kali nilam kab ketapang"
        (asker.id, None),  # a later question of the same person, no place named
        (stranger.id, None),
    ]:
        await store.questions.log(
            user_id=user_id,
            channel="telegram",
            text="pertanyaan",
            intent="village_target",
            score=1,
            answered=True,
            region_code=region,
        )
    report = await build_report(store, days=7, today=datetime.now(UTC).date())
    regencies = {row.code: row.count for row in report.per_regency}
    assert regencies == {"61.11": 1, "61.04": 3, None: 1}


async def test_unanswered_list_leaves_out_numbers_thanks_and_command_typos(
    store: Store,
) -> None:
    user = await store.people.touch("telegram", "1")
    for text in (
        "1",
        "2",
        "ok",
        "Oke kak!",
        "makasih",
        "/statistk",
        "umumkn",
        "verifkasi 3 61.11",
    ):
        await store.questions.log(
            user_id=user.id,
            channel="telegram",
            text=text,
            intent="fallback",
            score=0,
            answered=False,
        )
    await store.questions.log(
        user_id=user.id,
        channel="telegram",
        text="harga cabai berapa",
        intent="fallback",
        score=0,
        answered=False,
    )
    report = await build_report(store, days=7, today=datetime.now(UTC).date())
    assert [g.example for g in report.top_unanswered] == ["harga cabai berapa"]
    assert report.unanswered == 9  # still counted in the fallback rate


def test_worth_listing() -> None:
    assert worth_listing("cara klaim jht gimana")
    assert worth_listing("staf saya siapa")
    assert not worth_listing("3")
    assert not worth_listing("faq tmbah")
