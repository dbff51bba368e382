"""What people mean without naming it: topic defaults applied to the classifier's reading.

Markers are the concept word groups of `vocabulary.yml` found in the message's tokens.
"""

from __future__ import annotations

from collections.abc import Set

from bot.domain.intents import Intent

# A program's benefit or claim: with a payment that has not come, the claim's status.
_PAYMENTS = frozenset(
    {
        Intent.JHT_CLAIM,
        Intent.JHT_BENEFIT,
        Intent.JKP_CLAIM,
        Intent.JKP_BENEFIT,
        Intent.JP_CLAIM,
        Intent.JP_BENEFIT,
        Intent.JKK_CLAIM,
        Intent.JKM_CLAIM,
    }
)
# Readings that a membership "still active" (after leaving work) turns into its status.
_ACTIVE_AFTER = frozenset(
    {Intent.LATE_PAYMENT, Intent.JHT_CLAIM, Intent.REGISTRATION_PU, Intent.REGISTRATION_BPU}
)
_OTHER_PROGRAMS = frozenset({"_prog_jkk", "_prog_jkm", "_prog_jkp", "_prog_jp", "_health"})


def topic_default(
    markers: Set[str],
    intent: Intent,
    score: float,
    clarify: tuple[Intent, ...],
    *,
    sure: float,
) -> tuple[Intent, tuple[Intent, ...]]:
    """The reading with what people mean without naming it: withdrawing money from BPJS TK
    with no program named is a JHT claim, and so is JHT read as "what JHT is" while money is
    taken out, and a sum taken out "before retirement" (not the pension); a payment that has
    not come is the claim's status; "status masih aktif" after leaving work is the
    membership's status. `sure`: a reading at least this sure of another intent keeps it
    when money is withdrawn.
    """
    if "_waiting" in markers and intent in _PAYMENTS:
        # "pensiun bulanan bulan ini belum masuk", "jkp saya distop": one's own payment
        # that has not come is a question about the claim's status, whatever the program.
        return Intent.CLAIM_STATUS, ()
    if "_still_active" in markers and intent in _ACTIVE_AFTER and "_unpaid" not in markers:
        # "sudah resign tapi status masih aktif": the membership, not the contributions
        return Intent.MEMBERSHIP_STATUS, ()
    if "_withdraw" not in markers:
        return intent, clarify
    unsure = intent is Intent.FALLBACK or score < sure
    if unsure and not markers & _OTHER_PROGRAMS:
        return Intent.JHT_CLAIM, ()
    if intent is Intent.JHT_BENEFIT:
        # JHT with money taken out: when and how it can be withdrawn, not what JHT is
        return Intent.JHT_CLAIM, ()
    pension = intent in (Intent.JP_BENEFIT, Intent.JP_CLAIM)
    if pension and "_before_retirement" in markers and "_jp_named" not in markers:
        return Intent.JHT_CLAIM, ()
    return intent, clarify
