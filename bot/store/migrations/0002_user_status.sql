-- A user the platform can no longer reach (blocked the bot, number gone) is inactive:
-- announcements skip them until they write again.
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
