"""JMO app and account help: app errors, getting back in, lost or several KPJ numbers, and
data that differ from the KTP. General procedure and channel only: the bot sees no account."""

from __future__ import annotations

from typing import Final

from bot.answers.facts import number, wants_more
from bot.core.context import HandlerContext
from bot.core.i18n import N_
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Button, Incoming, Reply
from handlers.service_common import (
    case_button,
    channel_values,
    marks,
    more_and_staff,
    need_with_channels,
    pick,
    respond,
    staff_button,
)

router = Router("account_help")

# Sub-cases of a JMO problem, with the words that name them and the facts each answer states.
JMO_WORDS: Final = {
    "face": ("wajah", "biometri", "face", "selfie", "muka", "liveness"),
    "otp": ("otp", "kode\\s+verifikasi", "kode\\s+(?:ga|gak|nggak|tidak|tdk)\\s+masuk", "sms"),
    "not_found": (
        "tidak\\s+ditemukan",
        "(?:ga|gak|tdk|nggak)\\s+ditemukan",
        "not\\s+found",
        "tambah\\s+kpj",
        "kartu\\s+(?:ga|gak|tidak|tdk)\\s+muncul",
        "kpj\\s+(?:ga|gak|tidak|tdk)\\s+muncul",
    ),
    "balance": ("saldo",),
    "update": ("update\\s+aplikasi", "versi", "perbarui", "pembaruan"),
}
JMO_KEYS: Final = {
    "face": (
        "jmo.face_check",
        "jmo.face_check_causes",
        "jmo.face_check_fallback",
        "contact.email",
    ),
    "otp": ("jmo.otp",),
    "not_found": ("jmo.card_missing", "data.correction_active"),
    "balance": ("jmo.balance_missing",),
    "update": ("fraud.official_domains",),
}
JMO_LABELS: Final = {
    "face": N_("service.jmo.button.face"),
    "otp": N_("service.jmo.button.otp"),
    "not_found": N_("service.jmo.button.not_found"),
    "balance": N_("service.jmo.button.balance"),
    "update": N_("service.jmo.button.update"),
}
JMO_MORE_KEYS: Final = (
    "jmo.claim_opens",
    "jmo.claim_closes",
    "jmo.old_card",
    "jmo.card_not_mine",
    "contact.sso",
    "contact.email",
)

ACCESS_WORDS: Final = {
    "delete": ("hapus\\s+akun", "delete", "tutup\\s+akun"),
    "locked": ("\\w*kunci", "\\w*blokir", "locked", "salah\\s+(?:password|sandi|pin)"),
    "lost_both": (
        "email\\S*\\s+(?:dan|sama|&|dan\\s+no|sm)\\s+(?:no|nomor|hp)",
        "(?:no|nomor|hp)\\S*\\s+(?:dan|sama|&|sm)\\s+email",
    ),
    "account": ("lupa\\s+(?:akun|email|e-mail|surel)", "email\\s+(?:apa|yang\\s+mana)"),
    "phone": (
        "(?:no|nomor)\\s*(?:hp|handphone|telepon|wa)",
        "ganti\\s+(?:no|nomor)",
        "hp\\s+baru",
    ),
    "password": ("sandi", "password", "pin", "lupa"),
}
ACCESS_KEYS: Final = {
    "password": ("jmo.forgot_password",),
    "account": ("jmo.forgot_account", "jmo.forgot_account_steps"),
    "phone": ("jmo.change_phone", "jmo.forgot_password", "jmo.lost_access"),
    "locked": ("jmo.login_attempts", "jmo.lock_hours", "jmo.forgot_password"),
    "lost_both": ("jmo.lost_access", "jmo.lost_access_ktp"),
    "delete": ("jmo.delete_account",),
}
ACCESS_LABELS: Final = {
    "password": N_("service.access.button.password"),
    "account": N_("service.access.button.account"),
    "phone": N_("service.access.button.phone"),
    "locked": N_("service.access.button.locked"),
    "lost_both": N_("service.access.button.lost_both"),
    "delete": N_("service.access.button.delete"),
}

