"""Channel adapters: thin translators between a platform and the channel-agnostic core.

Each platform module (`telegram`, `whatsapp`) exposes `create(app) -> Channel`; it is only
imported when its credentials are configured.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App
    from bot.channels.base import Channel


def build_channels(app: App) -> list[Channel]:
    """The channels whose credentials are configured, created but not started."""
    names = []
    if app.settings.telegram_enabled:
        names.append("telegram")
    if app.settings.whatsapp_enabled:
        names.append("whatsapp")
    channels: list[Channel] = []
    for name in names:
        module = importlib.import_module(f"{__name__}.{name}")
        channels.append(module.create(app))
    return channels
