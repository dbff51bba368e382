-- PostgreSQL twin of ../0031_telegram_pending.sql (a trigger is written differently).
-- Telegram updates accepted but not answered yet: kept (as the update's JSON) before the
-- webhook's 200 or the next getUpdates acknowledges them, deleted once answered (the id then
-- goes to telegram_updates). A crash leaves them here; the next start answers the recent ones.
CREATE TABLE telegram_pending (
    update_id BIGINT PRIMARY KEY,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX telegram_pending_received ON telegram_pending (received_at);

-- Answered: the id goes to telegram_updates, and its kept content goes with the same write
-- (one statement on the answer path).
CREATE FUNCTION telegram_pending_answered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM telegram_pending WHERE update_id = NEW.update_id;
    RETURN NEW;
END $$;

CREATE TRIGGER telegram_pending_answered AFTER INSERT ON telegram_updates
FOR EACH ROW EXECUTE FUNCTION telegram_pending_answered();
