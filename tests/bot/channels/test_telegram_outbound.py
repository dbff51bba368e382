"""Which failed Bot API calls are safe to send again (no duplicate messages)."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot.channels.telegram_outbound import not_delivered


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
