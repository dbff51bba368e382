"""Reading Cloud API webhooks: the signature check and the payload, into plain dataclasses.

Parsed here rather than by pywa, whose update parser drops contacts without a BSUID and
runs handlers on its own: our route must refuse unsigned or malformed bodies itself, claim
message ids durably before answering, and keep working with either identifier.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from bot.channels.whatsapp.meta_errors import log_error_blocks

SIGNATURE_HEADER = "x-hub-signature-256"
STATUSES = frozenset({"sent", "delivered", "read", "failed"})

# Kinds that need no reply: reactions, system notices, a message deleted or edited (the
# original was answered), what WhatsApp itself told the user it cannot show (`unsupported`),
# flow and call-permission replies (the bot sends neither), an interactive without a body.
_IGNORED_KINDS = frozenset(
    {
        "reaction",
        "system",
        "ephemeral",
        "revoke",
        "edit",
        "unsupported",
        "nfm_reply",
        "call_permission_reply",
        "interactive_without_reply",
    }
)
MAX_ERROR_CODE = 2**31  # Meta's codes are small; a larger one is junk, not a database integer
_SURROGATE = re.compile("[\ud800-\udfff]")


class MalformedWebhook(ValueError):
    """The body is not JSON in the Cloud API webhook shape."""


def signature_valid(body: bytes, header: str, app_secret: str) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`."""
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.strip().encode(), expected.encode())


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta would send (for tests and the benchmark)."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class Sender:
    wa_id: str | None  # the phone number; hidden when the user adopted a username
    bsuid: str | None  # business-scoped user id, e.g. "US.13491208655302741918"


@dataclass(frozen=True, slots=True, kw_only=True)
class InboundMessage:
    """One user message. `kind` is Meta's type; `payload` is a button or list choice id."""

    wamid: str
    sender: Sender
    kind: str
    text: str = ""
    payload: str | None = None
    media_id: str | None = None
    filename: str | None = None
    mime_type: str | None = None
    sent_at: datetime | None = None

    @property
    def ignored(self) -> bool:
        return self.kind in _IGNORED_KINDS


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusUpdate:
    wamid: str
    status: Literal["sent", "delivered", "read", "failed"]
    error_code: int | None = None
    error_title: str | None = None


