"""Who wrote: the person's id from their phone or BSUID, and the numbered menu they were shown.

Both caches hold phone numbers, so a person's entries go when they delete their data
(`forget`). The most recent `CACHE_SIZE` people are kept.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from bot.channels.whatsapp.webhook import Sender
    from bot.store import Store

K = TypeVar("K")
V = TypeVar("V")

CACHE_SIZE = 10_000  # people remembered per cache (menus, recipients, ids), most recent
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*\.?\s*$")


class Contacts:
    """The sender-id cache and the numbered menus, per person."""

    def __init__(self, store: Store):
        self._store = store
        # (phone, BSUID) -> external id; numbered menus per external id.
        self._senders: OrderedDict[tuple[str | None, str | None], str] = OrderedDict()
        self._menus: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    async def external_id(self, sender: Sender) -> str:
        """The person's id in `users`: the one first seen, else the phone, else the BSUID."""
        key = (sender.wa_id, sender.bsuid)
        cached = self._senders.get(key)
        if cached is not None:
            return cached
        known = await self._store.whatsapp.find_contact(wa_id=sender.wa_id, bsuid=sender.bsuid)
        external = known.external_id if known is not None else sender.wa_id or sender.bsuid
        if external is None:  # parse_webhook drops such messages
            raise ValueError("message without sender")
        _remember(self._senders, key, external)
        return external

    def menu_choice(self, external_id: str, text: str) -> str | None:
        """The payload of the numbered option `text` names ("2"), if a menu was shown."""
        menu = self._menus.get(external_id)
        match = _NUMBER.match(text)
        if not menu or match is None:
            return None
        number = int(match.group(1))
        return menu[number - 1] if 1 <= number <= len(menu) else None

    def remember_menu(self, external_id: str, menu: tuple[str, ...]) -> None:
        _remember(self._menus, external_id, menu)

    def remembers(self, external_id: str) -> bool:
        return external_id in self._menus or external_id in self._senders.values()

    def forget(self, external_id: str) -> None:
        """A person deleted their data: drop what is remembered about them."""
        self._menus.pop(external_id, None)
        for key in [key for key, value in self._senders.items() if value == external_id]:
            del self._senders[key]


def _remember(cache: OrderedDict[K, V], key: K, value: V) -> None:
    if value:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.pop(key, None)
