"""Handover to staff, the sending side: the relay worker that posts new tickets to staff chats
and delivers staff answers to users over their own channel (docs/handover.md).

At the level of `bot.announcements`: it needs running channels (`bot.core.delivery.Channel`)
and the store; the web app and the runtime start and stop it next to the outbox worker.
"""
