"""Naming a user in staff commands: the number shown in lists, or `channel:id`."""

from __future__ import annotations

from bot.domain.addresses import parse_address
from bot.store import Store


async def find_user_id(store: Store, ref: str) -> int | None:
    """ "12", "#12" or "whatsapp:62811..." → the user's id, if such a user exists."""
    ref = ref.strip().lstrip("#")
    if ref.isdigit():
        user = await store.people.get(int(ref))
        return user.id if user else None
    address = parse_address(ref)
    if address is None:
        return None
    user = await store.people.find(*address)
    return user.id if user else None
