-- Servers the bot left (their data is purged after a grace period) and bot posts waiting to be removed
-- after their data was erased (kept until Discord confirms, so a crash loses none).
CREATE TABLE departed_guilds (
    guild_id INTEGER PRIMARY KEY,
    left_at  TEXT NOT NULL
);
CREATE INDEX departed_guilds_by_time ON departed_guilds (left_at);

CREATE TABLE pending_removals (
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    thread_id  INTEGER,
    PRIMARY KEY (channel_id, message_id)
);
