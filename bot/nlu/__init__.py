"""Language understanding of informal Indonesian: pure functions, no I/O per message.

`understander` (NluUnderstander: a message's questions, framing dropped, follow-ups),
`segments` (sentences, framing, asking sentences), `language` (an English message),
`model` (IntentModel: normalization, placeholders, features, the two classifiers),
`trained` (the artefact), `artefact` (the process-wide model and its cache), `data`
(loading intents.yml, vocabulary.yml, place names), `slots` and `money` (slot reading),
`normalize` (slang, typos), `rules` (exact commands), `classifier`, `faq`, `evaluation`.
"""

from bot.domain.understanding import Slots, Understander, Understanding

__all__ = ["Slots", "Understander", "Understanding"]
