"""Channels: thin translators between a platform and the channel-agnostic core.

`console` (the terminal chat), `telegram/` and `whatsapp/`, one package per platform, and the
HTTP transport they share. A channel receives its dependencies (settings, store, dispatcher)
in its constructor (`bot.app.build_channels`); it may import `core`, `domain`, `config`,
`logs` and its own store repository, never `handlers`, another channel or `bot.app`.
"""
