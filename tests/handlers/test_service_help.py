"""Service and account help: each intent from a user's own words, the right channel, no personal
data asked, every figure from a fact with its source and date (issue 15)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import handlers.account_help as account_help
import handlers.claim_help as claim_help
import handlers.service_help as service_help
from bot.app import App
from bot.core.i18n import LOCALES_DIR, SUPPORTED, Catalogues, placeholders
from bot.core.payload import decode
from bot.core.routing import merge_routers
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming, Reply
from bot.domain.understanding import Slots
from bot.nlu.data import load_intent_data
from bot.ops.facts import FactProblem, check_facts
from bot.store.seeding import FACTS_FILE, parse_facts, read_seed_file
from handlers import ROUTERS
from handlers.service_common import CHANNEL_KEYS, shares_private_data
from tests.conftest import Chat, worker_context
from tests.handlers.asking import TODAY, ask, assert_no_figures_without_facts

SERVICE_INTENTS = (
    Intent.JMO_APP_HELP,
    Intent.ACCOUNT_ACCESS,
    Intent.KPJ_LOST,
    Intent.KPJ_MULTIPLE,
    Intent.DATA_CORRECTION,
    Intent.CLAIM_STATUS,
    Intent.PAYOUT_ACCOUNT,
    Intent.MEMBERSHIP_STATUS,
    Intent.BSU,
    Intent.LOANS,
    Intent.FRAUD_WARNING,
    Intent.HUMAN_AGENT,
)
# Personal cases: the bot cannot see the account, claim or data, so a person must be offered.
PERSONAL = SERVICE_INTENTS[:8]
FAQ = "FAQ BPJS Ketenagakerjaan (Jul 2025)"
HANDLERS, _ = merge_routers(ROUTERS)
# Asking for personal data: a verb of giving next to NIK, KPJ number, OTP, PIN, password or
# birth date, in a sentence without a negation (the bot only ever says "do not send").
ASKS = re.compile(
    r"\b(kirim\w*|ketik\w*|masukkan|tulis\w*|sebutkan|balas\w*|send|type|enter|provide|share)\b"
    r"[^.?!\n]{0,60}\b(nik|kpj|otp|pin|sandi|password|tanggal lahir|birth date)\b",
    re.IGNORECASE,
)
NEGATED = re.compile(r"\b(jangan|tidak|bukan|never|do not|not)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues.load()


async def say_to(
    app: App,
    catalogues: Catalogues,
    intent: Intent,
    text: str = "",
    *,
    option: str | None = None,
    locale: str = "id",
) -> list[Reply]:
    """The handler registered for `intent`, given the user's words (as after understanding)."""
    user = await app.store.people.touch("console", "asker")
    ctx = worker_context(
        app.store, user, catalogues.translator(locale), intent, Slots(option=option)
    )
    chat = ChatRef(channel="console", user_id="asker", chat_id="asker")
    return await HANDLERS[intent](Incoming(chat=chat, text=text), ctx)


def joined(replies: list[Reply]) -> str:
    return "\n\n".join(reply.text for reply in replies)


def assert_short_and_sourced(replies: list[Reply]) -> None:
    assert replies
    for reply in replies:
        assert len(reply.text) < 600, (len(reply.text), reply.text)
        assert "{" not in reply.text and "}" not in reply.text
        assert all(0 < len(button.title) <= 20 for button in reply.buttons)
    assert re.search(r"(Sumber|Source): .*\(.*\d{4}\)", replies[-1].text), replies[-1].text


