"""Older-format updates made readable: fields today's Bot API always sends, filled in.

Telegram's own webhook page still shows curl samples from before `is_bot`, `chat.type`,
`file_unique_id` and `chat_instance` existed; python-telegram-bot refuses them. Rather than
answer 400 (which makes Telegram send the update again and again), the missing fields get
the values the Bot API documents for them, and only what is still unreadable is skipped.
"""

from __future__ import annotations

from typing import Any

_USER_KEYS = frozenset(
    {"from", "user", "forward_from", "via_bot", "new_chat_member", "left_chat_member"}
)
_CHAT_KEYS = frozenset({"chat", "sender_chat", "forward_from_chat"})
_FILE_KEYS = frozenset(
    {"audio", "document", "voice", "video", "video_note", "animation", "sticker", "thumbnail"}
)


def upgrade(update: dict[str, Any]) -> list[str]:
    """Fill in missing required fields in place; returns what was filled (for the log)."""
    filled: list[str] = []
    _walk(update, "", filled)
    query = update.get("callback_query")
    if isinstance(query, dict) and "chat_instance" not in query:
        query["chat_instance"] = ""
        filled.append("callback_query.chat_instance")
    inline = update.get("inline_query")
    if isinstance(inline, dict) and isinstance(inline.get("id"), int):
        inline["id"] = str(inline["id"])
        filled.append("inline_query.id")
    return filled


def _walk(node: dict[str, Any], path: str, filled: list[str]) -> None:
    for key, value in node.items():
        where = f"{path}.{key}" if path else key
        if isinstance(value, dict):
            if key in _USER_KEYS and "is_bot" not in value and "title" not in value:
                value["is_bot"] = False
                value.setdefault("first_name", "")
                filled.append(f"{where}.is_bot")
            if key in _USER_KEYS and "title" in value:
                # a chat where a user belongs (the docs' forwarded channel post)
                value.setdefault("is_bot", False)
                value.setdefault("first_name", str(value["title"]))
                filled.append(f"{where}.is_bot")
            if key in _CHAT_KEYS and "type" not in value and isinstance(value.get("id"), int):
                value["type"] = _chat_type(value["id"])
                filled.append(f"{where}.type")
            if key in _FILE_KEYS and "file_unique_id" not in value and "file_id" in value:
                value["file_unique_id"] = str(value["file_id"])
                filled.append(f"{where}.file_unique_id")
            _walk(value, where, filled)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    if key == "photo" and "file_unique_id" not in item and "file_id" in item:
                        item["file_unique_id"] = str(item["file_id"])
                        filled.append(f"{where}[].file_unique_id")
                    _walk(item, where, filled)


def _chat_type(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"
