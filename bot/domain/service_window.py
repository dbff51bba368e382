"""WhatsApp's customer service window: free-form messages only within 24 hours of the
person's last message; after that only an approved template may be sent.

One rule with one margin, used by the audience count (store), the outbox (announcements) and
the channel's last check before sending.
"""

from __future__ import annotations

from datetime import datetime, timedelta

SERVICE_WINDOW = timedelta(hours=24)
# A free-form send is not started in the window's last minutes: it takes time to reach the
# phone, and the outbox may hold a claimed row a little while before sending it.
SEND_MARGIN = timedelta(minutes=10)


def window_opened_after(now: datetime) -> datetime:
    """People whose last message came after this may still get a free-form message now."""
    return now - SERVICE_WINDOW + SEND_MARGIN


def inside_window(last_seen: datetime | None, now: datetime) -> bool:
    """Whether a free-form message may be started now for someone last seen at `last_seen`."""
    return last_seen is not None and last_seen > window_opened_after(now)
