"""Turning `Reply` lists into Cloud API message parts, within WhatsApp's limits.

Choices: 1-3 become reply buttons, 4-10 a list message, more a numbered text menu (the
user answers with the number). Long texts are split; an image goes out before its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.messages import Button, Image, Reply

TEXT_LIMIT = 4096  # text message body
INTERACTIVE_BODY_LIMIT = 1024  # body of a button or list message
CAPTION_LIMIT = 1024
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
MAX_BUTTONS = 3
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ROW_ID_LIMIT = 200
MAX_ROWS = 10
LIST_LABEL_LIMIT = 20


@dataclass(frozen=True, slots=True)
class TextPart:
    body: str


@dataclass(frozen=True, slots=True)
class ButtonsPart:
    body: str
    buttons: tuple[Button, ...]  # titles already within the limit


@dataclass(frozen=True, slots=True)
class ListRow:
    payload: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class ListPart:
    body: str
    label: str
    rows: tuple[ListRow, ...]


@dataclass(frozen=True, slots=True)
class ImagePart:
    image: Image
    caption: str


Part = TextPart | ButtonsPart | ListPart | ImagePart


@dataclass(frozen=True, slots=True)
class Rendered:
    """The parts to send in order, and the payloads of a numbered menu (if one was sent)."""

    parts: list[Part]
    menu: tuple[str, ...] = ()


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Chunks within `limit`, cut at a paragraph, a line or a word where possible."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > limit // 2:
                break
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def _fits_buttons(buttons: Sequence[Button]) -> bool:
    return all(len(b.payload.encode()) <= BUTTON_ID_LIMIT for b in buttons)


def _fits_rows(buttons: Sequence[Button]) -> bool:
    return all(len(b.payload.encode()) <= ROW_ID_LIMIT for b in buttons)


def _row(button: Button) -> ListRow:
    title = " ".join(button.title.split())
    if len(title) <= ROW_TITLE_LIMIT:
        return ListRow(payload=button.payload, title=title)
    return ListRow(
        payload=button.payload,
        title=shorten(title, ROW_TITLE_LIMIT),
        description=shorten(title, ROW_DESCRIPTION_LIMIT),
    )


def render(
    replies: Sequence[Reply], *, list_label: str, menu_hint: str, prompt: str = ""
) -> Rendered:
    """`list_label` names the list button ("Pilih"); `menu_hint` ends a numbered menu;
    `prompt` is the body of choices sent without text (WhatsApp needs one)."""
    parts: list[Part] = []
    menu: list[str] = []
    for reply in replies:
        if reply.image is not None:
            parts.append(ImagePart(reply.image, shorten(reply.image.caption, CAPTION_LIMIT)))
        buttons = reply.buttons
        text = reply.text.strip()
        if not buttons:
            parts.extend(TextPart(chunk) for chunk in split_text(text))
            continue
        if len(buttons) <= MAX_BUTTONS and _fits_buttons(buttons):
            *before, body = split_text(text or prompt, INTERACTIVE_BODY_LIMIT) or [prompt]
            parts.extend(TextPart(chunk) for chunk in before)
            titles = tuple(
                Button(title=shorten(b.title, BUTTON_TITLE_LIMIT), payload=b.payload)
                for b in buttons
            )
            parts.append(ButtonsPart(body, titles))
        elif len(buttons) <= MAX_ROWS and _fits_rows(buttons):
            *before, body = split_text(text or prompt, INTERACTIVE_BODY_LIMIT) or [prompt]
            parts.extend(TextPart(chunk) for chunk in before)
            rows = tuple(_row(b) for b in buttons)
            parts.append(ListPart(body, shorten(list_label, LIST_LABEL_LIMIT), rows))
        else:
            lines = [f"{len(menu) + i}. {b.title}" for i, b in enumerate(buttons, start=1)]
            menu.extend(b.payload for b in buttons)
            numbered = "\n".join([text, "", *lines, "", menu_hint]).strip()
            parts.extend(TextPart(chunk) for chunk in split_text(numbered))
    return Rendered(parts, tuple(menu))
