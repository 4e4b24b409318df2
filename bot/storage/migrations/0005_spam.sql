-- Spam filter: per-server settings, trusted and blocked domains, incidents with every copy of the
-- message, and each moderator decision. Clean messages are never written here.
CREATE TABLE spam_settings (
    guild_id            INTEGER PRIMARY KEY,
    flag_threshold      REAL,                        -- NULL: the shipped default
    delete_threshold    REAL,
    delete_enabled      INTEGER CHECK (delete_enabled IN (0, 1)),
    new_member_days     REAL,
    timeout_minutes     INTEGER,
    protected_names     TEXT NOT NULL DEFAULT '[]',  -- JSON list, added to the shipped names
    exempt_role_ids     TEXT NOT NULL DEFAULT '[]',  -- JSON list of role ids
    exempt_channel_ids  TEXT NOT NULL DEFAULT '[]',  -- JSON list of channel ids
    updated_by          INTEGER,
    updated_at          TEXT NOT NULL
);

-- A domain is on at most one of the server's lists.
CREATE TABLE spam_domains (
    guild_id    INTEGER NOT NULL,
    domain      TEXT NOT NULL,
    list        TEXT NOT NULL CHECK (list IN ('allow', 'block')),
    added_by    INTEGER,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (guild_id, domain)
);

CREATE TABLE spam_incidents (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    number            INTEGER NOT NULL,                -- per-server number moderators see (#1, #2, ...)
    author_id         INTEGER NOT NULL,
    author_name       TEXT NOT NULL,
    flood_key         TEXT,                            -- copies of one flood share it
    action            TEXT NOT NULL CHECK (action IN ('flag', 'delete')),   -- what the filter did
    score             REAL NOT NULL,
    reasons           TEXT NOT NULL DEFAULT '[]',      -- JSON list of sentences moderators read
    reason_codes      TEXT NOT NULL DEFAULT '[]',      -- JSON list of signal codes
    status            TEXT NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'dismissed', 'deleted', 'timed_out', 'banned')),
    account_age_days  REAL,
    member_age_days   REAL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    queue_channel_id  INTEGER,                         -- the incident post in #mod-queue
    queue_message_id  INTEGER,
    UNIQUE (guild_id, number)
);
CREATE INDEX spam_incidents_by_time ON spam_incidents (guild_id, created_at);
CREATE INDEX spam_incidents_by_flood ON spam_incidents (guild_id, flood_key, status);

CREATE TABLE spam_incident_domains (
    incident_id  INTEGER NOT NULL REFERENCES spam_incidents (id) ON DELETE CASCADE,
    domain       TEXT NOT NULL,
    PRIMARY KEY (incident_id, domain)
);

-- Every copy of the message, with its text kept even after the message is deleted.
CREATE TABLE spam_copies (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES spam_incidents (id) ON DELETE CASCADE,
    channel_id   INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,
    content      TEXT NOT NULL,
    posted_at    TEXT NOT NULL,
    edited       INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
    deleted_at   TEXT,
    deleted_by   INTEGER,                              -- NULL with deleted_at set: the filter deleted it
    UNIQUE (incident_id, message_id)
);
CREATE INDEX spam_copies_by_message ON spam_copies (message_id);

CREATE TABLE spam_decisions (
    id            INTEGER PRIMARY KEY,
    incident_id   INTEGER NOT NULL REFERENCES spam_incidents (id) ON DELETE CASCADE,
    guild_id      INTEGER NOT NULL,
    moderator_id  INTEGER,                             -- NULL: the filter itself
    action        TEXT NOT NULL CHECK (action IN
                  ('auto_delete', 'dismiss', 'delete', 'timeout', 'ban', 'trust_domain', 'block_domain')),
    detail        TEXT NOT NULL DEFAULT '',
    decided_at    TEXT NOT NULL
);
CREATE INDEX spam_decisions_by_incident ON spam_decisions (incident_id, id);
CREATE INDEX spam_decisions_by_time ON spam_decisions (guild_id, decided_at);
