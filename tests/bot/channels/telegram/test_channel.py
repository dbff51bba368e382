"""Telegram channel end to end: python-telegram-bot for real, over HTTP, against a fake Bot API.

Polling mode for the conversation features; webhook mode through the project's ASGI app
(`bot.web.create_web_app` served by uvicorn) for the webhook checks and duplicates.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.app import App, build_channels, build_understander
from bot.channels.telegram.channel import (
    MAX_UPDATE_BYTES,
    SECRET_HEADER,
    TelegramChannel,
    TelegramConfigError,
    create,
)
from bot.channels.telegram.flood import FloodControl
from bot.channels.telegram.pacing import PaceLimits
from bot.channels.telegram.render import MAX_CALLBACK_BYTES, MAX_TEXT, utf16_len
from bot.config import Settings
from bot.core.delivery import DeliveryFailed, FailureKind
from bot.core.i18n import Catalogues
from bot.core.routing import Router
from bot.domain.messages import Attachment, ChatRef, Incoming, Reply
from bot.domain.roles import Role
from bot.domain.understanding import Understander
from bot.store import Store
from bot.web import create_web_app
from tests.bot.channels.telegram.support import (
    EVERYONE,
    LONG_PAYLOAD,
    LONG_TEXT,
    ChannelTestRouter,
    app_with,
    tiny_png,
)
from tests.fakes.telegram_api import (
    BOT_USERNAME,
    TOKEN,
    FakeTelegramAPI,
    callback_update,
    message_update,
    running_fake,
    serve_asgi,
)

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
FAST = PaceLimits(overall_rate=1000, overall_burst=100, chat_rate=1000, chat_burst=100)
SECRET = "s3cret_Token-for-tests"


@pytest.fixture
def test_router(tmp_path: Path) -> ChannelTestRouter:
    router = ChannelTestRouter(tmp_path)
    router.chart_path.write_bytes(tiny_png())
    return router


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, seeded database for the session: each test starts from a copy (fast)."""
    path = tmp_path_factory.mktemp("telegram-seed") / "jamsosbot.sqlite3"

    async def build() -> None:
        await (await Store.open(path)).close()

    asyncio.run(build())
    return path


@pytest.fixture
def tg_settings(settings: Settings, seeded_database: Path) -> Settings:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(seeded_database, settings.database_path)
    return settings.model_copy(update={"admins": ("telegram:77",)})


@pytest.fixture(scope="session")
def core_parts() -> tuple[Understander, Catalogues]:
    return build_understander(), Catalogues.load()


@pytest.fixture
async def tg_app(
    tg_settings: Settings,
    test_router: ChannelTestRouter,
    core_parts: tuple[Understander, Catalogues],
) -> AsyncIterator[App]:
    understander, catalogues = core_parts
    created = await app_with(
        tg_settings, test_router.router, understander=understander, catalogues=catalogues
    )
    yield created
    await created.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramAPI]:
    async with running_fake() as started:
        yield started


def polling_channel(app: App, fake: FakeTelegramAPI, **options: Any) -> TelegramChannel:
    options.setdefault("limits", FAST)
    return TelegramChannel(
        app.store,
        app.dispatcher,
        data_dir=app.settings.data_dir,
        token=TOKEN,
        api_url=fake.url,
        poll_timeout=1,
        **options,
    )


@pytest.fixture
async def polling(tg_app: App, fake: FakeTelegramAPI) -> AsyncIterator[TelegramChannel]:
    channel = polling_channel(tg_app, fake)
    await channel.start()
    yield channel
    await channel.stop()


def telegram_chat(user_id: int) -> ChatRef:
    return ChatRef(channel="telegram", user_id=str(user_id), chat_id=str(user_id))


async def core_answer(app: App, **fields: Any) -> list[Reply]:
    """What the dispatcher itself answers a fresh user: the reference for the adapter."""
    return await app.dispatcher.handle(Incoming(chat=telegram_chat(9999), **fields))


def keyboard(call_params: dict[str, Any]) -> list[dict[str, Any]]:
    markup = call_params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


async def kept_updates(app: App) -> list[int]:
    """Ids of updates accepted but not answered yet (what a restart would answer)."""
    since = datetime.now(UTC) - timedelta(hours=1)
    return [update_id for update_id, _ in await app.store.telegram.unanswered(since)]


