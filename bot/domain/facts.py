"""What an answer needs from the fact store, when the store does not have it."""

from __future__ import annotations


class FactMissing(LookupError):
    """A fact an answer needs is not in force today (`bot.answers.facts.need`).

    Raised instead of answering with a guess; the dispatcher turns it into the one honest
    reply: the bot does not know, ask call centre 175 (never a default figure).
    """

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key
