-- Learner stories: submitted through a modal, reviewed by moderators, published in #stories.
CREATE TABLE stories (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    number           INTEGER NOT NULL,            -- the short per-server number learners see (#1, #2, ...)
    author_id        INTEGER NOT NULL,
    author_name      TEXT    NOT NULL,            -- display name when shared, for credit and export
    anonymous        INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    lesson_slug      TEXT,
    title            TEXT    NOT NULL,
    tried            TEXT    NOT NULL,
    worked           TEXT    NOT NULL,
    did_not_work     TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'published', 'declined', 'withdrawn')),
    flagged          INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),   -- by the spam filter
    spam_score       REAL    NOT NULL DEFAULT 0,
    spam_reasons     TEXT    NOT NULL DEFAULT '[]',                          -- JSON list of sentences
    submitted_at     TEXT    NOT NULL,
    decided_by       INTEGER,
    decided_at       TEXT,
    decline_reason   TEXT,
    edited           INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),    -- edited by the approving moderator
    withdrawn_at     TEXT,
    queue_channel_id INTEGER,                     -- the review post in #mod-queue
    queue_message_id INTEGER,
    post_channel_id  INTEGER,                     -- the published post in #stories and its thread
    post_message_id  INTEGER,
    thread_id        INTEGER,
    UNIQUE (guild_id, number)
);
CREATE INDEX stories_by_status ON stories (guild_id, status, number);
CREATE INDEX stories_by_decision ON stories (guild_id, status, decided_at, number);  -- browse: newest first
CREATE INDEX stories_by_author ON stories (guild_id, author_id, number);
CREATE INDEX stories_by_lesson ON stories (guild_id, lesson_slug, status, decided_at, number);