def webhook_channel(app: App, fake: FakeTelegramAPI) -> TelegramChannel:
    return TelegramChannel(
        app.store,
        app.dispatcher,
        data_dir=app.settings.data_dir,
        token=TOKEN,
        api_url=fake.url,
        webhook_url="https://bot.example.go.id/telegram",
        webhook_secret=SECRET,
        limits=FAST,
    )


@contextlib.asynccontextmanager
async def webhook_client(app: App, channel: TelegramChannel) -> AsyncIterator[httpx.AsyncClient]:
    """The project's ASGI app for this channel, without lifespan: the test starts and stops."""
    async with (
        serve_asgi(create_web_app(app, [channel])) as url,
        httpx.AsyncClient(
            base_url=url, trust_env=False, headers={SECRET_HEADER: SECRET}
        ) as client,
    ):
        yield client


class CrashOnce:
    """A command whose first answer is cut off (the process dies there); later ones come.

    The first call waits for `crash`, then is cancelled as by a hard stop; nothing is sent.
    """

    def __init__(self) -> None:
        self.router = Router("telegram_crash_test")
        self.crash = asyncio.Event()
        self.calls = 0

        @self.router.command("sekali", roles=EVERYONE)
        async def once(msg: Incoming, ctx: object, args: str) -> list[Reply]:
            self.calls += 1
            if self.calls == 1:
                await self.crash.wait()
                raise asyncio.CancelledError
            return [Reply(text="Jawaban")]


@pytest.fixture
async def crash_app(
    tg_settings: Settings, core_parts: tuple[Understander, Catalogues]
) -> AsyncIterator[tuple[App, CrashOnce]]:
    understander, catalogues = core_parts
    crash = CrashOnce()
    created = await app_with(
        tg_settings, crash.router, understander=understander, catalogues=catalogues
    )
    yield created, crash
    crash.crash.set()
    await created.close()


async def eventually(check: Any) -> None:
    """Poll a store condition the channel reaches shortly after an HTTP call (max 5 s)."""
    async with asyncio.timeout(5):
        while not await check():  # noqa: ASYNC110 (a database state, not an event)
            await asyncio.sleep(0.02)


# -- polling: the conversation ------------------------------------------------------------


