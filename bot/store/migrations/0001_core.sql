-- Core schema: people, conversation state, the question log, shipped facts, seed bookkeeping.
-- Migrations 0010-0019 belong to understanding/answers, 0020-0029 to regions and coverage,
-- 0030-0039 to Telegram, 0040-0049 to WhatsApp, 0050-0059 to announcements, 0060-0069 to
-- operations.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    locale TEXT,
    region_code TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    UNIQUE (channel, external_id)
);

CREATE TABLE conversation_state (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    intent TEXT NOT NULL,
    slots TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (user_id, region_code)
);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    intent TEXT NOT NULL,
    score REAL NOT NULL,
    answered INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX questions_unanswered ON questions (answered, created_at);

CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    value TEXT,
    unit TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    status TEXT NOT NULL CHECK (status IN ('vetted', 'secondary', 'uncertain')),
    source TEXT NOT NULL,
    refs TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'seed',
    UNIQUE (key, valid_from)
);

CREATE TABLE roles (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('staff', 'village_head')),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL
);
