"""The ASGI app of `jamsosbot serve`: channel webhooks, /healthz, /metrics and the staff
dashboard under /dasbor (`bot.web.dashboard`).

`bot.web.app` builds the Starlette application; `bot.web.dashboard` is its staff workspace
(server-rendered pages, sessions from one-time chat links). The dashboard never imports
`bot.web.app`.
"""

from bot.web.app import create_web_app, housekeeping_of, outbox_of, relay_of

__all__ = ["create_web_app", "housekeeping_of", "outbox_of", "relay_of"]
