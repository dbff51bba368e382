"""Telegram over python-telegram-bot: webhook or polling in, rendered replies out.

The only package (with its tests) that imports `telegram`. It translates updates into
`Incoming` messages for the core's dispatcher and renders `Reply` objects; it keeps its own
durable state (update dedupe, long button payloads) through its store repository.
"""
