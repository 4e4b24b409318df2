-- Per-server settings: where the bot posts and who moderates or hosts.
CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    mod_queue_channel_id INTEGER,
    stories_channel_id  INTEGER,
    polls_channel_id    INTEGER,
    mod_log_channel_id  INTEGER,
    moderator_role_id   INTEGER,
    host_role_id        INTEGER,
    timezone            TEXT,
    updated_at          TEXT NOT NULL
);
