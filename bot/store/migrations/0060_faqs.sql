-- Answers staff add without a deploy (`jamsosbot faq add`, `/faq tambah`): matched against
-- their example phrasings when the classifier falls back. Not personal data: no user reference.
CREATE TABLE faqs (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    answer_en TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    added_via TEXT NOT NULL DEFAULT 'cli',
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE faq_examples (
    id INTEGER PRIMARY KEY,
    faq_id INTEGER NOT NULL REFERENCES faqs (id) ON DELETE CASCADE,
    text TEXT NOT NULL
);
CREATE INDEX faq_examples_faq ON faq_examples (faq_id);

-- The retention purge of the question log reads created_at.
CREATE INDEX IF NOT EXISTS questions_created ON questions (created_at);
CREATE INDEX IF NOT EXISTS questions_user ON questions (user_id);
