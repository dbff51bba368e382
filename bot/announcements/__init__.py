"""Messages staff send to people: announcements and the ticket relay.

Announcements: compose, preflight, plan, render, timezones (the draft, its checks, preview and
send time); worker (`OutboxWorker`: lease, recovery, scheduler), sender (`ChannelSender`: one
channel's lane, retries, hand-over at the wire), lease (holder names), pace, config. The
ticket relay (`ticket_relay`) posts new tickets to staff chats and delivers staff answers.

Both need running channels (`bot.core.delivery.Channel`) and the store; the web app and the
runtime start and stop them. May import `answers`, `core` and below; never a channel
implementation or a handler.
"""
