"""WhatsApp channel end to end: signed webhooks into the real ASGI app, replies out through
pywa over real HTTP to a fake Graph API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import App
from bot.channels.whatsapp.channel import WhatsAppChannel, create
from bot.channels.whatsapp.webhook import message_to_json, parse_webhook, sign
from bot.config import Settings
from bot.core.delivery import DeliveryFailed, FailureKind
from bot.core.i18n import Catalogues
from bot.domain.messages import Button, ChatRef, Image, Reply
from bot.domain.understanding import PlaceFinder
from bot.store import Store
from bot.store.whatsapp import inbound_key
from bot.web import create_web_app
from tests.conftest import copy_seeded
from tests.fakes.graph_api import FakeGraphApi, running_graph_api

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "whatsapp"
SECRET = "app-secret-for-tests"
VERIFY = "verify-me-please"
TOKEN = "EAAG-test-token"
WA_ID = "6281234567890"
BSUID = "ID.1823648812734651123"
ID = Catalogues.load().translator("id")


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def value_of(payload: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = payload["entry"][0]["changes"][0]["value"]
    return value


def text_message(body: str, wamid: str) -> dict[str, Any]:
    payload = copy.deepcopy(fixture("text"))
    message = value_of(payload)["messages"][0]
    message["text"]["body"] = body
    message["id"] = wamid
    return payload


def status(name: str, wamid: str) -> dict[str, Any]:
    payload = copy.deepcopy(fixture(name))
    value_of(payload)["statuses"][0]["id"] = wamid
    return payload


@dataclass
class Env:
    app: App
    channel: WhatsAppChannel
    fake: FakeGraphApi
    client: httpx.AsyncClient

    async def post(
        self, payload: dict[str, Any] | bytes, *, secret: str | None = SECRET
    ) -> httpx.Response:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Hub-Signature-256"] = sign(body, secret)
        return await self.client.post("/whatsapp", content=body, headers=headers)

    async def exchange(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """POST a webhook, wait until it is processed; the messages sent in answer."""
        before = len(self.fake.messages)
        response = await self.post(payload)
        assert response.status_code == 200
        await self.channel.drain()
        return self.fake.messages[before:]

    async def user_id(self, external_id: str = WA_ID) -> int:
        user = await self.app.store.people.find("whatsapp", external_id)
        assert user is not None
        return user.id


def wa_settings(tmp_path: Path, fake: FakeGraphApi, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "whatsapp_token": TOKEN,
        "whatsapp_phone_id": fake.phone_id,
        "whatsapp_app_secret": SECRET,
        "whatsapp_verify_token": VERIFY,
        "whatsapp_api_url": fake.url,
        "whatsapp_api_version": fake.api_version,
        "whatsapp_backoff_seconds": 0.001,
        "whatsapp_messages_per_second": 1000.0,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running(
    settings: Settings, fake: FakeGraphApi, finder: PlaceFinder, template: Path
) -> AsyncIterator[Env]:
    """The bot as `jamsosbot serve` builds it, on a copy of the seeded database."""
    if not settings.database_path.exists():
        copy_seeded(template, settings.database_path)
    app = await App.create(settings, place_finder=finder)
    try:
        channel = create(app.settings, app.store, app.dispatcher)
        web = create_web_app(app, [channel])
        async with (
            web.router.lifespan_context(web),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=web), base_url="http://bot.test"
            ) as client,
        ):
            yield Env(app=app, channel=channel, fake=fake, client=client)
    finally:
        await app.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraphApi]:
    async with running_graph_api() as graph:
        yield graph


Starter = Callable[..., AbstractAsyncContextManager[Env]]


@pytest.fixture
def start(
    tmp_path: Path, fake: FakeGraphApi, seeded_database: Path, place_finder: PlaceFinder
) -> Starter:
    """`async with start(**setting_overrides) as env:` runs the bot; again = a restart."""

    def starter(**overrides: Any) -> AbstractAsyncContextManager[Env]:
        settings = wa_settings(tmp_path, fake, **overrides)
        return running(settings, fake, place_finder, seeded_database)

    return starter


@pytest.fixture
async def env(start: Starter) -> AsyncIterator[Env]:
    async with start() as started:
        yield started


def list_titles(message: dict[str, Any]) -> list[str]:
    sections = message["interactive"]["action"]["sections"]
    return [row["title"] for section in sections for row in section["rows"]]


# --- inbound messages ---------------------------------------------------------------------


async def test_text_question_gets_an_answer_over_the_graph_api(env: Env) -> None:
    sent = await env.exchange(fixture("text"))

    assert len(sent) == 1
    message = sent[0]
    assert message["to"] == WA_ID  # the phone when known
    assert message["type"] == "interactive"
    assert message["interactive"]["type"] == "list"  # ten menu topics: a list message
    assert message["interactive"]["body"]["text"] == ID("conversation.welcome")
    assert ID("button.subscribe") in list_titles(message)
    assert message["interactive"]["action"]["button"] == ID("whatsapp.list_button")
    request = next(r for r in env.fake.requests if r.path.endswith("/messages"))
    assert request.path == f"/v{env.fake.api_version}/{env.fake.phone_id}/messages"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    stored = await env.app.store.whatsapp.outgoing("wamid.OUT1")
    assert stored is not None and stored.kind == "reply" and stored.status == "accepted"
    contact = await env.app.store.whatsapp.contact_of(WA_ID)
    assert contact is not None and (contact.wa_id, contact.bsuid) == (WA_ID, BSUID)


async def test_button_reply_is_routed_by_its_payload(env: Env) -> None:
    sent = await env.exchange(fixture("button_reply"))  # id "help"

    assert [m["interactive"]["body"]["text"] for m in sent] == [ID("conversation.menu")]


async def test_list_reply_is_routed_by_its_payload(env: Env) -> None:
    sent = await env.exchange(fixture("list_reply"))  # id "subscribe"

    assert await env.app.store.people.subscriptions(await env.user_id()) == [None]
    assert len(sent) == 1
    interactive = sent[0]["interactive"]
    assert interactive["type"] == "button"
    assert interactive["body"]["text"] == ID("subscriptions.subscribed")
    titles = [b["reply"]["title"] for b in interactive["action"]["buttons"]]
    assert titles == [ID("button.unsubscribe"), ID("button.help")]
    assert all(len(title) <= 20 for title in titles)


async def test_an_image_gets_a_polite_please_type(env: Env) -> None:
    sent = await env.exchange(fixture("image"))

    assert [m["interactive"]["body"]["text"] for m in sent] == [ID("input.unsupported")]
    assert not any("/files/" in r.path for r in env.fake.requests)  # nothing downloaded


async def test_a_user_known_only_by_business_scoped_id_is_answered_by_it(env: Env) -> None:
    sent = await env.exchange(fixture("username_only"))

    assert len(sent) == 1
    assert sent[0]["recipient"] == "ID.5520019374628810042"
    assert "to" not in sent[0]


async def test_stop_and_berhenti_unsubscribe_at_once(env: Env) -> None:
    await env.exchange(text_message("langganan", "wamid.SUB1"))
    user_id = await env.user_id()
    assert await env.app.store.people.subscriptions(user_id) == [None]  # all announcements

    sent = await env.exchange(text_message("STOP", "wamid.STOP1"))
    assert await env.app.store.people.subscriptions(user_id) == []
    assert sent[0]["interactive"]["body"]["text"] == ID("subscriptions.unsubscribed")

    await env.exchange(text_message("langganan", "wamid.SUB2"))
    await env.exchange(text_message("berhenti", "wamid.STOP2"))
    assert await env.app.store.people.subscriptions(user_id) == []


async def test_first_message_opts_in_to_replies_only(env: Env) -> None:
    await env.exchange(fixture("text"))

    user = await env.app.store.people.find("whatsapp", WA_ID)
    assert user is not None and user.active
    assert await env.app.store.people.subscriptions(user.id) == []


async def test_a_document_from_staff_is_downloaded_and_passed_on(
    start: Starter, fake: FakeGraphApi, tmp_path: Path
) -> None:
    media_id = value_of(fixture("document"))["messages"][0]["document"]["id"]
    fake.add_media(media_id, b"PK\x03\x04 spreadsheet", "application/vnd.ms-excel")
    async with start(admins=f"whatsapp:{WA_ID}") as env:
        await env.exchange(fixture("text"))  # the admin has written before
        await env.exchange(fixture("document"))

        assert any(r.path == f"/v{fake.api_version}/{media_id}" for r in fake.requests)
        download = next(r for r in fake.requests if r.path == f"/files/{media_id}")
        assert download.headers["authorization"] == f"Bearer {TOKEN}"
        leftovers = list((tmp_path / "data" / "incoming").rglob("*"))
        assert [p for p in leftovers if p.is_file()] == []  # the temporary copy is gone


async def test_a_document_from_a_worker_is_not_downloaded(env: Env) -> None:
    sent = await env.exchange(fixture("document"))

    assert [m["interactive"]["body"]["text"] for m in sent] == [ID("input.unsupported")]
    assert not any(r.method == "GET" for r in env.fake.requests)


def button_reply(payload: str, wamid: str) -> dict[str, Any]:
    message = copy.deepcopy(fixture("button_reply"))
    value = value_of(message)["messages"][0]
    value["interactive"]["button_reply"]["id"] = payload
    value["id"] = wamid
    return message


async def test_after_hapusdata_the_next_message_stores_the_contact_again(env: Env) -> None:
    await env.exchange(text_message("halo", "wamid.H1"))
    assert await env.app.store.whatsapp.contact_of(WA_ID) is not None

    [ask] = await env.exchange(text_message("/hapusdata", "wamid.H2"))
    confirm = ask["interactive"]["action"]["buttons"][0]["reply"]
    assert confirm["title"] == ID("privacy.button.confirm")
    [done] = await env.exchange(button_reply(confirm["id"], "wamid.H3"))
    assert done["interactive"]["body"]["text"] == ID("privacy.deleted")
    assert await env.app.store.people.find("whatsapp", WA_ID) is None
    assert await env.app.store.whatsapp.contact_of(WA_ID) is None
    # Nothing in the channel's memory still names the number.
    assert not env.channel._contacts.remembers(WA_ID)

    [again] = await env.exchange(text_message("halo", "wamid.H4"))
    assert again["to"] == WA_ID
    contact = await env.app.store.whatsapp.contact_of(WA_ID)
    assert contact is not None and (contact.wa_id, contact.bsuid) == (WA_ID, BSUID)


# --- idempotency --------------------------------------------------------------------------


async def test_a_duplicate_delivery_is_answered_once_also_after_a_restart(
    start: Starter, fake: FakeGraphApi
) -> None:
    async with start() as env:
        assert len(await env.exchange(fixture("text"))) == 1
        assert await env.exchange(fixture("text")) == []
    async with start() as env:  # a new process on the same database
        assert await env.exchange(fixture("text")) == []
        wamid = value_of(fixture("text"))["messages"][0]["id"]
        assert await env.app.store.whatsapp.is_handled(wamid)
    assert len(fake.messages) == 1


async def test_a_message_accepted_before_a_crash_is_answered_at_the_next_start(
    start: Starter, fake: FakeGraphApi, seeded_database: Path, tmp_path: Path
) -> None:
    [message] = parse_webhook(json.dumps(fixture("text")).encode(), fake.phone_id).messages
    crashed_settings = wa_settings(tmp_path, fake)
    copy_seeded(seeded_database, crashed_settings.database_path)
    crashed = await Store.open(crashed_settings.database_target, seed=False)  # then died
    await crashed.whatsapp.claim_inbound(
        [message.wamid], {message.wamid: message_to_json(message)}
    )
    await crashed.close()

    async with start() as env:
        await env.channel.drain()
        assert [m["interactive"]["body"]["text"] for m in fake.messages] == [
            ID("conversation.welcome")
        ]
        assert await env.exchange(fixture("text")) == []  # Meta's retry: already answered
        assert await env.app.store.whatsapp.unhandled(datetime.now(UTC) - timedelta(days=1)) == []


async def test_a_send_only_start_answers_nothing_left_over_and_still_sends(
    fake: FakeGraphApi, seeded_database: Path, tmp_path: Path, place_finder: PlaceFinder
) -> None:
    """`broadcast send` starts the channel with receive=False: the running server, not the
    sender, answers messages left over from a crash."""
    [message] = parse_webhook(json.dumps(fixture("text")).encode(), fake.phone_id).messages
    settings = wa_settings(tmp_path, fake)
    copy_seeded(seeded_database, settings.database_path)
    app = await App.create(settings, place_finder=place_finder)
    try:
        await app.store.whatsapp.claim_inbound(
            [message.wamid], {message.wamid: message_to_json(message)}
        )
        channel = create(app.settings, app.store, app.dispatcher)
        await channel.start(receive=False)
        chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)
        await channel.deliver(chat, [Reply(text="Pengumuman")])
        await channel.stop()
        left = await app.store.whatsapp.unhandled(datetime.now(UTC) - timedelta(hours=1))
    finally:
        await app.close()
    assert [m["text"]["body"] for m in fake.messages] == ["Pengumuman"]
    assert [key for key, _ in left] == [inbound_key(message.wamid)]  # there for the server


# --- statuses -----------------------------------------------------------------------------


async def test_status_updates_are_recorded_against_the_outgoing_message(env: Env) -> None:
    await env.exchange(fixture("text"))
    assert await env.exchange(fixture("status_read")) == []
    assert await env.exchange(fixture("status_delivered")) == []  # late: never goes back

    stored = await env.app.store.whatsapp.outgoing("wamid.OUT1")
    assert stored is not None and stored.status == "read"


async def test_a_failed_status_marks_an_unreachable_user_inactive(env: Env) -> None:
    await env.exchange(fixture("text"))
    await env.exchange(fixture("status_failed"))

    stored = await env.app.store.whatsapp.outgoing("wamid.OUT1")
    assert stored is not None
    assert (stored.status, stored.error_code) == ("failed", 131026)
    user = await env.app.store.people.find("whatsapp", WA_ID)
    assert user is not None and not user.active


# --- webhook security and shape -----------------------------------------------------------


async def test_a_wrong_signature_is_rejected(env: Env) -> None:
    response = await env.post(fixture("text"), secret="not-the-secret")

    assert response.status_code == 403
    await env.channel.drain()
    assert env.fake.requests == []
    wamid = value_of(fixture("text"))["messages"][0]["id"]
    assert await env.app.store.whatsapp.claim_inbound([wamid]) == {wamid}  # never taken


async def test_a_missing_signature_is_rejected(env: Env) -> None:
    response = await env.post(fixture("text"), secret=None)

    assert response.status_code == 401
    await env.channel.drain()
    assert env.fake.requests == []


async def test_without_an_app_secret_every_post_is_refused(
    start: Starter, fake: FakeGraphApi
) -> None:
    async with start(whatsapp_app_secret=None) as env:
        signed_with_empty = await env.post(fixture("text"), secret="")
        signed_with_other = await env.post(fixture("text"), secret=SECRET)
        await env.channel.drain()

    assert signed_with_empty.status_code == 403
    assert signed_with_other.status_code == 403
    assert fake.requests == []


async def test_verification_echoes_the_challenge_only_for_the_right_token(env: Env) -> None:
    right = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    wrong_token = {**right, "hub.verify_token": "wrong"}
    wrong_mode = {**right, "hub.mode": "unsubscribe"}
    no_token = {"hub.challenge": "1158201444"}

    accepted = await env.client.get("/whatsapp", params=right)
    assert (accepted.status_code, accepted.text) == (200, "1158201444")
    for query in (wrong_token, wrong_mode, no_token):
        refused = await env.client.get("/whatsapp", params=query)
        assert refused.status_code == 403, query
        assert "1158201444" not in refused.text


async def test_verification_fails_when_no_verify_token_is_configured(start: Starter) -> None:
    async with start(whatsapp_verify_token=None) as env:
        query = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "5"}
        response = await env.client.get("/whatsapp", params=query)
    assert response.status_code == 403


async def test_a_malformed_body_gets_400(env: Env) -> None:
    for body in (
        b"{not json",
        b"[]",
        b'{"object": "whatsapp_business_account"}',
        b'{"entry": [{"changes": 3}]}',
    ):
        response = await env.post(body)
        assert response.status_code == 400, body

    await env.channel.drain()
    assert env.fake.requests == []


async def test_an_oversized_body_is_refused_before_anything_else(env: Env) -> None:
    response = await env.post(b'{"entry": []}' + b" " * (1024 * 1024))

    assert response.status_code == 413


# --- sending ------------------------------------------------------------------------------


async def test_a_reply_not_delivered_is_logged_with_its_cause_and_code(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    env.fake.fail_next(100)  # invalid parameter: not retried

    with caplog.at_level(logging.WARNING, logger="bot.channels.whatsapp"):
        assert await env.exchange(fixture("text")) == []

    assert "reply not delivered: invalid (code 100: Invalid parameter)" in caplog.messages
    assert WA_ID not in caplog.text


async def test_rate_limit_130429_backs_off_and_succeeds_later(env: Env) -> None:
    env.fake.fail_next(130429, times=2)

    sent = await env.exchange(fixture("text"))

    assert len(sent) == 1
    assert len(env.fake.attempts) == 3  # two refused, then accepted
    assert env.fake.attempts[0] == env.fake.attempts[2]


async def test_pair_rate_limit_131056_backs_off_and_succeeds_later(env: Env) -> None:
    env.fake.fail_next(131056, times=1)

    sent = await env.exchange(fixture("text"))

    assert len(sent) == 1
    assert len(env.fake.attempts) == 2


async def test_rate_limit_that_never_ends_reports_rate_limited(
    start: Starter, fake: FakeGraphApi
) -> None:
    async with start(whatsapp_max_attempts=3) as env:
        await env.exchange(fixture("text"))
        fake.fail_next(130429, times=3)
        chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)
        with pytest.raises(DeliveryFailed) as failed:
            await env.channel.deliver(chat, [Reply(text="Info")], bulk=True)
    assert failed.value.kind is FailureKind.RATE_LIMITED
    assert failed.value.retry_after is not None


@asynccontextmanager
async def dropping_server() -> AsyncIterator[tuple[str, list[bytes]]]:
    """A server on 127.0.0.1 that reads each request and closes without answering: the
    request reached the other side, so it may have been sent."""
    received: list[bytes] = []

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.readuntil(b"\r\n\r\n"))
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(drop, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}", received


async def test_a_lost_answer_is_not_sent_again_because_meta_may_have_it(
    start: Starter,
) -> None:
    async with (
        dropping_server() as (url, received),
        start(whatsapp_api_url=url, whatsapp_max_attempts=4) as env,
    ):
        chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)
        with pytest.raises(DeliveryFailed) as failed:
            await env.channel.deliver(chat, [Reply(text="Info")])
    assert failed.value.kind is FailureKind.TRANSIENT
    assert "possibly sent" in failed.value.detail
    assert failed.value.possibly_sent  # the outbox counts a retry as a possible duplicate
    assert len(received) == 1  # one POST, no retry that could duplicate the message


async def test_a_refused_connection_is_retried_then_reported_transient(
    start: Starter,
) -> None:
    with socket.socket() as unused:  # a port nobody listens on: the request never leaves
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}"
    async with start(whatsapp_api_url=url, whatsapp_max_attempts=3) as env:
        chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)
        with pytest.raises(DeliveryFailed) as failed:
            await env.channel.deliver(chat, [Reply(text="Info")])
    assert failed.value.kind is FailureKind.TRANSIENT
    assert failed.value.detail == "ConnectError"
    assert not failed.value.possibly_sent
    assert failed.value.retry_after == pytest.approx(0.001 * 2**2)  # the third attempt's wait


async def test_an_unreachable_user_is_marked_inactive_and_reported_blocked(env: Env) -> None:
    await env.exchange(fixture("text"))
    env.fake.fail_next(131026)
    chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)

    with pytest.raises(DeliveryFailed) as failed:
        await env.channel.deliver(chat, [Reply(text="Pengumuman")], bulk=True)

    assert failed.value.kind is FailureKind.BLOCKED
    assert failed.value.detail == "code 131026: Message undeliverable"
    user = await env.app.store.people.find("whatsapp", WA_ID)
    assert user is not None and not user.active


async def test_bulk_needs_an_open_window_and_is_recorded_as_bulk(env: Env) -> None:
    stranger = ChatRef(channel="whatsapp", user_id="6289999999999", chat_id="6289999999999")
    with pytest.raises(DeliveryFailed) as failed:
        await env.channel.deliver(stranger, [Reply(text="Pengumuman")], bulk=True)
    assert failed.value.kind is FailureKind.OUTSIDE_WINDOW

    await env.exchange(fixture("text"))
    chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id="ignored")
    wamid = await env.channel.deliver(chat, [Reply(text="Pengumuman")], bulk=True)

    assert env.fake.messages[-1]["to"] == WA_ID  # resolved from the stored contact
    assert env.fake.messages[-1]["text"]["body"] == "Pengumuman"
    stored = await env.app.store.whatsapp.outgoing(wamid)
    assert stored is not None and stored.kind == "bulk"


async def test_send_template_for_users_outside_the_window(env: Env) -> None:
    await env.exchange(fixture("text"))
    chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)

    wamid = await env.channel.send_template(
        chat, "pengumuman_umum", "id", ["Kab. Sleman", "1 Des"]
    )

    message = env.fake.messages[-1]
    assert message["type"] == "template"
    assert message["template"]["name"] == "pengumuman_umum"
    assert message["template"]["language"] == {"code": "id"}
    parameters = message["template"]["components"][0]["parameters"]
    assert [p["text"] for p in parameters] == ["Kab. Sleman", "1 Des"]
    stored = await env.app.store.whatsapp.outgoing(wamid)
    assert stored is not None and stored.kind == "template"


async def test_a_long_menu_is_numbered_and_a_number_picks_the_choice(env: Env) -> None:
    await env.exchange(fixture("text"))
    chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)
    intents = ["greeting"] * 11 + ["help"]
    buttons = tuple(Button(title=f"Pilihan {i}", payload=p) for i, p in enumerate(intents, 1))
    await env.channel.deliver(chat, [Reply(text="Pilih satu:", buttons=buttons)])

    menu = env.fake.messages[-1]["text"]["body"]
    assert "1. Pilihan 1" in menu and "12. Pilihan 12" in menu
    assert ID("whatsapp.menu_hint") in menu

    sent = await env.exchange(text_message("12", "wamid.PICK12"))
    assert [m["interactive"]["body"]["text"] for m in sent] == [ID("conversation.menu")]


async def test_a_chart_image_is_uploaded_then_sent_by_media_id(env: Env, tmp_path: Path) -> None:
    await env.exchange(fixture("text"))
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n fake chart")
    chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)

    await env.channel.deliver(chat, [Reply(text="Cakupan", image=Image(path=png, caption="2026"))])

    upload = next(r for r in env.fake.requests if r.path.endswith("/media"))
    assert upload.file == png.read_bytes()
    assert upload.form["messaging_product"] == "whatsapp"
    image, text = env.fake.messages[-2:]
    assert image["type"] == "image" and image["image"]["caption"] == "2026"
    assert image["image"]["id"] in env.fake.media
    assert text["text"]["body"] == "Cakupan"


async def test_a_long_text_is_split_within_4096_characters(env: Env) -> None:
    await env.exchange(fixture("text"))
    chat = ChatRef(channel="whatsapp", user_id=WA_ID, chat_id=WA_ID)
    words = " ".join(f"kata{i}" for i in range(2000))

    await env.channel.deliver(chat, [Reply(text=words)])

    bodies = [m["text"]["body"] for m in env.fake.messages[1:]]
    assert len(bodies) > 1
    assert all(len(body) <= 4096 for body in bodies)
    assert " ".join(bodies) == words
