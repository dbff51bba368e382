-- Telegram: update ids already handled (Telegram redelivers an update when our answer timed
-- out; polling redelivers after a crash before the offset was acknowledged), pruned after a
-- few days; and button payloads longer than Telegram's 64-byte callback_data, by short key.
CREATE TABLE telegram_updates (
    update_id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL
);
CREATE INDEX telegram_updates_received ON telegram_updates (received_at);

CREATE TABLE telegram_callbacks (
    key TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
