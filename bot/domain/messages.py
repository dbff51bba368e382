"""Channel-neutral message types: what adapters hand to the core and what handlers return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Channel = Literal["telegram", "whatsapp", "console"]
CHANNELS: tuple[Channel, ...] = ("telegram", "whatsapp", "console")


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatRef:
    """Who wrote and where to answer. `user_id` is the channel's stable id for the person."""

    channel: Channel
    user_id: str
    chat_id: str
    is_group: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """A file the user sent (e.g. a staff spreadsheet), already downloaded to `path`."""

    path: Path
    filename: str
    mime_type: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Incoming:
    """One normalized inbound message: typed text, a button press (`payload`) or a file.

    `text` is the caption when a file is attached. `unsupported` names a kind of message the
    bot cannot read (image, audio, sticker, location...): it gets a polite "please type".
    `reply_to` is set when the person used the platform's "reply" on an earlier message
    (staff answering a ticket notification).
    """

    chat: ChatRef
    text: str = ""
    payload: str | None = None
    platform_locale: str | None = None
    message_id: str | None = None
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    attachment: Attachment | None = None
    unsupported: str | None = None
    reply_to: str | None = None  # the platform id of the message this one replies to


@dataclass(frozen=True, slots=True, kw_only=True)
class Button:
    """A choice offered to the user; `payload` comes back in `Incoming.payload` when pressed."""

    title: str
    payload: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Image:
    """A rendered image file (PNG) with a short caption."""

    path: Path
    caption: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """One outgoing message: final, localized text, optional buttons and image."""

    text: str
    buttons: tuple[Button, ...] = ()
    image: Image | None = None