KPJ_LOST_WORDS: Final = {
    "bpu": ("bpu", "mandiri", "bukan\\s+penerima\\s+upah"),
    "closed": (
        "tutup",
        "bangkrut",
        "pailit",
        "kabur",
        "(?:ga|gak|tidak|tdk)\\s+bisa\\s+dihubungi",
        "sudah\\s+(?:ga|gak|tidak)\\s+ada",
    ),
    "employer": ("perusahaan", "kantor", "hrd?\\b", "pabrik", "bos", "atasan"),
}
KPJ_LOST_KEYS: Final = {
    None: ("kpj.digital_card", "kpj.unknown_numbers"),
    "employer": ("kpj.digital_card", "kpj.proof_of_work"),
    "closed": ("kpj.lost_closed_employer", "kpj.proof_of_work"),
    "bpu": ("kpj.bpu_lost", "kpj.digital_card"),
}
KPJ_LOST_LABELS: Final = {
    "employer": N_("service.kpj_lost.button.employer"),
    "closed": N_("service.kpj_lost.button.closed"),
    "bpu": N_("service.kpj_lost.button.bpu"),
}

DATA_WORDS: Final = {
    "bpu": ("bpu", "mandiri"),
    "nonactive": (
        "resign",
        "keluar",
        "berhenti",
        "nonaktif",
        "non\\s+aktif",
        "phk",
        "tutup",
        "(?:sudah|udah|dah)\\s+(?:ga|gak|tidak|tdk)\\s+kerja",
    ),
    "active": ("masih\\s+(?:kerja|bekerja|aktif)", "hrd?\\b"),
}
DATA_KEYS: Final = {
    None: ("data.correction_active", "data.correction_nonactive", "jmo.card_missing"),
    "active": ("data.correction_active", "jmo.card_missing"),
    "nonactive": ("data.correction_nonactive", "data.ktp_accepted"),
    "bpu": ("bpu.report_change_days", "data.correction_nonactive"),
}
DATA_LABELS: Final = {
    "active": N_("service.data.button.active"),
    "nonactive": N_("service.data.button.nonactive"),
    "bpu": N_("service.data.button.bpu"),
}


