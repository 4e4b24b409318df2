-- Anonymous polls become polls like the others (one table, one numbering, in /poll list, results, export
-- and trends), and weekly schedules can be anonymous and hide their results until each week closes.
-- An anonymous poll keeps its own random secret in `polls.secret` while open; its ballots are keyed by
-- HMAC-SHA256(secret, member id), never by the id. Closing it keeps the per-answer totals and deletes the
-- secret and every ballot in the same transaction.
ALTER TABLE polls ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN secret BLOB;
ALTER TABLE polls ADD COLUMN legacy_anonymous_id INTEGER;   -- its number before this migration (old buttons)
CREATE UNIQUE INDEX polls_legacy_anonymous ON polls (legacy_anonymous_id) WHERE legacy_anonymous_id IS NOT NULL;

ALTER TABLE poll_schedules ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE poll_schedules ADD COLUMN hidden_results INTEGER NOT NULL DEFAULT 0;

-- WITHOUT ROWID and keyed by the hash: rows keep no order of arrival that could be matched to who voted when.
CREATE TABLE poll_ballots (
    poll_id    INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    voter_key  TEXT NOT NULL,                   -- hex HMAC-SHA256(poll secret, member id)
    answer_id  INTEGER NOT NULL,
    PRIMARY KEY (poll_id, voter_key, answer_id)
) WITHOUT ROWID;

-- The anonymous polls of 0006, moved over (secret and ballots of open ones too, so votes stay valid).
INSERT INTO polls (guild_id, channel_id, message_id, question, multiselect, hidden_results, duration_hours,
                   created_by, created_at, ends_at, ended_at, voters, counts_source, results_message_id,
                   anonymous, secret, legacy_anonymous_id)
SELECT guild_id, channel_id, message_id, question, multiselect, hidden_results,
       MAX(1, CAST(ROUND((julianday(ends_at) - julianday(created_at)) * 24) AS INTEGER)),
       created_by, created_at, ends_at, closed_at, voters, CASE WHEN closed_at IS NULL THEN NULL ELSE 'ballots' END,
       results_message_id, 1, secret, id
FROM anonymous_polls WHERE message_id IS NOT NULL ORDER BY id;

INSERT INTO poll_answers (poll_id, answer_id, text, emoji, final_count)
SELECT p.id, a.position, a.text, a.emoji, a.final_count
FROM anonymous_poll_answers a JOIN polls p ON p.legacy_anonymous_id = a.poll_id;

INSERT INTO poll_ballots (poll_id, voter_key, answer_id)
SELECT p.id, b.voter_key, CAST(j.value AS INTEGER)
FROM anonymous_poll_ballots b
JOIN polls p ON p.legacy_anonymous_id = b.poll_id
JOIN json_each('[' || b.positions || ']') j;

DROP TABLE anonymous_poll_ballots;
DROP TABLE anonymous_poll_answers;
DROP TABLE anonymous_polls;
