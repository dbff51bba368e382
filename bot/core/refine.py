"""Readings the classifier does not make: privacy requests, and FAQs staff added at run time."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.domain.intents import Intent
from bot.domain.understanding import Slots, Understanding
from bot.nlu.faq import FaqMatch, FaqMatcher, normalize
from bot.store.faqs import FaqRepository

# Option slot values of the privacy intent (the buttons carry them too).
SHOW = "show"
DELETE = "delete"
CONFIRM = "confirm"
CANCEL = "cancel"

# A classifier reading below this score is unsure; an FAQ matching at STRONG_MATCH (0-100)
# or above replaces it.
UNSURE_BELOW = 0.75
STRONG_MATCH = 92.0

# "hapus data saya", "tolong hapus semua data aku", "delete my data"; "data saya apa saja",
# "lihat data saya", "show my data". Checked on normalized text, before anything else.
_DELETE = re.compile(
    r"^(?:tolong |mohon |saya (?:mau |ingin )?|aku (?:mau |ingin )?)?"
    r"(?:hapus|hapuskan|delete|erase|remove)(?: semua)? (?:data|my data|all my data)"
    r"(?: (?:saya|aku|gue|gw|pribadi|ku))?$"
)
_SHOW = re.compile(
    r"^(?:(?:lihat|tampilkan|cek|show|see) )?(?:data|my data)(?: (?:saya|aku|pribadi))?"
    r"(?: (?:apa saja|yang disimpan|yang tersimpan|stored))?$"
)
_DATA_OF_ME = re.compile(r"\b(?:saya|aku|my|pribadi)\b")


def privacy_option(text: str) -> str | None:
    """`delete` or `show` when the text asks to delete or see one's own data."""
    normalized = normalize(text)
    if _DELETE.match(normalized):
        return DELETE
    if _SHOW.match(normalized) and _DATA_OF_ME.search(normalized):
        return SHOW
    return None


# Readings about regions that become a village question when the message names one village
# ("desa kali nilam kab ketapang" is that village's target, not a ranking of Ketapang).
_REGION_READINGS = frozenset(
    {Intent.COVERAGE_REGION, Intent.COVERAGE_COMPARE, Intent.COVERAGE_RANKING}
)


_VILLAGE_CODE = re.compile(r"([1-9]\d)\.?(\d{2})\.?(\d{2})\.?(\d{4})")
_VILLAGE_WORDS = frozenset({"desa", "kelurahan", "kampung", "village"})


def one_village(text: str, understanding: Understanding) -> Understanding:
    """A region reading (or a choice between them) that names exactly one village, and no
    second place to compare with, is about that village: `village_target`. So is a message
    that is nothing but a village's code ("6111012007", "61.11.01.2007": never an amount),
    and a choice offered between a village and a region reading when the message says
    "desa" ("peringkat desa saya")."""
    bare = _VILLAGE_CODE.fullmatch(text.strip())
    if bare is not None:
        code = ".".join(bare.groups())
        slots = replace(understanding.slots, village=code, region=code, money=None)
        return Understanding(intent=Intent.VILLAGE_TARGET, score=1.0, slots=slots)
    if Intent.VILLAGE_TARGET in understanding.clarify and _VILLAGE_WORDS & set(
        normalize(text).split()
    ):
        return replace(understanding, intent=Intent.VILLAGE_TARGET, clarify=())
    village = understanding.slots.village or ""
    if village.count(".") != 3 or understanding.slots.other_region:
        return understanding
    only_the_code = text.strip().replace(".", "") == village.replace(".", "")
    options = set(understanding.clarify) or {understanding.intent}
    if not only_the_code and not options <= _REGION_READINGS:
        return understanding
    return Understanding(
        intent=Intent.VILLAGE_TARGET, score=understanding.score, slots=understanding.slots
    )


class Refiner:
    def __init__(self, faqs: FaqRepository):
        self._faqs = FaqIndex(faqs)

    async def refine(self, text: str, understanding: Understanding) -> Understanding:
        """A privacy request wins over any reading. An FAQ replaces the fallback (or an
        undecided reading); a near-verbatim FAQ phrasing also replaces an unsure classifier
        reading, so staff can fix a misread question without a deploy."""
        option = privacy_option(text)
        if option is not None:
            return Understanding(intent=Intent.PRIVACY, score=1.0, slots=Slots(option=option))
        understanding = one_village(text, understanding)
        undecided = understanding.intent is Intent.FALLBACK or bool(understanding.clarify)
        if not undecided and understanding.score >= UNSURE_BELOW:
            return understanding
        found = await self._faqs.match(text)
        if found is None or (not undecided and found.score < STRONG_MATCH):
            return understanding
        return Understanding(
            intent=Intent.FAQ, score=found.score / 100, slots=Slots(option=str(found.faq_id))
        )


class FaqIndex:
    """The matcher over the current FAQs, rebuilt when any process added or retired one."""

    def __init__(self, faqs: FaqRepository):
        self._faqs = faqs
        self._version: str | None = None
        self._matcher = FaqMatcher(())

    async def match(self, text: str) -> FaqMatch | None:
        version = await self._faqs.version()
        if version != self._version:
            self._matcher = FaqMatcher(await self._faqs.active())
            self._version = version
        return self._matcher.match(text)
