"""Language understanding of informal Indonesian: pure functions, no I/O per message."""

from bot.domain.understanding import Slots, Understander, Understanding

__all__ = ["Slots", "Understander", "Understanding"]
