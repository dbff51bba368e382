"""Announcements: staff compose a message, preview and confirm it; the outbox worker sends it."""
