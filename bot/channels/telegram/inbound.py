"""Reading Telegram messages: what kind they are, and whether a group message is for us."""

from __future__ import annotations

from telegram import Chat, Message, MessageEntity, User

# Message kinds the bot cannot read, in the order they are checked: (attribute, kind name).
_UNSUPPORTED: tuple[tuple[str, str], ...] = (
    ("photo", "photo"),
    ("sticker", "sticker"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video_note"),
    ("animation", "animation"),
    ("location", "location"),
    ("venue", "location"),
    ("contact", "contact"),
    ("poll", "poll"),
    ("dice", "dice"),
)


def is_group(chat: Chat) -> bool:
    return chat.type in (Chat.GROUP, Chat.SUPERGROUP)


def unsupported_kind(message: Message) -> str | None:
    """The kind of a message the bot cannot read (photo, sticker...), or None."""
    if message.text is not None or message.document is not None:
        return None
    for attribute, kind in _UNSUPPORTED:
        if getattr(message, attribute, None):
            return kind
    return None


def addressed_text(message: Message, me: User, *, group: bool) -> str | None:
    """The text meant for the bot, with "@bot" removed; None when it is not for us.

    In private chats every message is for us. In groups only commands (to us or to every
    bot) and messages that mention the bot or reply to it are.
    """
    text = message.text if message.text is not None else (message.caption or "")
    entities = message.parse_entities() if message.text is not None else {}
    if message.text is None and message.caption is not None:
        entities = message.parse_caption_entities()
    username = (me.username or "").lower()
    for entity, value in entities.items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            command, _, target = value.partition("@")
            if target and target.lower() != username:
                return None  # a command for another bot in the same group
            return text.replace(value, command, 1).strip()
    if not group:
        return text
    for entity, value in entities.items():
        if entity.type == MessageEntity.MENTION and value[1:].lower() == username:
            return text.replace(value, "", 1).strip()
        if (
            entity.type == MessageEntity.TEXT_MENTION
            and entity.user is not None
            and entity.user.id == me.id
        ):
            return text.replace(value, "", 1).strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == me.id:
        return text
    return None


def replied_id(message: Message) -> str | None:
    """The id of the message this one replies to (a staff answer to a ticket), or None."""
    replied = message.reply_to_message
    return str(replied.message_id) if replied is not None else None
