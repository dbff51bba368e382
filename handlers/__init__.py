"""Topic routers: every module in this package that defines `router` is registered.

Adding a topic is adding a module; nothing else needs editing.
"""

import importlib
import pkgutil

from bot.routing import Router


def _discover() -> tuple[Router, ...]:
    routers: list[Router] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, Router):
            routers.append(router)
    return tuple(routers)


ROUTERS: tuple[Router, ...] = _discover()
