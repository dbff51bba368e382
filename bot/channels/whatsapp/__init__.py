"""WhatsApp over the Cloud API with pywa: signed webhooks in, session messages out.

The only package (with its tests) that imports `pywa`. It parses webhook bodies, claims each
inbound message once through its store repository, hands an `Incoming` to the core's
dispatcher and renders replies as text, reply buttons or lists.
"""
