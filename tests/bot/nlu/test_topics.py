"""Topic defaults: what people mean without naming it."""

from __future__ import annotations

import pytest

from bot.domain.intents import Intent
from bot.nlu.topics import topic_default

SURE = 0.35


@pytest.mark.parametrize(
    ("markers", "intent", "score", "expected"),
    [
        # money taken out with no program named: JHT
        ({"_withdraw"}, Intent.FALLBACK, 0.0, Intent.JHT_CLAIM),
        ({"_withdraw"}, Intent.CONTACT, 0.2, Intent.JHT_CLAIM),
        # ... unless another program is named, or the reading is sure of something else
        ({"_withdraw", "_prog_jkp"}, Intent.FALLBACK, 0.0, Intent.FALLBACK),
        ({"_withdraw"}, Intent.LOANS, 0.9, Intent.LOANS),
        # JHT with money taken out: withdrawing it, however sure the reading of what JHT is
        ({"_withdraw"}, Intent.JHT_BENEFIT, 0.9, Intent.JHT_CLAIM),
        ({"_withdraw"}, Intent.JHT_BENEFIT, 0.3, Intent.JHT_CLAIM),
        ({"_withdraw"}, Intent.JKP_BENEFIT, 0.9, Intent.JKP_BENEFIT),  # another program's
        ({"_waiting", "_withdraw"}, Intent.JHT_BENEFIT, 0.9, Intent.CLAIM_STATUS),
        # a sum before retirement is JHT, not the pension, unless JP is named
        ({"_withdraw", "_before_retirement"}, Intent.JP_BENEFIT, 0.9, Intent.JHT_CLAIM),
        ({"_withdraw", "_before_retirement", "_jp_named"}, Intent.JP_CLAIM, 0.9, Intent.JP_CLAIM),
        # a payment that has not come: the claim's status, whatever the program
        ({"_waiting"}, Intent.JP_BENEFIT, 0.99, Intent.CLAIM_STATUS),
        ({"_waiting"}, Intent.JKP_CLAIM, 0.6, Intent.CLAIM_STATUS),
        ({"_waiting"}, Intent.BSU, 0.6, Intent.BSU),
        # still active after leaving: the membership, unless unpaid contributions are named
        ({"_still_active"}, Intent.LATE_PAYMENT, 0.7, Intent.MEMBERSHIP_STATUS),
        ({"_still_active", "_unpaid"}, Intent.LATE_PAYMENT, 0.7, Intent.LATE_PAYMENT),
        ({"_still_active"}, Intent.CONTACT, 0.7, Intent.CONTACT),
    ],
)
def test_topic_defaults(markers: set[str], intent: Intent, score: float, expected: Intent) -> None:
    assert topic_default(markers, intent, score, (), sure=SURE)[0] is expected


def test_a_default_drops_the_clarifying_choice_and_no_default_keeps_it() -> None:
    choice = (Intent.JHT_BENEFIT, Intent.JP_BENEFIT)
    assert topic_default({"_waiting"}, Intent.JP_BENEFIT, 0.5, choice, sure=SURE)[1] == ()
    assert topic_default(set(), Intent.JHT_BENEFIT, 0.5, choice, sure=SURE)[1] == choice
