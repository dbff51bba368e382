-- A user who says they lead (or speak for) a village. Unverified until staff confirm it;
-- deleting the user deletes the link.
CREATE TABLE village_heads (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    village_code TEXT NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0,
    verified_by TEXT,
    created_at TEXT NOT NULL,
    verified_at TEXT
);
CREATE INDEX village_heads_pending ON village_heads (verified, created_at);
CREATE INDEX village_heads_village ON village_heads (village_code);
