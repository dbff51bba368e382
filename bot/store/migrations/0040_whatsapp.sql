-- WhatsApp channel: identities, handled inbound message ids, and outgoing message statuses.

-- How to reach a person on WhatsApp: by phone (wa_id), by business-scoped user id (BSUID,
-- "US.123..."; users with a username may hide their phone), or both. Send to whichever exists.
CREATE TABLE whatsapp_contacts (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    wa_id TEXT UNIQUE,
    bsuid TEXT UNIQUE,
    updated_at TEXT NOT NULL,
    CHECK (wa_id IS NOT NULL OR bsuid IS NOT NULL)
);

-- Inbound message ids (wamid) already taken: Meta re-delivers webhooks for days, and a
-- message must never be answered twice, across restarts. No personal data is kept here.
-- `pending` keeps the content of a message accepted but not yet answered, so that an answer
-- cut off by a crash is given at the next start; it is cleared as soon as it is answered.
CREATE TABLE whatsapp_inbound (
    wamid TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    handled_at TEXT,
    pending TEXT
);
CREATE INDEX whatsapp_inbound_received ON whatsapp_inbound (received_at);

-- Messages the bot sent and the latest status Meta reported (sent, delivered, read, failed
-- with an error code): the announcements report reads these.
CREATE TABLE whatsapp_outgoing (
    wamid TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'bulk', 'template')),
    status TEXT NOT NULL CHECK (status IN ('accepted', 'sent', 'delivered', 'read', 'failed')),
    error_code INTEGER,
    error_title TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX whatsapp_outgoing_user ON whatsapp_outgoing (user_id);
CREATE INDEX whatsapp_outgoing_created ON whatsapp_outgoing (kind, created_at);
