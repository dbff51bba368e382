-- Handover to staff (issue 16): a ticket per request for a person, its messages, where it was
-- posted for staff (to map a Telegram reply back to the ticket) and a durable relay outbox
-- (notifications to staff, answers to users: claimed, marked sent, never sent twice).
-- Everything hangs off `users` with ON DELETE CASCADE: /hapusdata removes a person's tickets.
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    locale TEXT NOT NULL,
    region_code TEXT,
    topic TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'answered', 'closed')),
    claimed_by TEXT,
    reopened INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    first_answer_at TEXT,
    answered_at TEXT,
    closed_at TEXT
);
-- One open ticket per user.
CREATE UNIQUE INDEX tickets_one_open ON tickets (user_id) WHERE status IN ('open', 'claimed');
CREATE INDEX tickets_status ON tickets (status, updated_at);

CREATE TABLE ticket_messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author TEXT NOT NULL CHECK (author IN ('context', 'user', 'staff')),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id);

CREATE TABLE ticket_posts (
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    PRIMARY KEY (channel, chat_id, message_id)
);
CREATE INDEX ticket_posts_ticket ON ticket_posts (ticket_id);

CREATE TABLE ticket_relays (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('notify', 'answer')),
    channel TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    text TEXT NOT NULL,
    buttons TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'waiting', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before TEXT NOT NULL,
    waiting_notice INTEGER NOT NULL DEFAULT 0,
    possible_duplicate INTEGER NOT NULL DEFAULT 0,
    via_template INTEGER NOT NULL DEFAULT 0,
    message_id TEXT,
    error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX ticket_relays_due ON ticket_relays (state, channel, not_before);
CREATE INDEX ticket_relays_ticket ON ticket_relays (ticket_id);
