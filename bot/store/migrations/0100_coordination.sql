-- Several workers on one database (docs/scale.md).
--
-- A kept inbound message (a Telegram update, a WhatsApp message) is claimed by the worker
-- answering it: `claimed_by` (the worker's name) until `claimed_until` (UTC, ISO 8601), an
-- expiry the worker keeps renewing while it lives. A redelivery, or another worker's replay,
-- takes a message only when it is unclaimed or its claim has expired (a worker killed with
-- kill -9 stops renewing): so exactly one worker answers it.
ALTER TABLE telegram_pending ADD COLUMN claimed_by TEXT;
ALTER TABLE telegram_pending ADD COLUMN claimed_until TEXT;
ALTER TABLE whatsapp_inbound ADD COLUMN claimed_by TEXT;
ALTER TABLE whatsapp_inbound ADD COLUMN claimed_until TEXT;
CREATE INDEX whatsapp_inbound_claimed ON whatsapp_inbound (claimed_by)
    WHERE claimed_by IS NOT NULL;

-- A platform's send cap shared by every worker (one bot token, one WhatsApp number): the
-- GCRA's theoretical arrival time of the next message, in seconds since the Unix epoch,
-- moved forward atomically by each send (bot/store/pacing.py). Used on PostgreSQL; a SQLite
-- bot is one process and paces in memory.
CREATE TABLE pacing (
    key TEXT PRIMARY KEY,
    tat REAL NOT NULL
);