CASES = [
    (Intent.JMO_APP_HELP, "jmo gagal verifikasi wajah terus", ["cahaya", "Lapak Asik", "175"]),
    (Intent.JMO_APP_HELP, "otp ga masuk2 pas daftar", ["OTP", "masih aktif", "24 jam"]),
    (Intent.JMO_APP_HELP, "data tidak ditemukan waktu tambah kpj", ["Jangan daftar KPJ baru"]),
    (Intent.ACCOUNT_ACCESS, "lupa email sama sandi jmo", ["Lupa akun", "jangan di chat"]),
    (Intent.ACCOUNT_ACCESS, "no hp udah ga aktif gmn login", ["Ubah Nomor Handphone"]),
    (Intent.ACCOUNT_ACCESS, "akun jmo saya terkunci", ["3 kali", "tunggu 2 jam"]),
    (Intent.KPJ_LOST, "kpj hilang, perusahaan udah tutup", ["CSO", "paklaring", "15.30"]),
    (Intent.KPJ_LOST, "kpj ga dikasih perusahaan", ["HRD", "bukti pernah bekerja"]),
    (Intent.KPJ_MULTIPLE, "punya 3 kartu kpj bisa digabung?", ["amalgamasi", "Tambah KPJ"]),
    (Intent.DATA_CORRECTION, "nama di bpjs beda sama ktp", ["HRD", "akta kelahiran"]),
    (Intent.DATA_CORRECTION, "sudah resign, tgl lahir salah", ["nonaktif", "Dukcapil"]),
    (Intent.CLAIM_STATUS, "udah seminggu klaim jht blm cair", ["5 hari kerja", "bukan janji"]),
    (Intent.CLAIM_STATUS, "klaim lewat lapak asik blm ada kabar", ["jadwal verifikasi"]),
    (Intent.CLAIM_STATUS, "jht cair tapi kurang", ["rekening koran", "dihitung oleh BPJS"]),
    (Intent.PAYOUT_ACCOUNT, "rekening atas nama istri bisa?", ["tidak diterima", "surat kuasa"]),
    (Intent.PAYOUT_ACCOUNT, "bisa cair ke dana atau ovo?", ["e-wallet*", "Belum pasti"]),
    (Intent.MEMBERSHIP_STATUS, "sudah resign tapi status masih aktif", ["SIPP online"]),
    (Intent.MEMBERSHIP_STATUS, "perusahaan tutup status masih aktif", ["menyelesaikannya*"]),
    (Intent.BSU, "bsu cair kapan", ["Juni 2025", "hoaks", "BSU 2026**", "Katadata (13 Oct"]),
    (Intent.BSU, "syarat dapat bsu apa aja", ["Rp 3.500.000", "April 2025", "(BPU) tidak"]),
    (Intent.BSU, "cek penerima bsu", ["bsu.kemnaker.go.id", "tidak bisa melihat"]),
    (Intent.LOANS, "bisa pinjam buat kpr?", ["Rp 500 juta", "bukan saldo JHT", "1 tahun"]),
    (Intent.FRAUD_WARNING, "ada yg nawarin pencairan cepat bayar 500rb", ["gratis", "OTP"]),
    (Intent.HUMAN_AGENT, "mau ngomong sama cs", ["bukan petugas", "24 jam", "08.00–15.30"]),
    (Intent.JHT_CLAIM, "cairin jht tp ga ada paklaring", ["bukan syarat resmi", "PKWT"]),
]


@pytest.mark.parametrize(("intent", "text", "expected"), CASES)
async def test_each_intent_answers_the_case_in_the_users_words(
    app: App, catalogues: Catalogues, intent: Intent, text: str, expected: list[str]
) -> None:
    replies = await say_to(app, catalogues, intent, text)
    for part in expected:
        assert part in joined(replies), (part, joined(replies))
    assert_short_and_sourced(replies)


@pytest.mark.parametrize("intent", SERVICE_INTENTS)
@pytest.mark.parametrize("locale", SUPPORTED)
async def test_every_intent_answers_a_button_press_in_both_languages(
    app: App, intent: Intent, locale: str
) -> None:
    answer = await ask(app, intent, locale=locale)
    assert_short_and_sourced(answer.replies)
    assert FAQ in answer.text
    staff = "Tanya petugas" if locale == "id" else "Ask staff"
    assert intent is Intent.HUMAN_AGENT or staff in answer.titles


