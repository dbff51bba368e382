-- Announcements: the staff audit log, broadcasts, and the durable outbox (one row per
-- recipient). An outbox row belongs to a person, so deleting the user deletes it.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,                 -- "telegram:123", "whatsapp:628...", "cli:<login>"
    action TEXT NOT NULL,                -- role.grant, role.revoke, broadcast.draft, ...
    subject TEXT NOT NULL DEFAULT '',    -- who or what the action was about
    recipients INTEGER,                  -- how many people a broadcast action reaches
    detail TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);

CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    created_by TEXT NOT NULL,
    text_id TEXT NOT NULL,
    text_en TEXT,
    region_code TEXT,                    -- Kemendagri code prefix; NULL = every subscriber
    village_heads INTEGER NOT NULL DEFAULT 0,
    language TEXT,                       -- only users with this language; NULL = all
    send_at TEXT,                        -- UTC; NULL = as soon as confirmed
    status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'done', 'cancelled')),
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    finished_at TEXT
);
CREATE INDEX broadcasts_status ON broadcasts (status, send_at);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    locale TEXT NOT NULL,
    state TEXT NOT NULL CHECK (
        state IN ('pending', 'in_flight', 'sent', 'failed', 'blocked', 'cancelled', 'skipped')
    ),
    attempts INTEGER NOT NULL DEFAULT 0,
    possible_duplicate INTEGER NOT NULL DEFAULT 0,  -- was in flight when the sender died
    via_template INTEGER NOT NULL DEFAULT 0,
    not_before TEXT NOT NULL DEFAULT '',            -- UTC; retry backoff
    last_error TEXT NOT NULL DEFAULT '',
    platform_message_id TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (broadcast_id, user_id)
);
CREATE INDEX outbox_due ON outbox (channel, state, not_before);
CREATE INDEX outbox_user ON outbox (user_id);
