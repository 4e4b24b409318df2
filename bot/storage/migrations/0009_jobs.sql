-- The durable job queue: every Discord side effect that follows a state change (a post, a DM, a deletion,
-- a ban, a #mod-log line), stored in the same transaction as the change and run by one runner.
-- Times as Unix seconds (REAL), so due times compare as numbers.
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,                 -- which handler runs it, e.g. 'story.publish'
    idempotency_key TEXT    NOT NULL UNIQUE,          -- one job per effect: enqueueing it again keeps this one
    guild_id        INTEGER,
    payload         TEXT    NOT NULL DEFAULT '{}',    -- JSON: what the handler needs
    state           TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'running', 'done', 'dead')),
    due_at          REAL    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,       -- attempts started, the running one included
    max_attempts    INTEGER NOT NULL,
    lease_until     REAL,                             -- a running job belongs to its runner until then
    last_error      TEXT,
    result          TEXT    NOT NULL DEFAULT '{}',    -- JSON: what it did so far (posted message ids ...)
    created_at      REAL    NOT NULL,
    finished_at     REAL
);
CREATE INDEX jobs_due ON jobs (state, due_at);
CREATE INDEX jobs_by_guild ON jobs (guild_id, state);
