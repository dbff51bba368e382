"""Intent ids: the public contract of shared/spec/intents.md (never rename these)."""

from enum import StrEnum


class Intent(StrEnum):
    PROGRAM_OVERVIEW = "program_overview"
    JKK_BENEFIT = "jkk_benefit"
    JKK_CLAIM = "jkk_claim"
    JKM_BENEFIT = "jkm_benefit"
    JKM_CLAIM = "jkm_claim"
    JHT_BENEFIT = "jht_benefit"
    JHT_CLAIM = "jht_claim"
    JP_BENEFIT = "jp_benefit"
    JP_CLAIM = "jp_claim"
    JKP_BENEFIT = "jkp_benefit"
    JKP_CLAIM = "jkp_claim"
    SCHOLARSHIP = "scholarship"
    CONTRIBUTION_PU = "contribution_pu"
    CONTRIBUTION_BPU = "contribution_bpu"
    ELIGIBILITY = "eligibility"
    REGISTRATION_PU = "registration_pu"
    REGISTRATION_BPU = "registration_bpu"
    VULNERABLE_WORKERS = "vulnerable_workers"
    MIGRANT_WORKERS = "migrant_workers"
    CONSTRUCTION_WORKERS = "construction_workers"
    LATE_PAYMENT = "late_payment"
    BALANCE_CHECK = "balance_check"
    CONTACT = "contact"
    REGULATION = "regulation"
    PARITRANA_AWARD = "paritrana_award"
    # Service and account help (shared/spec/intents.md, added 2026-12; issue 15).
    JMO_APP_HELP = "jmo_app_help"
    ACCOUNT_ACCESS = "account_access"
    KPJ_LOST = "kpj_lost"
    KPJ_MULTIPLE = "kpj_multiple"
    DATA_CORRECTION = "data_correction"
    CLAIM_STATUS = "claim_status"
    PAYOUT_ACCOUNT = "payout_account"
    MEMBERSHIP_STATUS = "membership_status"
    BSU = "bsu"
    LOANS = "loans"
    FRAUD_WARNING = "fraud_warning"
    HUMAN_AGENT = "human_agent"
    COVERAGE_REGION = "coverage_region"
    COVERAGE_COMPARE = "coverage_compare"
    COVERAGE_RANKING = "coverage_ranking"
    REGION_BUDGET = "region_budget"
    VILLAGE_TARGET = "village_target"
    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    LANGUAGE = "language"
    OUT_OF_SCOPE_HEALTH = "out_of_scope_health"
    # Not classified by NLU (H8): an answer staff added at run time, matched on fallback, and the
    # privacy actions (/datasaya, /hapusdata), which their buttons need as an intent.
    FAQ = "faq"
    PRIVACY = "privacy"
    FALLBACK = "fallback"


# Intents whose answer a later message may refer back to are all others: a follow-up ("kalau
# gaji 6 juta?") never continues a greeting, thanks, the menu or the fallback, nor a settings
# change or the health redirect; the dispatcher remembers none of these as the last question.
# (One set for both: the dispatcher used to remember settings changes that the NLU then
# refused to follow, which only cost a row write.)
NOT_FOLLOWED = frozenset(
    {
        Intent.FALLBACK,
        Intent.GREETING,
        Intent.THANKS,
        Intent.HELP,
        Intent.LANGUAGE,
        Intent.SUBSCRIBE,
        Intent.UNSUBSCRIBE,
        Intent.OUT_OF_SCOPE_HEALTH,
    }
)

# Intents that change what the bot stores about a person: they act only on a short explicit
# command, a button, or after a one-tap confirmation (never on a long message).
SETTINGS = frozenset({Intent.SUBSCRIBE, Intent.UNSUBSCRIBE, Intent.LANGUAGE})
