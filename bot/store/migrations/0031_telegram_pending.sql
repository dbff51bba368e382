-- Telegram updates accepted but not answered yet: kept (as the update's JSON) before the
-- webhook's 200 or the next getUpdates acknowledges them, deleted once answered (the id then
-- goes to telegram_updates). A crash leaves them here; the next start answers the recent ones.
CREATE TABLE telegram_pending (
    update_id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX telegram_pending_received ON telegram_pending (received_at);
