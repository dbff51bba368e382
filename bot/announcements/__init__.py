"""Messages staff send to people: announcements (compose, preview, confirm; the outbox
worker sends them) and the ticket relay (new tickets to staff chats, staff answers to users).

Both need running channels (`bot.core.delivery.Channel`) and the store; the web app and the
runtime start and stop them. May import `answers`, `core` and below; never a channel
implementation or a handler.
"""
