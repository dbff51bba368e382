"""The staff statistics report (chat `/statistik`, CLI `jamsosbot stats`), built from the store.

Unanswered questions are grouped: normalized, then near-duplicates (rapidfuzz token-sort
ratio at or above `GROUP_THRESHOLD`) counted together, most frequent first, so staff see which
questions to turn into an FAQ. Long numbers in them (phone, NIK) are masked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from rapidfuzz import fuzz, process

from bot.logs import redact
from bot.nlu.faq import normalize
from bot.store import Store

GROUP_THRESHOLD = 85.0
# Replies that are no question: thanks, yes/no, a bare number (a list or button choice).
_NOT_QUESTIONS = frozenset(
    {
        "ok",
        "oke",
        "okey",
        "okay",
        "ok kak",
        "oke kak",
        "ya",
        "iya",
        "y",
        "tidak",
        "gak",
        "nggak",
        "no",
    }
    | {"makasih", "terima kasih", "terimakasih", "thanks", "thank you", "siap", "sip", "baik"}
)
# Staff command names: a near miss ("statistk", "/umumkan_lapran") is a typo, not a question.
STAFF_COMMAND_WORDS = (
    "umumkan",
    "umumkan_kirim",
    "umumkan_batal",
    "umumkan_laporan",
    "umumkan_daftar",
    "statistik",
    "verifikasi",
    "staf",
    "staf_tambah",
    "staf_hapus",
    "staf_daftar",
    "faq",
    "impor",
)
_COMMAND_TYPO_SCORE = 80.0


def worth_listing(text: str) -> bool:
    """An unanswered text staff should see: not "ok", a number, or a mistyped command."""
    words = text.strip().lower().split()
    if not words or words[0].startswith("/"):
        return False  # a command the bot did not know: a typo, not a question for the FAQ
    key = normalize(text)
    if not key or key in _NOT_QUESTIONS or not any(ch.isalpha() for ch in key):
        return False
    first = words[0].strip(".,!?")
    near = process.extractOne(first, STAFF_COMMAND_WORDS, scorer=fuzz.ratio)
    if near is None or near[1] < _COMMAND_TYPO_SCORE:
        return True
    arguments = words[1:]  # "verifkasi 3 61.11", "faq tmbah": a command's arguments
    return not (len(arguments) <= 1 or all(any(ch.isdigit() for ch in w) for w in arguments))


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    example: str  # the most recent wording, numbers masked
    count: int


@dataclass(frozen=True, slots=True)
class RegionCount:
    code: str | None  # None: not known (questions) / every region (subscriptions)
    name: str | None
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StatisticsReport:
    since: date
    until: date
    total: int
    unanswered: int
    per_intent: tuple[tuple[str, int], ...]
    per_regency: tuple[RegionCount, ...]
    top_unanswered: tuple[QuestionGroup, ...]
    subscribers: tuple[RegionCount, ...]

    @property
    def fallback_rate(self) -> float:
        return self.unanswered / self.total if self.total else 0.0


def group_questions(
    texts: Iterable[str], *, threshold: float = GROUP_THRESHOLD
) -> list[QuestionGroup]:
    """Near-duplicate questions counted together; pass the most recent first.

    Greedy: each question joins the first earlier group whose first question is similar
    enough. The pairwise scores come from one rapidfuzz `cdist` pass (C, all cores).
    """
    originals: list[str] = []
    keys: list[str] = []
    for text in texts:
        key = normalize(text)
        if key:
            originals.append(text)
            keys.append(" ".join(sorted(key.split())))  # token-sort once, then plain ratio
    if not keys:
        return []
    similar = process.cdist(
        keys,
        keys,
        scorer=fuzz.ratio,
        score_cutoff=threshold,
        dtype=np.uint8,
        workers=-1,
    )
    is_leader = np.zeros(len(keys), dtype=bool)
    group_of_leader: dict[int, int] = {}
    leaders: list[int] = []
    counts: list[int] = []
    for index in range(len(keys)):
        earlier = np.flatnonzero(similar[index, :index].astype(bool) & is_leader[:index])
        if earlier.size:
            counts[group_of_leader[int(earlier[0])]] += 1
            continue
        is_leader[index] = True
        group_of_leader[index] = len(leaders)
        leaders.append(index)
        counts.append(1)
    order = sorted(range(len(leaders)), key=lambda n: (-counts[n], n))
    return [
        QuestionGroup(redact(" ".join(originals[leaders[n]].split())), counts[n]) for n in order
    ]


async def build_report(store: Store, *, days: int, today: date, top: int = 10) -> StatisticsReport:
    """The last `days` days up to and including `today`."""
    since = today - timedelta(days=days - 1)
    start = datetime.combine(since, time.min, tzinfo=UTC)
    counts = await store.statistics.question_counts(start)
    texts = [
        text for text in await store.statistics.unanswered_texts(start) if worth_listing(text)
    ]
    groups = await asyncio.to_thread(group_questions, texts)
    subscribers = await store.statistics.subscribers_per_region()
    return StatisticsReport(
        since=since,
        until=today,
        total=counts.total,
        unanswered=counts.unanswered,
        per_intent=counts.per_intent,
        per_regency=await _named(store, counts.per_regency),
        top_unanswered=tuple(groups[:top]),
        subscribers=await _named(store, subscribers),
    )


async def _named(
    store: Store, counts: Sequence[tuple[str | None, int]]
) -> tuple[RegionCount, ...]:
    regions = await store.regions.get_many(code for code, _ in counts if code)
    return tuple(
        RegionCount(code, regions[code].name if code in regions else None, count)
        for code, count in counts
    )
