-- Polls: every poll posted, its answers (with Discord's final counts), the votes the bot saw,
-- weekly schedules, their question queue, and which weeks ran (so a week is never posted twice).
CREATE TABLE poll_schedules (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,
    question        TEXT NOT NULL,
    answers_json    TEXT NOT NULL,
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    time_of_day     TEXT NOT NULL,              -- local HH:MM
    timezone        TEXT NOT NULL,              -- IANA name
    duration_hours  INTEGER NOT NULL,
    multiselect     INTEGER NOT NULL DEFAULT 0,
    paused          INTEGER NOT NULL DEFAULT 0,
    next_run_at     TEXT NOT NULL,              -- UTC instant of the next week due
    created_by      INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    removed_at      TEXT
);
CREATE INDEX poll_schedules_due ON poll_schedules (next_run_at) WHERE removed_at IS NULL AND paused = 0;
CREATE INDEX poll_schedules_guild ON poll_schedules (guild_id);

CREATE TABLE polls (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    channel_id          INTEGER NOT NULL,
    message_id          INTEGER UNIQUE,
    question            TEXT NOT NULL,
    multiselect         INTEGER NOT NULL DEFAULT 0,
    hidden_results      INTEGER NOT NULL DEFAULT 0,
    duration_hours      INTEGER NOT NULL,
    schedule_id         INTEGER REFERENCES poll_schedules (id),
    week                TEXT,                   -- the schedule's local date for this poll
    created_by          INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    ends_at             TEXT NOT NULL,
    ended_at            TEXT,
    voters              INTEGER,                -- final number of people who voted
    counts_source       TEXT,                   -- 'discord' or 'seen' (message gone: votes the bot saw)
    results_message_id  INTEGER
);
CREATE INDEX polls_open ON polls (ends_at) WHERE ended_at IS NULL;
CREATE INDEX polls_guild ON polls (guild_id, id);
CREATE UNIQUE INDEX polls_schedule_week ON polls (schedule_id, week) WHERE schedule_id IS NOT NULL;

CREATE TABLE poll_answers (
    poll_id     INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    answer_id   INTEGER NOT NULL,               -- Discord's 1-based answer id
    text        TEXT NOT NULL,
    emoji       TEXT,
    final_count INTEGER,
    PRIMARY KEY (poll_id, answer_id)
);

CREATE TABLE poll_votes (
    poll_id     INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    answer_id   INTEGER NOT NULL,
    voted_at    TEXT NOT NULL,
    PRIMARY KEY (poll_id, user_id, answer_id)
);

CREATE TABLE poll_queue (
    id              INTEGER PRIMARY KEY,
    schedule_id     INTEGER NOT NULL REFERENCES poll_schedules (id) ON DELETE CASCADE,
    question        TEXT NOT NULL,
    answers_json    TEXT NOT NULL,
    added_by        INTEGER NOT NULL,
    added_at        TEXT NOT NULL,
    used_week       TEXT                        -- set when a week took this question
);
CREATE INDEX poll_queue_next ON poll_queue (schedule_id, id) WHERE used_week IS NULL;

CREATE TABLE poll_schedule_runs (
    schedule_id INTEGER NOT NULL REFERENCES poll_schedules (id) ON DELETE CASCADE,
    week        TEXT NOT NULL,                  -- local date of the occurrence
    due_at      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped', 'failed')),
    poll_id     INTEGER REFERENCES polls (id),
    queue_id    INTEGER REFERENCES poll_queue (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (schedule_id, week)
);
