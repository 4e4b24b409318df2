-- Anonymous polls: voted with buttons, never with a member's id stored.
-- While a poll is open each ballot is keyed by HMAC-SHA256(secret, user id) with the poll's own random
-- secret; closing the poll stores the per-answer totals, then deletes the secret and every ballot.
CREATE TABLE anonymous_polls (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    channel_id          INTEGER NOT NULL,
    message_id          INTEGER,                -- the poll post, once it is up
    question            TEXT NOT NULL,
    multiselect         INTEGER NOT NULL DEFAULT 0,
    hidden_results      INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER NOT NULL,       -- the host who asked (not a voter)
    created_at          TEXT NOT NULL,
    ends_at             TEXT NOT NULL,
    closed_at           TEXT,
    secret              BLOB,                   -- NULL once closed: nothing then links a vote to a voter
    voters              INTEGER,                -- final number of people who voted
    results_message_id  INTEGER,
    CHECK ((closed_at IS NULL) = (secret IS NOT NULL))
);
CREATE INDEX anonymous_polls_due ON anonymous_polls (ends_at) WHERE closed_at IS NULL;
CREATE INDEX anonymous_polls_guild ON anonymous_polls (guild_id, id);

CREATE TABLE anonymous_poll_answers (
    poll_id      INTEGER NOT NULL REFERENCES anonymous_polls (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,              -- 1-based, in the order asked
    text         TEXT NOT NULL,
    emoji        TEXT,
    final_count  INTEGER,                       -- set when the poll closes
    PRIMARY KEY (poll_id, position)
);

-- WITHOUT ROWID and keyed by the hash: rows keep no order of arrival that could be matched to who voted when.
CREATE TABLE anonymous_poll_ballots (
    poll_id    INTEGER NOT NULL REFERENCES anonymous_polls (id) ON DELETE CASCADE,
    voter_key  TEXT NOT NULL,                   -- hex HMAC-SHA256(poll secret, user id)
    positions  TEXT NOT NULL,                   -- the answers chosen, e.g. "1" or "1,3"
    PRIMARY KEY (poll_id, voter_key)
) WITHOUT ROWID;
