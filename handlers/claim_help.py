"""Help with one's own claim: why it is not paid yet, the payout account, and a membership
still "active" after leaving. The bot never sees a claim: it gives the rule and the channel."""

from __future__ import annotations

from typing import Final

from bot.answers.facts import money, number
from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Incoming, Reply
from handlers.service_common import (
    case_button,
    channel_values,
    marks,
    need_with_channels,
    pick,
    respond,
    staff_button,
)

router = Router("claim_help")

CLAIM_WORDS: Final = {
    "jkp": ("jkp", "siapkerja", "kehilangan\\s+pekerjaan"),
    "underpaid": ("kurang", "(?:tidak|gak|ga|tdk)\\s+sesuai", "potong", "selisih"),
    "branch": ("lapak", "cabang", "kantor\\s+bpjs", "offline", "verifikasi\\s+online"),
    "jmo": ("jmo", "aplikasi", "online"),
}
CLAIM_KEYS: Final = {
    None: ("jht.payment_working_days", "claim.tracking", "claim.late"),
    "jmo": ("jht.payment_working_days", "claim.tracking", "claim.late", "jmo.face_check_fallback"),
    "branch": ("claim.lapak_asik_schedule", "claim.tracking", "jht.payment_working_days"),
    "underpaid": ("claim.underpaid", "jht.tax_by_bpjs"),
    "jkp": ("jkp.payment_working_days", "channel.siapkerja"),
}
CLAIM_LABELS: Final = {
    "jmo": N_("service.claim.button.jmo"),
    "branch": N_("service.claim.button.branch"),
    "underpaid": N_("service.claim.button.underpaid"),
    "jkp": N_("service.claim.button.jkp"),
}

PAYOUT_WORDS: Final = {
    "ewallet": (
        "e-?wallet",
        "dompet\\s+digital",
        "dana\\b",
        "ovo",
        "gopay",
        "shopeepay",
        "linkaja",
    ),
    "abroad": ("luar\\s+negeri", "bank\\s+asing", "abroad"),
    "other_name": (
        "istri",
        "suami",
        "orang\\s+lain",
        "atas\\s+nama",
        "keluarga",
        "anak",
        "ortu",
        "orang\\s+tua",
        "ibu",
        "bapak",
        "teman",
        "kuasa",
    ),
    "change": ("ganti", "ubah", "salah", "tutup", "dormant", "pasif", "(?:tidak|gak|ga)\\s+aktif"),
}
PAYOUT_KEYS: Final = {
    None: ("payout.own_account", "payout.no_other_account", "payout.transfer_only"),
    "other_name": ("payout.own_account", "payout.no_other_account"),
    "ewallet": ("payout.ewallet", "payout.own_account"),
    "abroad": ("payout.foreign_account", "payout.own_account"),
    "change": ("payout.own_account", "claim.late"),
}
PAYOUT_LABELS: Final = {
    "other_name": N_("service.payout.button.other_name"),
    "ewallet": N_("service.payout.button.ewallet"),
    "abroad": N_("service.payout.button.abroad"),
    "change": N_("service.payout.button.change"),
}

STATUS_WORDS: Final = {
    "bpu": ("bpu", "mandiri", "berhenti\\s+bayar", "(?:tidak|gak|ga)\\s+bayar", "nunggak"),
    "closed": (
        "tutup",
        "bangkrut",
        "pailit",
        "kabur",
        "menolak",
        "(?:ga|gak|tidak)\\s+mau",
        "(?:ga|gak|tidak)\\s+bisa\\s+dihubungi",
    ),
    "phk": ("phk", "di-?phk", "dipecat"),
    "check": ("cek", "lihat", "tahu\\s+status"),
}
STATUS_KEYS: Final = {
    None: ("status.deactivate", "status.check", "jmo.jht_conditions", "jmo.jht_limit"),
    "phk": ("status.phk_self_report", "status.deactivate", "channel.siapkerja"),
    "closed": ("status.employer_unreachable", "kpj.proof_of_work"),
    "bpu": ("bpu.inactive_months",),
    "check": ("status.check",),
}
STATUS_LABELS: Final = {
    "phk": N_("service.status.button.phk"),
    "closed": N_("service.status.button.closed"),
    "bpu": N_("service.status.button.bpu"),
}


@router.intent(Intent.CLAIM_STATUS)
async def claim_status(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    """Never a date for one claim: the service standard, how to track, whom to ask."""
    case = pick(ctx, msg, CLAIM_WORDS)
    facts = need_with_channels(ctx, *CLAIM_KEYS[case])
    values = channel_values(ctx, facts)
    if "jht.payment_working_days" in facts.by_key:
        values["days"] = number(ctx, facts["jht.payment_working_days"])
    if case == "jkp":
        values["days"] = number(ctx, facts["jkp.payment_working_days"])
    body = ctx.t(f"service.claim.{case or 'general'}", **values)
    buttons: list[Button] = []
    if case is None:
        buttons = [
            case_button(ctx, Intent.CLAIM_STATUS, name, label)
            for name, label in CLAIM_LABELS.items()
        ]
    buttons += [*ctx.buttons(Intent.PAYOUT_ACCOUNT), staff_button(ctx)]
    return respond(ctx, msg, body, facts, buttons)


@router.intent(Intent.PAYOUT_ACCOUNT)
async def payout_account(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    case = pick(ctx, msg, PAYOUT_WORDS)
    facts = need_with_channels(ctx, *PAYOUT_KEYS[case])
    values = channel_values(ctx, facts)
    if case == "ewallet":
        values |= marks(facts, mark="payout.ewallet")
    if case == "change":
        values["ask"] = ctx.call_centre_text()
    body = ctx.t(f"service.payout.{case or 'general'}", **values)
    buttons: list[Button] = []
    if case is None:
        buttons = [
            case_button(ctx, Intent.PAYOUT_ACCOUNT, name, label)
            for name, label in PAYOUT_LABELS.items()
        ]
    buttons += [*ctx.buttons(Intent.CLAIM_STATUS), staff_button(ctx)]
    return respond(ctx, msg, body, facts, buttons)


@router.intent(Intent.MEMBERSHIP_STATUS)
async def membership_status(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    case = pick(ctx, msg, STATUS_WORDS)
    facts = need_with_channels(ctx, *STATUS_KEYS[case])
    values = channel_values(ctx, facts)
    if case is None:
        values["limit"] = money(ctx, facts["jmo.jht_limit"])
    if case == "closed":
        values |= marks(facts, mark="status.employer_unreachable")
    if case == "bpu":
        values["months"] = number(ctx, facts["bpu.inactive_months"])
    body = ctx.t(f"service.status.{case or 'general'}", **values)
    buttons: list[Button] = []
    if case is None:
        buttons = [
            case_button(ctx, Intent.MEMBERSHIP_STATUS, name, label)
            for name, label in STATUS_LABELS.items()
        ]
    buttons += [*ctx.buttons(Intent.JHT_CLAIM), staff_button(ctx)]
    return respond(ctx, msg, body, facts, buttons)
