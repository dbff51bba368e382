"""A shared location, matched to its region when its name or address names one.

Telegram venues and WhatsApp locations picked from the map carry a name and an address; the
gazetteer has no coordinates, so a bare pin cannot be placed (it gets the "please type"
notice). The words are read by the understanding as a question about that region's coverage
("cakupan ..."), which is what the region menu answers; an ambiguous name gets "which one?".
"""

from __future__ import annotations

from datetime import date

from bot.core.payload import encode
from bot.domain.intents import Intent
from bot.domain.understanding import Slots, Understander

_CUE = "cakupan"  # not shown to anyone: it asks the understanding for the region slots


def region_payload(understander: Understander, today: date, *words: str | None) -> str | None:
    """The coverage question for the region the words name, as a button payload; or None."""
    text = ", ".join(w.strip() for w in words if w and w.strip())
    if not text:
        return None
    understanding = understander.understand(f"{_CUE} {text}", today=today)
    slots = understanding.slots
    if understanding.intent is not Intent.COVERAGE_REGION:
        return None
    if slots.region:
        return encode(Intent.COVERAGE_REGION, Slots(region=slots.region))
    if slots.place:
        return encode(Intent.COVERAGE_REGION, Slots(place=slots.place))
    return None