def message_to_json(message: InboundMessage) -> str:
    """The message as stored until it is answered (see `message_from_json`)."""
    data = {  # by hand: dataclasses.asdict deep-copies every value (the webhook's hot path)
        "wamid": message.wamid,
        "sender": {"wa_id": message.sender.wa_id, "bsuid": message.sender.bsuid},
        "kind": message.kind,
        "text": message.text,
        "payload": message.payload,
        "media_id": message.media_id,
        "filename": message.filename,
        "mime_type": message.mime_type,
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def message_from_json(raw: str) -> InboundMessage:
    data = json.loads(raw)
    data["sender"] = Sender(**data["sender"])
    if data.get("sent_at"):
        data["sent_at"] = datetime.fromisoformat(data["sent_at"])
    return InboundMessage(**data)


@dataclass(frozen=True, slots=True)
class WebhookBatch:
    messages: list[InboundMessage]
    statuses: list[StatusUpdate]


def parse_webhook(body: bytes, phone_id: str | None) -> WebhookBatch:
    """Messages and statuses for our phone number; other fields and numbers are skipped."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedWebhook("not JSON") from exc
    except RecursionError as exc:  # nested deeper than the parser goes: no webhook is
        raise MalformedWebhook("nested too deeply") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise MalformedWebhook("no entry list")
    messages: list[InboundMessage] = []
    statuses: list[StatusUpdate] = []
    for entry in data["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise MalformedWebhook("entry without changes")
        for change in changes:
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                raise MalformedWebhook("change without value")
            if change.get("field") != "messages":
                continue
            value: dict[str, Any] = change["value"]
            metadata = value.get("metadata")
            if (
                phone_id
                and isinstance(metadata, dict)
                and str(metadata.get("phone_number_id", phone_id)) != phone_id
            ):
                continue
            log_error_blocks("webhook", value.get("errors"))
            contacts = [c for c in _list(value, "contacts") if isinstance(c, dict)]
            for raw in _list(value, "messages"):
                message = _message(raw, contacts)
                if message is not None:
                    messages.append(message)
            for raw in _list(value, "statuses"):
                status = _status(raw)
                if status is not None:
                    statuses.append(status)
    return WebhookBatch(messages, statuses)


def _list(value: dict[str, Any], key: str) -> list[Any]:
    items = value.get(key, [])
    if not isinstance(items, list):
        raise MalformedWebhook(f"{key} is not a list")
    return items


def _str(value: object) -> str | None:
    """A non-empty string; a lone UTF-16 surrogate (a cut emoji) becomes U+FFFD, since it
    cannot be stored or sent as UTF-8."""
    if isinstance(value, str) and value:
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _sender(raw: dict[str, Any], contacts: list[dict[str, Any]]) -> Sender:
    """The message's sender, completed from the contact that is the same person.

    Meta documents the mapping: `contacts[].wa_id` is a message's `from` and
    `contacts[].user_id` its `from_user_id`. A contact is used only when one of those ids
    matches; a contact naming someone else (even the only one) is never merged in, so two
    people are never taken for one.
    """
    wa_id = _str(raw.get("from"))
    bsuid = _str(raw.get("from_user_id"))
    for contact in contacts:
        contact_wa, contact_user = _str(contact.get("wa_id")), _str(contact.get("user_id"))
        if (wa_id and wa_id == contact_wa) or (bsuid and bsuid == contact_user):
            if wa_id and contact_wa and wa_id != contact_wa:
                continue  # same BSUID, another phone: not the documented pairing
            if bsuid and contact_user and bsuid != contact_user:
                continue
            return Sender(wa_id=wa_id or contact_wa, bsuid=bsuid or contact_user)
    return Sender(wa_id=wa_id, bsuid=bsuid)


def _message(raw: object, contacts: list[dict[str, Any]]) -> InboundMessage | None:
    if not isinstance(raw, dict):
        raise MalformedWebhook("message is not an object")
    wamid = _str(raw.get("id"))
    kind = _str(raw.get("type")) or "unknown"
    sender = _sender(raw, contacts)
    if wamid is None or (sender.wa_id is None and sender.bsuid is None):
        return None
    found = raw.get(kind)
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    sent_at = _timestamp(raw.get("timestamp"))
    common: dict[str, Any] = {"wamid": wamid, "sender": sender, "sent_at": sent_at}
    if kind == "text":
        return InboundMessage(kind=kind, text=_str(body.get("body")) or "", **common)
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply")
        if isinstance(reply, dict) and _str(reply.get("id")):
            return InboundMessage(
                kind=kind,
                text=_str(reply.get("title")) or "",
                payload=_str(reply.get("id")),
                **common,
            )
        return InboundMessage(kind=_str(body.get("type")) or "interactive_without_reply", **common)
    if kind == "button":
        # A template's quick reply. Meta sends the label as `text` and the template's own
        # payload, never one of ours: it is read as the words on the button ("Berhenti").
        label = _str(body.get("text")) or _str(body.get("payload")) or ""
        return InboundMessage(kind=kind, text=label, **common)
    if kind == "location":  # a pin: its name and address, when picked from the map
        words = [w for w in (_str(body.get("name")), _str(body.get("address"))) if w]
        return InboundMessage(kind=kind, text=", ".join(words), **common)
    return InboundMessage(
        kind=kind,
        text=_str(body.get("caption")) or "",
        media_id=_str(body.get("id")),
        filename=_str(body.get("filename")),
        mime_type=_str(body.get("mime_type")),
        **common,
    )


def _status(raw: object) -> StatusUpdate | None:
    if not isinstance(raw, dict):
        raise MalformedWebhook("status is not an object")
    wamid, status = _str(raw.get("id")), raw.get("status")
    if wamid is None or not isinstance(status, str) or status not in STATUSES:
        return None  # e.g. "played", "deleted", a status we do not track, or not a string
    code = title = None
    errors = raw.get("errors")
    log_error_blocks("status", errors)
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        code = _error_code(first.get("code"))
        title = _str(first.get("title")) or _str(first.get("message"))
    return StatusUpdate(wamid=wamid, status=status, error_code=code, error_title=title)  # type: ignore[arg-type]


def _error_code(raw: object) -> int | None:
    """Meta's numeric error code; anything else (text, a huge number, a list) is None."""
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        return None
    text = str(raw)
    if not (text.isascii() and text.isdigit()):
        return None
    code = int(text)
    return code if code < MAX_ERROR_CODE else None


def _timestamp(raw: object) -> datetime | None:
    """Unix seconds (a string of ASCII digits) as a UTC time; None when unreadable."""
    text = _str(raw)
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    try:
        return datetime.fromtimestamp(int(text), UTC)
    except (OverflowError, OSError, ValueError):
        return None
