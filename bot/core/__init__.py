"""Core: a person's turn, from a normalized message to the replies, channel-agnostic.

The dispatcher (one message at a time per person, the language chosen once), answering
(each question of a message in order; settings and mistyped amounts confirmed first), routing to
handlers, the handler context, button payloads, input guards, catalogues and Babel formatting,
FAQ/privacy refinement, metrics, and the delivery protocol channels implement. May import
`domain`, `regions`, `nlu`, `store` (its facade and models), `config` and `logs`; never a
channel, a handler or a platform SDK.
"""
