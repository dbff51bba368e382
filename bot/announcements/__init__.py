"""Announcements: staff compose a message, preview and confirm it; the outbox worker sends it.

compose, preflight, plan, render, timezones: the draft, its checks, preview and send time.
worker (`OutboxWorker`: lease, recovery, scheduler), sender (`ChannelSender`: one channel's
lane, retries, hand-over at the wire), lease (holder names), pace, config: the sending side.
"""
