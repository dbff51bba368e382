"""Older-format updates: the fields today's Bot API always sends are filled in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot.channels.telegram.legacy import upgrade

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "telegram"
DOCS = sorted(FIXTURES.glob("telegram_docs_curl_*.json"))


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_every_curl_sample_of_telegrams_webhook_page_becomes_readable(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    bot = Bot("123:abc")
    with pytest.raises(TypeError):
        Update.de_json(json.loads(path.read_text(encoding="utf-8")), bot)

    filled = upgrade(data)

    assert filled
    assert Update.de_json(data, bot).update_id == 10000


def test_missing_chat_types_follow_the_id() -> None:
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1,
            "chat": {"id": -1001},
            "sender_chat": {"id": -55},
            "from": {"id": 7},
            "reply_to_message": {"message_id": 2, "date": 1, "chat": {"id": 7}},
        },
    }

    upgrade(update)

    message = update["message"]
    assert isinstance(message, dict)
    assert message["chat"]["type"] == "supergroup"
    assert message["sender_chat"]["type"] == "group"
    assert message["reply_to_message"]["chat"]["type"] == "private"
    assert message["from"] == {"id": 7, "is_bot": False, "first_name": ""}


def test_a_current_update_is_left_as_it_is() -> None:
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1,
            "chat": {"id": 7, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "A"},
            "text": "halo",
        },
    }
    before = json.dumps(update)

    assert upgrade(update) == []
    assert json.dumps(update) == before