@pytest.mark.parametrize("intent", PERSONAL)
async def test_personal_cases_name_a_channel_offer_a_person_and_ask_for_nothing(
    app: App, catalogues: Catalogues, intent: Intent
) -> None:
    first = await ask(app, intent)
    options = [decode(p)[1].option for p in first.payloads if decode(p)[0] is intent]
    for option in [None, *options]:
        replies = await say_to(app, catalogues, intent, option=option)
        text = joined(replies)
        assert "175" in text or "kantor cabang" in text, (option, text)
        buttons = [b for reply in replies for b in reply.buttons]
        staff = [b for b in buttons if b.title == "Tanya petugas"]
        assert staff and decode(staff[0].payload)[0] is Intent.HUMAN_AGENT, option
        for sentence in re.split(r"(?<=[.?!\n])", text):
            assert not (ASKS.search(sentence) and not NEGATED.search(sentence)), sentence


async def test_human_agent_is_175_and_the_branch_with_hours_and_says_it_is_no_staff(
    app: App,
) -> None:
    chat = Chat(app)
    chat.last = (await ask(app, Intent.CLAIM_STATUS)).replies
    await chat.press("Tanya petugas")
    assert "bukan petugas BPJS" in chat.text and "tidak bisa membuka atau mengubah" in chat.text
    assert "call center 175 (24 jam; info dan pengaduan, bukan untuk klaim)" in chat.text
    assert "kantor cabang (Senin–Jumat 08.00–15.30)" in chat.text
    assert "care@bpjsketenagakerjaan.go.id" in chat.text


@pytest.mark.parametrize(
    "text",
    [
        "nik saya 3201234567890001 kenapa klaim blm cair",
        "kpj 12345678901 tolong cek",
        "ini otp saya 482913 bisa bantu",
        "lahir 12-03-1990, data beda",
    ],
)
async def test_personal_numbers_get_a_warning_first(
    app: App, catalogues: Catalogues, text: str
) -> None:
    replies = await say_to(app, catalogues, Intent.CLAIM_STATUS, text)
    assert len(replies) == 2
    assert "hapus pesan itu" in replies[0].text and "jangan bagikan" in replies[0].text
    assert "Sumber:" in replies[1].text


def test_ordinary_messages_are_not_taken_for_personal_data() -> None:
    for text in ("udah 7 hari blm cair", "bsu 2025 kapan", "bayar 500rb", "gaji 4,5jt", ""):
        assert not shares_private_data(text), text


async def test_partial_jht_is_never_sent_to_jmo(app: App) -> None:
    answer = await ask(app, Intent.JHT_CLAIM, Slots(option="partial", money=5_000_000))
    assert "Klaim sebagian tidak bisa lewat JMO" in answer.text
    assert "bisa diajukan sendiri lewat aplikasi JMO" not in answer.text


async def test_paklaring_case_has_its_button_and_marks_the_uncertain_parts(app: App) -> None:
    first = await ask(app, Intent.JHT_CLAIM)
    answer = await ask(app, *decode(first.payloads[first.titles.index("Tanpa paklaring")]))
    assert "Paklaring bukan syarat resmi" in answer.text
    assert "memutuskan*" in answer.text and "juga bisa**" in answer.text
    assert "Blog dan panduan (2022-2025)" in answer.text


async def test_contact_names_175_hours_and_no_claims_and_no_online_queue(app: App) -> None:
    answer = await ask(app, Intent.CONTACT)
    assert "175 (24 jam; info dan pengaduan, bukan untuk klaim)" in answer.text
    assert "antrian" not in answer.text and "Lapak Asik" in answer.text


async def test_without_facts_no_service_answer_states_a_figure(app: App) -> None:
    await assert_no_figures_without_facts(app, SERVICE_INTENTS)


def _seed() -> dict[str, list[object]]:
    facts: dict[str, list[object]] = {}
    for fact in parse_facts(read_seed_file(FACTS_FILE)):
        facts.setdefault(fact.key, []).append(fact)
    return facts