async def test_start_registers_commands_and_answers_start_with_menu_buttons(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    menus = fake.calls_of("setMyCommands")
    assert [call.params.get("language_code") for call in menus] == [None, "en"]
    for call in menus:
        names = [command["command"] for command in call.params["commands"]]
        assert names == [
            "start",
            "menu",
            "bahasa",
            "langganan",
            "berhenti",
            "desa",
            "bantuan",
            "datasaya",
            "hapusdata",
        ]
        assert all(command["description"] for command in call.params["commands"])
    english = {c["command"]: c["description"] for c in menus[1].params["commands"]}
    indonesian = {c["command"]: c["description"] for c in menus[0].params["commands"]}
    assert english["bahasa"] != indonesian["bahasa"]

    fake.push_update(message_update(42, "/start"))
    [sent] = await fake.wait_for("sendMessage")
    expected = (await core_answer(tg_app, text="/start"))[0]
    assert sent.params["chat_id"] == 42
    assert sent.params["text"] == expected.text
    buttons = keyboard(sent.params)
    assert [b["text"] for b in buttons] == [b.title for b in expected.buttons]
    assert all(len(b["callback_data"].encode()) <= MAX_CALLBACK_BYTES for b in buttons)


async def test_a_question_gets_the_cores_answer(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    question = "berapa iuran bpu untuk petani?"
    fake.push_update(message_update(43, question))
    sent = await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 43)
    expected = await core_answer(tg_app, text=question)
    assert [c.params["text"] for c in sent] == [r.text for r in expected]
    user = await tg_app.store.people.find("telegram", "43")
    assert user is not None and user.locale in (None, "id")


async def test_a_button_press_is_answered_and_acknowledged(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    fake.push_update(message_update(44, "/start"))
    [menu] = await fake.wait_for("sendMessage")
    pressed = keyboard(menu.params)[1]
    update = callback_update(44, pressed["callback_data"])
    fake.push_update(update)
    [answered] = await fake.wait_for("answerCallbackQuery")
    assert answered.params["callback_query_id"] == update["callback_query"]["id"]
    replies = await fake.wait_for("sendMessage", 2)
    expected = await core_answer(tg_app, payload=pressed["callback_data"])
    assert replies[1].params["text"] == expected[0].text
    assert replies[1].params["text"] != menu.params["text"]


async def test_a_long_button_payload_travels_as_a_stored_key(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    assert len(LONG_PAYLOAD.encode()) > MAX_CALLBACK_BYTES
    fake.push_update(message_update(45, "/tombolpanjang"))
    [sent] = await fake.wait_for("sendMessage")
    [button] = keyboard(sent.params)
    data = button["callback_data"]
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert await tg_app.store.telegram.callback_payload(data[1:]) == LONG_PAYLOAD

    fake.push_update(callback_update(45, data))
    replies = await fake.wait_for("sendMessage", 2)
    expected = await core_answer(tg_app, payload=LONG_PAYLOAD)
    assert replies[1].params["text"] == expected[0].text


async def test_a_chart_goes_out_as_a_photo_upload(
    fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    fake.push_update(message_update(46, "/grafik"))
    [photo] = await fake.wait_for("sendPhoto")
    assert photo.content_type.startswith("multipart/form-data")
    assert photo.files["photo"] == tiny_png()
    assert photo.params["caption"] == "Cakupan 2026"
    [text] = await fake.wait_for("sendMessage")
    assert text.params["text"] == "Grafik cakupan"


async def test_a_long_answer_is_split_below_telegrams_limit(
    fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    fake.push_update(message_update(47, "/panjang"))
    await fake.wait_for("sendMessage", 3)
    parts = fake.calls_of("sendMessage")
    assert len(parts) == 3
    assert all(utf16_len(p.params["text"]) <= MAX_TEXT for p in parts)
    assert " ".join(p.params["text"] for p in parts).split() == LONG_TEXT.split()
    assert [bool(keyboard(p.params)) for p in parts] == [False, False, True]


async def test_unreadable_messages_get_the_polite_please_type(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    photo = [{"file_id": "p1", "file_unique_id": "p1u", "width": 9, "height": 9}]
    fake.push_update(message_update(48, None, extra={"photo": photo}))
    [sent] = await fake.wait_for("sendMessage")
    expected = await core_answer(tg_app, unsupported="photo")
    assert sent.params["text"] == expected[0].text


async def test_a_slow_answer_shows_typing_first(
    tg_app: App, fake: FakeTelegramAPI, test_router: ChannelTestRouter
) -> None:
    channel = polling_channel(tg_app, fake, typing_after=0.01)
    await channel.start()
    try:
        fake.push_update(message_update(49, "/lambat"))
        [typing] = await fake.wait_for("sendChatAction")
        assert typing.params == {"chat_id": 49, "action": "typing"}
        assert not fake.calls_of("sendMessage")
        test_router.release.set()
        [sent] = await fake.wait_for("sendMessage")
        assert sent.params["text"] == "Selesai"
    finally:
        test_router.release.set()
        await channel.stop()


async def test_a_staff_document_reaches_the_document_command_with_its_caption(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel, test_router: ChannelTestRouter
) -> None:
    content = b"kode_desa,target\n61.04.01.2001,120\n"
    fake.add_file("doc1", "documents/target.csv", content)
    document = {
        "file_id": "doc1",
        "file_unique_id": "d1",
        "file_name": "target.csv",
        "mime_type": "text/csv",
        "file_size": len(content),
    }
    fake.push_update(
        message_update(77, None, extra={"document": document, "caption": "impor target"})
    )
    [sent] = await fake.wait_for("sendMessage")
    assert sent.params["text"] == "Diterima target.csv"
    assert test_router.documents == [("target.csv", content, "impor target")]
    leftovers = list((tg_app.settings.data_dir / "telegram" / "incoming").glob("*"))
    assert leftovers == []  # the temporary copy is gone once answered


async def test_a_staff_spreadsheet_gets_the_same_import_report_as_in_any_chat(
    tg_settings: Settings,
    fake: FakeTelegramAPI,
    core_parts: tuple[Understander, Catalogues],
    tmp_path: Path,
) -> None:
    understander, catalogues = core_parts
    app = await app_with(
        tg_settings,
        Router("unused"),
        understander=understander,
        catalogues=catalogues,
        test_documents=False,
    )
    channel = polling_channel(app, fake)
    await channel.start()
    try:
        content = (EXAMPLES / "contoh-cakupan.csv").read_bytes()
        fake.add_file("cov1", "documents/contoh-cakupan.csv", content)
        document = {"file_id": "cov1", "file_unique_id": "c1", "file_name": "contoh-cakupan.csv"}
        fake.push_update(
            message_update(77, None, extra={"document": document, "caption": "cek cakupan"})
        )
        [sent] = await fake.wait_for("sendMessage")
    finally:
        await channel.stop()
    try:
        copy = tmp_path / "contoh-cakupan.csv"
        copy.write_bytes(content)
        staff = ChatRef(channel="telegram", user_id="77", chat_id="77")
        expected = await app.dispatcher.handle(
            Incoming(
                chat=staff,
                text="cek cakupan",
                attachment=Attachment(path=copy, filename=copy.name),
            )
        )
    finally:
        await app.close()
    assert sent.params["text"] == expected[0].text
    assert "contoh-cakupan.csv" in sent.params["text"]


async def test_a_document_from_a_member_of_the_public_is_not_downloaded(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel, test_router: ChannelTestRouter
) -> None:
    document = {"file_id": "doc2", "file_unique_id": "d2", "file_name": "x.csv"}
    fake.push_update(message_update(50, None, extra={"document": document}))
    [sent] = await fake.wait_for("sendMessage")
    assert sent.params["text"] == (await core_answer(tg_app, unsupported="document"))[0].text
    assert not fake.calls_of("getFile")
    assert test_router.documents == []


async def test_a_document_from_a_village_head_is_not_downloaded_either(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel, test_router: ChannelTestRouter
) -> None:
    head = await tg_app.store.people.touch("telegram", "66")
    await tg_app.store.roles.grant(head.id, Role.VILLAGE_HEAD, granted_by="test")
    assert not tg_app.dispatcher.accepts_documents(Role.VILLAGE_HEAD)
    document = {"file_id": "doc3", "file_unique_id": "d3", "file_name": "x.csv"}
    fake.push_update(message_update(66, None, extra={"document": document}))
    [sent] = await fake.wait_for("sendMessage")
    assert sent.params["text"] == (await core_answer(tg_app, unsupported="document"))[0].text
    assert not fake.calls_of("getFile")
    assert test_router.documents == []


async def drain(fake: FakeTelegramAPI, channel: TelegramChannel, last_update_id: int) -> None:
    """Wait until polling acknowledged that update, then stop: every answer is out."""
    await fake.wait_for(
        "getUpdates", where=lambda c: int(c.params.get("offset") or 0) > last_update_id
    )
    await channel.stop()


async def test_in_groups_only_commands_and_mentions_are_answered(
    tg_app: App, fake: FakeTelegramAPI
) -> None:
    group = -100200
    channel = polling_channel(tg_app, fake)
    await channel.start()
    fake.push_update(message_update(51, "ngobrol biasa", chat_id=group, chat_type="supergroup"))
    fake.push_update(message_update(51, "/start@other_bot", chat_id=group, chat_type="supergroup"))
    fake.push_update(
        message_update(51, f"@{BOT_USERNAME} halo", chat_id=group, chat_type="supergroup")
    )
    last = message_update(52, f"/menu@{BOT_USERNAME}", chat_id=group, chat_type="supergroup")
    fake.push_update(last)
    await drain(fake, channel, last["update_id"])
    sent = fake.calls_of("sendMessage")
    assert len(sent) == 2
    assert {c.params["chat_id"] for c in sent} == {group}


async def test_flooding_user_is_told_once_and_others_are_unaffected(
    tg_app: App, fake: FakeTelegramAPI
) -> None:
    flood = FloodControl(limit=3, window=60, slow_interval=600)
    channel = polling_channel(tg_app, fake, flood=flood)
    await channel.start()
    try:
        for n in range(6):
            fake.push_update(message_update(53, f"halo {n}"))
        fake.push_update(message_update(54, "halo"))
        await fake.wait_for("sendMessage", 5)
    finally:
        await channel.stop()
    notice = tg_app.dispatcher.catalogues.translator("id")("telegram.flood")
    flooded = fake.sent_texts(53)
    assert len(flooded) == 4 and flooded.count(notice) == 1  # 3 answers and one notice
    assert len(fake.sent_texts(54)) == 1 and notice not in fake.sent_texts(54)


async def test_replies_to_users_overtake_waiting_announcements(
    tg_app: App, fake: FakeTelegramAPI
) -> None:
    slow = PaceLimits(overall_rate=5, overall_burst=1, chat_rate=1000, chat_burst=100)
    channel = polling_channel(tg_app, fake, limits=slow)
    await channel.start()
    try:
        announcements = [
            asyncio.create_task(
                channel.deliver(telegram_chat(900 + n), [Reply(text="Pengumuman")], bulk=True)
            )
            for n in range(10)
        ]
        await fake.wait_for("sendMessage")  # the first announcement is out, nine wait
        fake.push_update(message_update(63, "/start"))
        await asyncio.gather(*announcements)
        await fake.wait_for("sendMessage", 11)
    finally:
        await channel.stop()
    order = [str(c.params["chat_id"]) for c in fake.calls_of("sendMessage")]
    assert order.index("63") < len(order) - 3  # it did not wait behind the announcements


# -- errors from the Bot API ---------------------------------------------------------------


async def test_429_retry_after_is_honoured_before_trying_again(
    fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    fake.push_update(message_update(55, "/start"))
    first, second = await fake.wait_for("sendMessage", 2)
    assert second.params["text"] == first.params["text"]
    assert second.at - first.at >= 1.0  # Telegram said: not before one second


async def test_a_reply_is_sent_again_after_a_5xx(tg_app: App, fake: FakeTelegramAPI) -> None:
    channel = polling_channel(tg_app, fake, retry_backoff=0.001)
    await channel.start()
    fake.fail("sendMessage", 502, "Bad Gateway", times=2)
    update = message_update(64, "/start")
    fake.push_update(update)
    await drain(fake, channel, update["update_id"])
    expected = (await core_answer(tg_app, text="/start"))[0].text
    assert fake.sent_texts(64) == [expected] * 3  # two 502s, then delivered once


async def test_replies_to_one_person_never_overtake_each_other(
    tg_app: App, fake: FakeTelegramAPI
) -> None:
    """The person's turn is held until the replies are delivered: while the first answer
    waits to be sent again after a 502, the second message is not answered yet."""
    channel = polling_channel(tg_app, fake, retry_backoff=0.3)
    await channel.start()
    try:
        fake.fail("sendMessage", 502, "Bad Gateway", times=1)
        first, second = message_update(65, "/start"), message_update(65, "terima kasih")
        fake.push_update(first)
        fake.push_update(second)
        await drain(fake, channel, second["update_id"])
        await fake.wait_for("sendMessage", 3, where=lambda c: c.params["chat_id"] == 65)
    finally:
        await channel.stop()
    welcome = (await core_answer(tg_app, text="/start"))[0].text
    thanks = (await core_answer(tg_app, text="terima kasih"))[0].text
    assert welcome != thanks
    assert fake.sent_texts(65) == [welcome, welcome, thanks]  # refused once, resent, then 2nd


async def test_a_reply_gives_up_after_a_few_5xx_and_announcements_at_once(
    fake: FakeTelegramAPI, tg_app: App
) -> None:
    channel = polling_channel(tg_app, fake, retry_backoff=0.001, max_retries=2)
    await channel.start()
    try:
        fake.fail("sendMessage", 500, "Internal Server Error", times=10)
        with pytest.raises(DeliveryFailed) as reply:
            await channel.deliver(telegram_chat(65), [Reply(text="Halo")])
        assert len(fake.sent_texts(65)) == 3  # the first try and two more
        with pytest.raises(DeliveryFailed) as bulk:
            await channel.deliver(telegram_chat(67), [Reply(text="Pengumuman")], bulk=True)
        assert len(fake.sent_texts(67)) == 1  # the outbox retries announcements itself
    finally:
        await channel.stop()
    assert reply.value.kind is bulk.value.kind is FailureKind.TRANSIENT


async def test_429_on_announcement_traffic_goes_back_to_the_outbox(
    fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    with pytest.raises(DeliveryFailed) as failure:
        await polling.deliver(telegram_chat(56), [Reply(text="Pengumuman")], bulk=True)
    assert failure.value.kind is FailureKind.RATE_LIMITED
    assert failure.value.retry_after == 1.0
    assert len(fake.calls_of("sendMessage")) == 1


async def test_a_user_who_blocked_the_bot_is_marked_inactive(
    tg_app: App, fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    fake.push_update(message_update(57, "/start"))
    await fake.wait_for("sendMessage")

    async def inactive() -> bool:
        user = await tg_app.store.people.find("telegram", "57")
        return user is not None and not user.active

    await eventually(inactive)
    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(DeliveryFailed) as failure:
        await polling.deliver(telegram_chat(57), [Reply(text="Pengumuman")], bulk=True)
    assert failure.value.kind is FailureKind.BLOCKED
    assert len(fake.calls_of("sendMessage")) == 2  # no retries


async def test_a_bad_request_is_never_retried(
    fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    fake.fail("sendMessage", 400, "Bad Request: chat not found")
    with pytest.raises(DeliveryFailed) as failure:
        await polling.deliver(telegram_chat(58), [Reply(text="Halo")])
    assert failure.value.kind is FailureKind.INVALID
    assert len(fake.calls_of("sendMessage")) == 1


async def test_deliver_returns_the_last_message_id(
    fake: FakeTelegramAPI, polling: TelegramChannel
) -> None:
    sent_id = await polling.deliver(telegram_chat(59), [Reply(text="a"), Reply(text="b")])
    [_, last] = await fake.wait_for("sendMessage", 2)
    assert sent_id and sent_id.isdigit()
    assert last.params["text"] == "b"


# -- webhook mode through the project's ASGI app -------------------------------------------


@pytest.fixture
async def webhook(
    tg_app: App, fake: FakeTelegramAPI
) -> AsyncIterator[tuple[TelegramChannel, httpx.AsyncClient]]:
    channel = TelegramChannel(
        tg_app.store,
        tg_app.dispatcher,
        data_dir=tg_app.settings.data_dir,
        token=TOKEN,
        api_url=fake.url,
        webhook_url="https://bot.example.go.id/telegram",
        webhook_secret=SECRET,
        limits=FAST,
    )
    async with (
        serve_asgi(create_web_app(tg_app, [channel]), lifespan="on") as url,
        httpx.AsyncClient(base_url=url, trust_env=False) as client,
    ):
        yield channel, client


async def test_webhook_is_registered_with_its_secret_and_answers(
    tg_app: App, fake: FakeTelegramAPI, webhook: tuple[TelegramChannel, httpx.AsyncClient]
) -> None:
    _, client = webhook
    [registered] = fake.calls_of("setWebhook")
    assert registered.params["url"] == "https://bot.example.go.id/telegram"
    assert registered.params["secret_token"] == SECRET
    assert not fake.calls_of("getUpdates")
    response = await client.post(
        "/telegram", json=message_update(60, "/start"), headers={SECRET_HEADER: SECRET}
    )
    assert response.status_code == 200
    [sent] = await fake.wait_for("sendMessage")
    assert sent.params["text"] == (await core_answer(tg_app, text="/start"))[0].text


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: ""}])
async def test_a_forged_webhook_is_refused(
    tg_app: App,
    fake: FakeTelegramAPI,
    webhook: tuple[TelegramChannel, httpx.AsyncClient],
    headers: dict[str, str],
) -> None:
    _, client = webhook
    response = await client.post("/telegram", json=message_update(61, "/start"), headers=headers)
    assert response.status_code == 403
    assert await kept_updates(tg_app) == []  # refused before it was accepted for answering
    assert not fake.calls_of("sendMessage")


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b'{"message": {"text": "hi"}}', b'{"update_id": "x"}']
)
async def test_a_malformed_webhook_body_is_a_400(
    webhook: tuple[TelegramChannel, httpx.AsyncClient], body: bytes
) -> None:
    _, client = webhook
    response = await client.post(
        "/telegram",
        content=body,
        headers={SECRET_HEADER: SECRET, "content-type": "application/json"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("chunked", [False, True])
async def test_an_oversized_webhook_body_is_a_413_and_not_kept(
    tg_app: App, webhook: tuple[TelegramChannel, httpx.AsyncClient], chunked: bool
) -> None:
    _, client = webhook
    body = b'{"update_id": 1, "pad": "' + b"x" * MAX_UPDATE_BYTES + b'"}'

    async def stream() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    response = await client.post(
        "/telegram",
        content=stream() if chunked else body,
        headers={SECRET_HEADER: SECRET, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert await kept_updates(tg_app) == []


async def test_an_accepted_update_a_crash_left_unanswered_is_answered_at_the_next_start(
    crash_app: tuple[App, CrashOnce], fake: FakeTelegramAPI
) -> None:
    app, crash = crash_app
    update = message_update(70, "/sekali")
    first = webhook_channel(app, fake)
    await first.start()
    async with webhook_client(app, first) as client:
        assert (await client.post("/telegram", json=update)).status_code == 200
    # Telegram forgot it with the 200; it was kept before. The first process dies answering.
    assert await kept_updates(app) == [update["update_id"]]
    crash.crash.set()
    await first.stop()
    assert await kept_updates(app) == [update["update_id"]]
    assert not fake.sent_texts(70)

    second = webhook_channel(app, fake)  # the restart, on the same database
    await second.start()
    async with webhook_client(app, second) as client:
        await fake.wait_for("sendMessage")
        # Telegram sends it again while (or after) it is answered: not a second answer.
        assert (await client.post("/telegram", json=update)).status_code == 200
    await second.stop()
    assert fake.sent_texts(70) == ["Jawaban"]
    assert await kept_updates(app) == []


async def test_a_polled_update_acknowledged_then_lost_in_a_crash_is_answered_after_restart(
    crash_app: tuple[App, CrashOnce], fake: FakeTelegramAPI
) -> None:
    app, crash = crash_app
    update = message_update(71, "/sekali")
    first = polling_channel(app, fake)
    await first.start()
    fake.push_update(update)
    # The next getUpdates carries the offset past it: Telegram will not send it again.
    await fake.wait_for(
        "getUpdates", where=lambda c: int(c.params.get("offset") or 0) > update["update_id"]
    )
    assert await kept_updates(app) == [update["update_id"]]
    crash.crash.set()
    await first.stop()  # the process died before answering
    assert await kept_updates(app) == [update["update_id"]]
    second = polling_channel(app, fake)
    await second.start()
    await fake.wait_for("sendMessage")
    await second.stop()
    assert fake.sent_texts(71) == ["Jawaban"]
    assert await kept_updates(app) == []


async def test_a_duplicate_update_is_answered_once_even_across_a_restart(
    tg_app: App, fake: FakeTelegramAPI
) -> None:
    update = message_update(69, "/start")
    for _ in range(2):  # the second round is a restarted process on the same database
        channel = webhook_channel(tg_app, fake)
        await channel.start()
        async with webhook_client(tg_app, channel) as client:
            for _ in range(2):
                assert (await client.post("/telegram", json=update)).status_code == 200
        await channel.stop()  # drains: every accepted update is answered
    assert len(fake.sent_texts(69)) == 1
    assert await kept_updates(tg_app) == []


async def test_a_duplicate_update_is_answered_once(tg_app: App, fake: FakeTelegramAPI) -> None:
    channel = TelegramChannel(
        tg_app.store,
        tg_app.dispatcher,
        data_dir=tg_app.settings.data_dir,
        token=TOKEN,
        api_url=fake.url,
        webhook_url="https://bot.example.go.id/telegram",
        webhook_secret=SECRET,
        limits=FAST,
    )
    update = message_update(62, "/start")
    async with (
        serve_asgi(create_web_app(tg_app, [channel]), lifespan="on") as url,
        httpx.AsyncClient(base_url=url, trust_env=False) as client,
    ):
        for _ in range(3):
            response = await client.post("/telegram", json=update, headers={SECRET_HEADER: SECRET})
            assert response.status_code == 200
    # Leaving the server drained every accepted update: all answers are in.
    assert len(fake.sent_texts(62)) == 1


async def test_webhook_mode_without_a_secret_refuses_to_start(tg_settings: Settings) -> None:
    configured = tg_settings.model_copy(
        update={"public_url": "https://bot.example.go.id", "telegram_token": SecretStr(TOKEN)}
    )
    app = await App.create(configured)
    try:
        with pytest.raises(TelegramConfigError, match="JAMSOS_TELEGRAM_WEBHOOK_SECRET"):
            create(app.settings, app.store, app.dispatcher)
    finally:
        await app.close()


async def test_the_token_setting_turns_the_channel_on(
    tg_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAMSOS_TELEGRAM_TOKEN", TOKEN)
    app = await App.create(Settings())
    try:
        [channel] = build_channels(app)
        assert channel.name == "telegram"
        assert list(channel.routes()) == []  # no public URL: long polling
    finally:
        await app.close()
