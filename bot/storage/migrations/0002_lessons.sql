-- Lessons: the course itself, its search indexes and each learner's progress.
CREATE TABLE lessons (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    module      TEXT NOT NULL,
    sort_order  INTEGER NOT NULL,          -- the file's `order`
    position    INTEGER NOT NULL DEFAULT 0, -- 1-based place in course order, kept up to date by LessonStore
    body        TEXT NOT NULL,
    source      TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    tags        TEXT NOT NULL DEFAULT '[]', -- JSON arrays of strings
    aliases     TEXT NOT NULL DEFAULT '[]',
    related     TEXT NOT NULL DEFAULT '[]',
    names       TEXT NOT NULL DEFAULT '',  -- title, slug and aliases normalised, one a line, for autocomplete
    updated_at  TEXT NOT NULL
);
CREATE INDEX lessons_position ON lessons (position);
CREATE INDEX lessons_module ON lessons (module, position);
CREATE INDEX lessons_title ON lessons (title COLLATE NOCASE);

-- Aliases, case-folded, for exact look-ups of what a learner typed.
CREATE TABLE lesson_aliases (
    alias      TEXT PRIMARY KEY,
    lesson_id  INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX lesson_aliases_lesson ON lesson_aliases (lesson_id);

-- Full-text search over titles, tags (and aliases) and bodies as plain text; rowid = lessons.id.
CREATE VIRTUAL TABLE lessons_fts USING fts5 (
    title, tags, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- Titles and tags (as in lessons_fts) and, instead of the body, as many filler words as it has: bm25 gives
-- the same scores as lessons_fts restricted to titles and tags, without reading body word lists, when
-- a search has only words found in very many lessons. rowid = lessons.id.
CREATE VIRTUAL TABLE lesson_labels_fts USING fts5 (
    title, tags, body_padding,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- Autocomplete over title, slug and aliases: by trigrams (typo tolerant) and by word prefixes.
CREATE VIRTUAL TABLE lesson_names_trigram USING fts5 (names, tokenize = 'trigram');
CREATE VIRTUAL TABLE lesson_names_words USING fts5 (
    names,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2'
);

-- The distinct words of all names, to correct a misspelt word before looking it up.
CREATE VIRTUAL TABLE lesson_names_vocab USING fts5vocab (lesson_names_words, row);
-- The same words in a plain table, refreshed by LessonStore after each change: reading a range of it
-- is quick, where fts5vocab counts the documents of every term it passes.
CREATE TABLE lesson_name_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
-- How many names hold each trigram, to leave out those too common to tell typo matches apart.
CREATE VIRTUAL TABLE lesson_names_trigram_vocab USING fts5vocab (lesson_names_trigram, row);

CREATE TRIGGER lessons_delete_indexes AFTER DELETE ON lessons BEGIN
    DELETE FROM lessons_fts WHERE rowid = old.id;
    DELETE FROM lesson_labels_fts WHERE rowid = old.id;
    DELETE FROM lesson_names_trigram WHERE rowid = old.id;
    DELETE FROM lesson_names_words WHERE rowid = old.id;
END;

-- What each learner marked as done, per server.
CREATE TABLE lesson_progress (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    lesson_id  INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    done_at    TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, lesson_id)
) WITHOUT ROWID;
CREATE INDEX lesson_progress_lesson ON lesson_progress (lesson_id);
-- Forgetting one member in every server (a privacy request) reads by user.
CREATE INDEX lesson_progress_user ON lesson_progress (user_id);
