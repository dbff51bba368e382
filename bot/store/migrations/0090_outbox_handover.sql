-- The outbox knows which rows were handed to the platform (a crash flags only those as
-- possibly sent twice, not every claimed row) and since when a row keeps failing
-- transiently (it is retried for a configured period, then reported failed).
ALTER TABLE outbox ADD COLUMN handed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN first_failed_at TEXT NOT NULL DEFAULT '';