@router.intent(Intent.JMO_APP_HELP)
async def jmo_app_help(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if wants_more(ctx):
        facts = need_with_channels(ctx, *JMO_MORE_KEYS)
        body = ctx.t(
            "service.jmo.more",
            opens=ctx.fmt.clock(facts["jmo.claim_opens"].amount),
            closes=ctx.fmt.clock(facts["jmo.claim_closes"].amount),
            **channel_values(ctx, facts),
        )
        back = [*ctx.buttons(Intent.ACCOUNT_ACCESS, Intent.KPJ_MULTIPLE), staff_button(ctx)]
        return respond(ctx, msg, body, facts, back)
    case = pick(ctx, msg, JMO_WORDS)
    if case is None:
        facts = need_with_channels(ctx, "channel.jmo")
        buttons: list[Button] = [
            case_button(ctx, Intent.JMO_APP_HELP, name, label)
            for name, label in JMO_LABELS.items()
        ]
        buttons += more_and_staff(ctx, Intent.JMO_APP_HELP)
        return respond(
            ctx, msg, ctx.t("service.jmo.pick", **channel_values(ctx, facts)), facts, buttons
        )
    facts = need_with_channels(ctx, *JMO_KEYS[case])
    values = channel_values(ctx, facts)
    if case == "update":
        values["ask"] = ctx.call_centre_text()
    body = ctx.t(f"service.jmo.{case}", **values)
    buttons = more_and_staff(ctx, Intent.JMO_APP_HELP, Intent.ACCOUNT_ACCESS)
    if case == "not_found":
        buttons = more_and_staff(ctx, Intent.JMO_APP_HELP, Intent.DATA_CORRECTION)
    return respond(ctx, msg, body, facts, buttons)


@router.intent(Intent.ACCOUNT_ACCESS)
async def account_access(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    case = pick(ctx, msg, ACCESS_WORDS)
    if case is None:
        facts = need_with_channels(ctx, "jmo.forgot_password")
        buttons = [
            case_button(ctx, Intent.ACCOUNT_ACCESS, name, label)
            for name, label in ACCESS_LABELS.items()
        ]
        buttons.append(staff_button(ctx))
        body = ctx.t("service.access.pick", **channel_values(ctx, facts))
        return respond(ctx, msg, body, facts, buttons)
    facts = need_with_channels(ctx, *ACCESS_KEYS[case])
    values = channel_values(ctx, facts)
    if case == "locked":
        values["attempts"] = number(ctx, facts["jmo.login_attempts"])
        values["hours"] = number(ctx, facts["jmo.lock_hours"])
    if case == "account":
        values |= marks(facts, steps_mark="jmo.forgot_account_steps")
    if case == "lost_both":
        values |= marks(facts, ktp_mark="jmo.lost_access_ktp")
    body = ctx.t(f"service.access.{case}", **values)
    buttons = [*ctx.buttons(Intent.JMO_APP_HELP, Intent.FRAUD_WARNING), staff_button(ctx)]
    return respond(ctx, msg, body, facts, buttons)


@router.intent(Intent.KPJ_LOST)
async def kpj_lost(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    case = pick(ctx, msg, KPJ_LOST_WORDS)
    facts = need_with_channels(ctx, *KPJ_LOST_KEYS[case], "kpj.old_cards_valid")
    body = ctx.t(f"service.kpj_lost.{case or 'general'}", **channel_values(ctx, facts))
    buttons: list[Button] = []
    if case is None:
        buttons = [
            case_button(ctx, Intent.KPJ_LOST, name, label)
            for name, label in KPJ_LOST_LABELS.items()
        ]
    buttons += [*ctx.buttons(Intent.KPJ_MULTIPLE), staff_button(ctx)]
    stated = [*KPJ_LOST_KEYS[case]]
    return respond(ctx, msg, body, facts, buttons, stated=stated)


@router.intent(Intent.KPJ_MULTIPLE)
async def kpj_multiple(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    if wants_more(ctx):
        facts = need_with_channels(ctx, "kpj.rsjht_wrong", "jmo.card_missing", "kpj.new_employer")
        body = ctx.t("service.kpj_multiple.more", **channel_values(ctx, facts))
        buttons = [*ctx.buttons(Intent.DATA_CORRECTION, Intent.JHT_CLAIM), staff_button(ctx)]
        return respond(ctx, msg, body, facts, buttons)
    facts = need_with_channels(
        ctx, "kpj.merge", "kpj.merge_in_jmo", "kpj.unknown_numbers", "kpj.new_employer"
    )
    body = ctx.t("service.kpj_multiple.summary", **channel_values(ctx, facts))
    buttons = more_and_staff(ctx, Intent.KPJ_MULTIPLE, Intent.JHT_CLAIM)
    return respond(ctx, msg, body, facts, buttons)


@router.intent(Intent.DATA_CORRECTION)
async def data_correction(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    case = pick(ctx, msg, DATA_WORDS)
    facts = need_with_channels(ctx, *DATA_KEYS[case], "data.no_valid_nik")
    values = channel_values(ctx, facts)
    if case == "bpu":
        values["days"] = number(ctx, facts["bpu.report_change_days"])
    body = ctx.t(f"service.data.{case or 'general'}", **values)
    buttons: list[Button] = []
    if case is None:
        buttons = [
            case_button(ctx, Intent.DATA_CORRECTION, name, label)
            for name, label in DATA_LABELS.items()
        ]
    buttons += [*ctx.buttons(Intent.JMO_APP_HELP), staff_button(ctx)]
    return respond(ctx, msg, body, facts, buttons, stated=DATA_KEYS[case])
