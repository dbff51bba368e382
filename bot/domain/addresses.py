"""A person's address across the project: `channel:external_id` (e.g. `telegram:12345`).

Admins in settings, role grants, audit entries and staff commands all name people this way;
this module is the one place that writes and reads the form.
"""

from __future__ import annotations

from typing import NamedTuple


class Address(NamedTuple):
    channel: str
    external_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


def address_of(channel: str, external_id: str) -> str:
    """`telegram`, `12345` → `telegram:12345`."""
    return str(Address(channel, external_id))


def parse_address(text: str) -> Address | None:
    """`telegram:12345` → Address("telegram", "12345"); None unless both parts are given
    (the channel is lower-cased; an id never contains a space)."""
    channel, _, external_id = text.strip().partition(":")
    if not channel or not external_id or " " in external_id:
        return None
    return Address(channel.lower(), external_id)
