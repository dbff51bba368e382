"""Which failed Bot API calls are safe to send again (no duplicate messages)."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot.channels.telegram.outbound import TelegramSender, not_delivered
from bot.channels.telegram.pacing import TelegramPace
from bot.channels.telegram.render import STORED_CALLBACK_PREFIX
from bot.domain.messages import Button
from bot.store import Store


def caused(error: TelegramError, cause: BaseException) -> TelegramError:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "safe"),
    [
        (NetworkError("Bad Gateway"), True),  # a 5xx answer: Telegram did not take it
        (caused(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused")), True),
        (caused(TimedOut(), httpx.ConnectTimeout("connect")), True),
        (caused(TimedOut(), httpx.PoolTimeout("pool")), True),
        (caused(TimedOut(), httpx.ReadTimeout("read")), False),  # it may have arrived
        (caused(NetworkError("httpx.ReadError"), httpx.ReadError("reset")), False),
        (caused(NetworkError("httpx.x"), httpx.RemoteProtocolError("gone")), False),
        (BadRequest("Bad Request: chat not found"), False),
        (Forbidden("Forbidden: bot was blocked by the user"), False),
    ],
)
def test_only_calls_that_surely_did_not_arrive_are_retried(
    error: TelegramError, safe: bool
) -> None:
    assert not_delivered(error) is safe


async def test_a_keyboard_is_reused_but_a_stored_payload_is_stored_on_every_send(
    store: Store,
) -> None:
    """Menus are built once; a keyboard with a long payload is not cached, so every send
    renews the stored payload (housekeeping forgets only those no recent button carries)."""
    sender = TelegramSender(Bot("123:abc"), store, TelegramPace())
    menu = (Button(title="JHT", payload="jht_claim"), Button(title="JP", payload="jp_benefit"))
    assert await sender._keyboard(menu) is await sender._keyboard(menu)

    long = (Button(title="Ketapang", payload="coverage_region|" + "x" * 80),)
    first = await sender._keyboard(long)
    key = first.inline_keyboard[0][0].callback_data
    assert isinstance(key, str) and key.startswith(STORED_CALLBACK_PREFIX)
    await store.database.execute("DELETE FROM telegram_callbacks")  # as if forgotten meanwhile
    await sender._keyboard(long)
    assert await store.telegram.callback_payload(key[1:]) == long[0].payload
