"""Button payloads: an intent id plus slots, compact ASCII (`contribution_pu?money=4500000`)."""

from __future__ import annotations

from dataclasses import fields
from urllib.parse import parse_qsl, urlencode

from bot.domain.intents import Intent
from bot.domain.understanding import Slots

_INT_SLOTS = frozenset(f.name for f in fields(Slots) if "int" in str(f.type))


class BadPayload(ValueError):
    """A payload that no button of ours produced (stale, forged or truncated)."""


def encode(intent: Intent, slots: Slots | None = None) -> str:
    values = slots.as_dict() if slots else {}
    if not values:
        return intent.value
    return f"{intent.value}?{urlencode(values)}"


def decode(payload: str) -> tuple[Intent, Slots]:
    name, _, query = payload.partition("?")
    try:
        intent = Intent(name)
    except ValueError as exc:
        raise BadPayload(payload) from exc
    values: dict[str, str | int] = {}
    known = {f.name for f in fields(Slots)}
    for key, value in parse_qsl(query, keep_blank_values=False):
        if key not in known:
            raise BadPayload(payload)
        if key in _INT_SLOTS:
            if not (value.isascii() and value.isdigit()):
                raise BadPayload(payload)
            values[key] = int(value)
        else:
            values[key] = value
    return intent, Slots(**values)  # type: ignore[arg-type]
