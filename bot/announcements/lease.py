"""The sender lease's holder names: who sends the outbox, and whether that process is gone."""

from __future__ import annotations

import os
import socket
import uuid

from bot.store.broadcasts import SenderLease

LEASE_SECONDS = 60.0  # a sender that stops renewing (a crash) frees the outbox after this


class SenderBusy(Exception):
    """Another process sends the outbox right now (its lease is live)."""

    def __init__(self, lease: SenderLease):
        super().__init__(
            f"announcements are being sent by {lease.holder}"
            f" (lease until {lease.expires_at:%Y-%m-%d %H:%M:%S} UTC)"
        )
        self.lease = lease


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def is_gone(holder: str) -> bool:
    """Whether a lease holder is known to be dead: an earlier worker of this process (one
    runs per process), or a process of this host that no longer exists (a crash)."""
    host, _, rest = holder.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