def test_every_fact_the_new_answers_need_is_shipped_with_a_dated_source() -> None:
    needed = set(CHANNEL_KEYS)
    for module in (account_help, claim_help, service_help):
        for name, value in vars(module).items():
            if name.endswith("_KEYS"):
                groups = value.values() if isinstance(value, dict) else [value]
                needed |= {key for group in groups for key in group}
    by_key = {fact.key: fact for fact in parse_facts(read_seed_file(FACTS_FILE))}
    assert needed - set(by_key) == set()
    for key in needed:
        fact = by_key[key]
        assert fact.source and fact.refs, key
        if "FAQ#" in fact.refs or re.search(r"\bN\d", fact.refs):  # the services reference
            assert re.search(r"\d{4}|tanpa tanggal", fact.source), (key, fact)


def test_no_figure_is_typed_into_a_template(catalogues: Catalogues) -> None:
    """Digits in the new sentences would be figures that bypass the store: none allowed."""
    touched = {"claims.jht.docs.paklaring", "claims.jht.channel_partial", "claims.jht.channel"}
    for locale in SUPPORTED:
        with Path(LOCALES_DIR / locale / "LC_MESSAGES" / "service.po").open("rb") as handle:
            keys = {m.id for m in read_po(handle, locale=locale) if isinstance(m.id, str) and m.id}
        for key in sorted(keys | touched):
            template = catalogues.template(locale, key) or ""
            bare = template
            for name in placeholders(template):
                bare = bare.replace("{" + name + "}", "")
            assert not re.search(r"\d", bare), (locale, key, template)


def test_facts_check_flags_the_bsu_and_mlt_figures_as_they_age() -> None:
    facts = parse_facts(read_seed_file(FACTS_FILE))
    old = {
        issue.fact.key
        for issue in check_facts(facts, today=TODAY, max_age_days=365)
        if issue.problem is FactProblem.OLD
    }
    assert {"bsu.monthly_amount", "bsu.wage_cap", "bsu.payment"} <= old
    assert {"mlt.kpr_max", "mlt.rate_margin"} <= old
    fresh = check_facts(facts, today=date(2025, 9, 1), max_age_days=365)
    assert not {i.fact.key for i in fresh} & {"bsu.monthly_amount", "mlt.kpr_max"}


def test_section_17_corrections_keep_history() -> None:
    facts = parse_facts(read_seed_file(FACTS_FILE))

    def on(key: str, day: date) -> object:
        return next(f for f in reversed(facts) if f.key == key and f.in_force(day))

    limit = on("jmo.jht_limit", TODAY)
    assert getattr(limit, "status", None) == "vetted" and getattr(limit, "value", 0) == 15000000
    assert getattr(on("channel.antrian_online", TODAY), "status", None) == "uncertain"
    assert getattr(on("channel.antrian_online", date(2020, 1, 1)), "status", None) == "vetted"
    assert getattr(on("contact.call_centre.hours_per_day", TODAY), "value", 0) == 24
    assert getattr(on("contact.call_centre.hours_per_day", date(2022, 1, 1)), "value", 0) == 16
    assert str(getattr(on("jkp.rate.total", TODAY), "value", "")) == "0.36"
    assert getattr(on("jkp.claim_deadline_months", TODAY), "value", 0) == 6


# Through the real understanding: the intent it reads, and the answer that intent gives.
UNDERSTOOD = [(intent, text) for intent, text, _ in CASES if intent is not Intent.JHT_CLAIM]


@pytest.mark.skipif(
    Intent.BSU.value not in load_intent_data(),
    reason="the service intents' training examples are not merged yet",
)
@pytest.mark.parametrize(("intent", "text"), UNDERSTOOD)
async def test_typed_questions_reach_their_intent(app: App, intent: Intent, text: str) -> None:
    chat = ChatRef(channel="console", user_id="typist", chat_id="typist")
    outcome = await app.dispatcher.process(Incoming(chat=chat, text=text))
    assert outcome.understanding is not None
    assert outcome.understanding.intent is intent, (text, outcome.understanding)
