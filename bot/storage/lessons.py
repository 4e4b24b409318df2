"""SQL for lessons: the course, its full-text and autocomplete indexes, and learners' progress."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

import discord
from aiosqlite import Connection
from rapidfuzz import fuzz, process

from bot.lessons.model import (
    ImportSummary,
    Lesson,
    LessonRef,
    ModuleProgress,
    OutlineEntry,
    Progress,
    SearchHit,
)
from bot.lessons.text import (
    HIGHLIGHT_CLOSE,
    HIGHLIGHT_OPEN,
    any_of,
    format_excerpt,
    markdown_to_plain,
    normalize_name,
    prefix_query,
    search_terms,
    trigram_phrases,
)
from bot.storage.database import Database

_LESSON_COLUMNS = "slug, title, module, sort_order, body, source, summary, tags, aliases, related"
_REF_COLUMNS = "slug, title, module"
CANDIDATES = 30
"""Rows the indexes hand to the fuzzy re-ranker for one autocomplete."""
COMMON = 1000
"""A word in this many lessons is "common": costly to rank on, and worth little to bm25."""
COMMON_TRIGRAM = 400
"""A trigram in this many names is too common to tell typo matches apart."""
MIN_SCORE = 45.0
"""Autocomplete choices scoring below this (0-100) are noise and are left out."""

# Keeps `position` in course order: modules by their first lesson, then `sort_order`, then slug.
_RENUMBER = """
UPDATE lessons SET position = ranked.pos
FROM (
    SELECT id, ROW_NUMBER() OVER (ORDER BY first_order, module, sort_order, slug) AS pos
    FROM (SELECT id, module, sort_order, slug,
                 MIN(sort_order) OVER (PARTITION BY module) AS first_order FROM lessons)
) AS ranked
WHERE lessons.id = ranked.id AND lessons.position != ranked.pos
"""


def _lesson(row: sqlite3.Row) -> Lesson:
    return Lesson(
        slug=row["slug"],
        title=row["title"],
        module=row["module"],
        order=row["sort_order"],
        body=row["body"],
        source=row["source"],
        summary=row["summary"],
        tags=tuple(json.loads(row["tags"])),
        aliases=tuple(json.loads(row["aliases"])),
        related=tuple(json.loads(row["related"])),
    )


def _ref(row: sqlite3.Row) -> LessonRef:
    return LessonRef(row["slug"], row["title"], row["module"])


def _names(lesson: Lesson) -> str:
    """Everything a learner may type to find a lesson, for the autocomplete indexes."""
    return " | ".join([lesson.title, lesson.slug.replace("-", " "), *lesson.aliases])


def _now() -> str:
    return discord.utils.utcnow().isoformat()


class LessonStore:
    """All lesson SQL. Lessons are shared by every server; progress is per server and learner."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading lessons ------------------------------------------------------------------------

    async def count(self) -> int:
        return int(await self._db.fetchval("SELECT COUNT(*) FROM lessons"))

    async def get(self, slug: str) -> Lesson | None:
        row = await self._db.fetchone(f"SELECT {_LESSON_COLUMNS} FROM lessons WHERE slug = ?", (slug,))
        return _lesson(row) if row else None

    async def find(self, topic: str) -> Lesson | None:
        """The lesson whose slug, alias or title is exactly `topic` (case-insensitive)."""
        text = topic.strip()
        row = await self._db.fetchone(
            f"""SELECT {_LESSON_COLUMNS} FROM lessons WHERE slug = :lower
                UNION ALL SELECT {_LESSON_COLUMNS} FROM lessons
                    WHERE id = (SELECT lesson_id FROM lesson_aliases WHERE alias = :folded)
                UNION ALL SELECT {_LESSON_COLUMNS} FROM lessons WHERE title = :text COLLATE NOCASE
                LIMIT 1""",
            {"lower": text.lower(), "folded": text.casefold(), "text": text},
        )
        return _lesson(row) if row else None

    async def all_lessons(self) -> list[Lesson]:
        """Every lesson in course order."""
        rows = await self._db.fetchall(f"SELECT {_LESSON_COLUMNS} FROM lessons ORDER BY position")
        return [_lesson(row) for row in rows]

    async def refs(self, slugs: Sequence[str]) -> list[LessonRef]:
        """The lessons among `slugs` that exist, in the order given."""
        if not slugs:
            return []
        marks = ", ".join("?" for _ in slugs)
        rows = await self._db.fetchall(f"SELECT {_REF_COLUMNS} FROM lessons WHERE slug IN ({marks})", slugs)
        found = {row["slug"]: _ref(row) for row in rows}
        return [found[slug] for slug in slugs if slug in found]

    async def course(self, limit: int | None = None, offset: int = 0) -> list[LessonRef]:
        rows = await self._db.fetchall(
            f"SELECT {_REF_COLUMNS} FROM lessons ORDER BY position LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [_ref(row) for row in rows]

    async def modules(self) -> list[str]:
        """Module names in course order."""
        rows = await self._db.fetchall("SELECT module FROM lessons GROUP BY module ORDER BY MIN(position)")
        return [row["module"] for row in rows]

    async def position(self, slug: str) -> tuple[int, int] | None:
        """(place in the course from 1, number of lessons), or None for an unknown slug."""
        row = await self._db.fetchone(
            "SELECT position, (SELECT COUNT(*) FROM lessons) AS total FROM lessons WHERE slug = ?", (slug,)
        )
        return (row["position"], row["total"]) if row else None

    async def neighbour(self, slug: str, step: int) -> LessonRef | None:
        """The lesson `step` places after (negative: before) `slug` in course order."""
        row = await self._db.fetchone(
            f"SELECT {_REF_COLUMNS} FROM lessons WHERE position = (SELECT position FROM lessons WHERE slug = ?) + ?",
            (slug, step),
        )
        return _ref(row) if row else None

    async def random(self, guild_id: int, user_id: int) -> Lesson | None:
        """A random lesson, preferring those the learner has not marked as done."""
        row = await self._db.fetchone(
            f"""SELECT {_LESSON_COLUMNS} FROM lessons
                ORDER BY EXISTS (SELECT 1 FROM lesson_progress p WHERE p.lesson_id = lessons.id
                                 AND p.guild_id = ? AND p.user_id = ?), random() LIMIT 1""",
            (guild_id, user_id),
        )
        return _lesson(row) if row else None

    # -- finding lessons ------------------------------------------------------------------------

    async def suggest(self, query: str, limit: int = 25) -> list[LessonRef]:
        """Lessons whose title, slug or alias looks like `query`, best first; typos are forgiven.

        Candidates come from the FTS5 indexes: the words as typed (the last one may be unfinished), then,
        when those are too few, shared trigrams and corrected words. A fuzzy score re-ranks them.
        An empty query gives the course in order.
        """
        text = normalize_name(query)
        if not text:
            return await self.course(limit)
        rows: dict[str, sqlite3.Row] = {}

        def collect(found: list[sqlite3.Row]) -> None:
            for row in found:
                rows.setdefault(row["slug"], row)

        typed = prefix_query(text)
        if typed:
            # One or two letters match too many names for ranking to help; the re-ranker orders them.
            collect(await self._candidates("lesson_names_words", typed, ranked=len(text) > 2))
        if len(rows) < limit:
            grams = trigram_phrases(text)
            counts = await self._capped_counts("lesson_names_trigram", grams, COMMON_TRIGRAM)
            useful = [gram for gram, count in zip(grams, counts, strict=True) if 0 < count < COMMON_TRIGRAM]
            if useful:
                collect(await self._candidates("lesson_names_trigram", any_of(useful)))
            corrected = await self._corrections(text)
            if corrected:
                collect(await self._candidates("lesson_names_words", any_of([f'"{w}"' for w in corrected])))
        scored = []
        for row in rows.values():
            names = (row["title"], row["slug"].replace("-", " "), *json.loads(row["aliases"]))
            score = max(_name_score(text, normalize_name(name)) for name in names)
            if score >= MIN_SCORE:
                scored.append((-score, row["position"], _ref(row)))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [ref for _, _, ref in scored[:limit]]

    async def _capped_counts(self, table: str, phrases: list[str], cap: int) -> list[int]:
        """How many rows match each phrase, counting no further than `cap` (cheap: one statement)."""
        if not phrases:
            return []
        one = f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT {cap}))"
        row = await self._db.fetchone("SELECT " + ", ".join(one for _ in phrases), phrases)
        assert row is not None
        return [int(value) for value in row]

    async def _corrections(self, text: str) -> list[str]:
        """Known name words close to each typed word that is not itself known (same first letter).

        Catches the typos trigrams miss, such as swapped or replaced letters in a short word."""
        out: list[str] = []
        for word in dict.fromkeys(text.split()):
            if len(word) < 3:
                continue
            rows = await self._db.fetchall(
                "SELECT term FROM lesson_names_vocab WHERE term >= ? AND term < ?",
                (word[0], chr(ord(word[0]) + 1)),
            )
            terms = [row["term"] for row in rows]
            if word in terms:
                continue
            out += [term for term, _, _ in process.extract(word, terms, scorer=fuzz.ratio, limit=3, score_cutoff=70)]
        return out

    async def _candidates(self, table: str, fts_query: str, *, ranked: bool = True) -> list[sqlite3.Row]:
        order = "ORDER BY rank" if ranked else ""
        return await self._db.fetchall(
            f"""SELECT l.slug, l.title, l.module, l.position, l.aliases
                FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? {order} LIMIT ?) AS n
                JOIN lessons l ON l.id = n.rowid""",
            (fts_query, CANDIDATES),
        )

    async def search(self, query: str, limit: int = 5) -> list[SearchHit]:
        """Full-text search over titles, tags and bodies, ranked by bm25 (titles count most).

        Words found in very many lessons add little to bm25 but cost the most to rank, so when rarer
        words are present the ranking uses those; with common words only, it looks in titles and tags.
        """
        terms = search_terms(query)
        counts = await self._capped_counts("lessons_fts", terms, COMMON)
        present = [term for term, count in zip(terms, counts, strict=True) if count]
        rows: list[sqlite3.Row] = []
        if present:
            rare = [term for term, count in zip(terms, counts, strict=True) if 0 < count < COMMON]
            ranking = any_of(rare) if rare else f"{{title tags}} : ({any_of(present)})"
            rows = await self._db.fetchall(
                "SELECT rowid, bm25(lessons_fts, 8.0, 4.0, 1.0) AS score FROM lessons_fts "
                "WHERE lessons_fts MATCH ? ORDER BY score LIMIT ?",
                (ranking, limit),
            )
            if not rows and not rare:  # common words, none in a title: any lessons having them all
                rows = await self._db.fetchall(
                    "SELECT rowid, 0.0 AS score FROM lessons_fts WHERE lessons_fts MATCH ? LIMIT ?",
                    (" AND ".join(present), limit),
                )
        hits = await self._hits(rows, any_of(present)) if rows else []
        exact = await self.find(query)
        if exact is not None and (not hits or hits[0].ref.slug != exact.slug):
            # The query names a lesson (its slug, an alias or its title): that lesson comes first.
            found = next((hit for hit in hits if hit.ref.slug == exact.slug), None)
            if found is None:
                excerpt = format_excerpt(exact.summary or _opening(exact.body))
                found = SearchHit(exact.ref, hits[0].score if hits else 0.0, excerpt)
            hits = [found, *(hit for hit in hits if hit.ref.slug != exact.slug)][:limit]
        return hits

    async def _hits(self, ranked: list[sqlite3.Row], highlight: str) -> list[SearchHit]:
        """Lessons and highlighted excerpts for ranked (rowid, score) rows, best first."""
        scores = {row["rowid"]: row["score"] for row in ranked}
        # One `rowid = ?` per hit lets FTS5 seek straight to each row instead of matching them all.
        snippet = f"snippet(lessons_fts, 2, '{HIGHLIGHT_OPEN}', '{HIGHLIGHT_CLOSE}', '…', 24)"
        one = f"SELECT rowid, {snippet} AS excerpt FROM lessons_fts WHERE lessons_fts MATCH ? AND rowid = ?"
        excerpts = await self._db.fetchall(
            " UNION ALL ".join(one for _ in scores), [value for rowid in scores for value in (highlight, rowid)]
        )
        marks = ", ".join("?" for _ in scores)
        refs = await self._db.fetchall(
            f"SELECT id, {_REF_COLUMNS}, position FROM lessons WHERE id IN ({marks})", list(scores)
        )
        by_id = {row["id"]: row for row in refs}
        hits = [
            (
                scores[row["rowid"]],
                by_id[row["rowid"]]["position"],
                SearchHit(_ref(by_id[row["rowid"]]), scores[row["rowid"]], format_excerpt(row["excerpt"])),
            )
            for row in excerpts
            if row["rowid"] in by_id
        ]
        hits.sort(key=lambda item: (item[0], item[1]))
        return [hit for _, _, hit in hits]

    # -- changing lessons -----------------------------------------------------------------------

    async def import_lessons(self, lessons: Iterable[Lesson], *, remove_missing: bool = False) -> ImportSummary:
        """Add and update lessons by slug in one transaction, keeping learners' progress. Lessons that
        are not in `lessons` stay, unless `remove_missing` (then the course becomes exactly `lessons`)."""
        incoming = {lesson.slug: lesson for lesson in lessons}
        current = {lesson.slug: lesson for lesson in await self.all_lessons()}
        added = [slug for slug in incoming if slug not in current]
        updated = [slug for slug in incoming if slug in current and current[slug] != incoming[slug]]
        unchanged = [slug for slug in incoming if slug in current and current[slug] == incoming[slug]]
        missing = [slug for slug in current if slug not in incoming]
        removed = missing if remove_missing else []
        now = _now()
        async with self._db.transaction() as conn:
            if removed:
                await conn.executemany("DELETE FROM lessons WHERE slug = ?", [(slug,) for slug in removed])
            await self._write(conn, [incoming[slug] for slug in added + updated], now)
            await conn.execute(_RENUMBER)
        kept = () if remove_missing else tuple(missing)
        return ImportSummary(tuple(added), tuple(updated), tuple(unchanged), tuple(removed), kept)

    async def add(self, lesson: Lesson) -> None:
        """Add a new lesson; ValueError if the slug is taken."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("SELECT 1 FROM lessons WHERE slug = ?", (lesson.slug,))
            if await cursor.fetchone():
                raise ValueError(f"a lesson with slug {lesson.slug!r} already exists")
            await self._write(conn, [lesson], _now())
            await conn.execute(_RENUMBER)

    async def update(self, lesson: Lesson) -> bool:
        """Replace the lesson with the same slug; False if there is none."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("SELECT 1 FROM lessons WHERE slug = ?", (lesson.slug,))
            if not await cursor.fetchone():
                return False
            await self._write(conn, [lesson], _now())
            await conn.execute(_RENUMBER)
        return True

    async def remove(self, slug: str) -> bool:
        """Delete a lesson (and the progress on it); False if there was none."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM lessons WHERE slug = ?", (slug,))
            if cursor.rowcount == 0:
                return False
            await conn.execute(_RENUMBER)
        return True

    async def free_slug(self, base: str) -> str:
        """`base`, or `base-2`, `base-3` ... whichever is not yet used."""
        rows = await self._db.fetchall(
            "SELECT slug FROM lessons WHERE slug = ? OR slug GLOB ?", (base, f"{base}-[0-9]*")
        )
        taken = {row["slug"] for row in rows}
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    async def next_order(self, module: str) -> int:
        """An `order` that puts a new lesson at the end of `module` (or a new module at the end)."""
        row = await self._db.fetchone(
            "SELECT MAX(sort_order) AS in_module, (SELECT MAX(sort_order) FROM lessons) AS overall "
            "FROM lessons WHERE module = ?",
            (module,),
        )
        if row is None or row["overall"] is None:
            return 10
        return int(row["in_module"]) + 1 if row["in_module"] is not None else int(row["overall"]) + 10

    async def _write(self, conn: Connection, lessons: Sequence[Lesson], now: str) -> None:
        """Upsert lessons and rebuild their index rows (inside the caller's transaction)."""
        if not lessons:
            return
        await conn.executemany(
            f"""INSERT INTO lessons ({_LESSON_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (slug) DO UPDATE SET title = excluded.title, module = excluded.module,
                    sort_order = excluded.sort_order, body = excluded.body, source = excluded.source,
                    summary = excluded.summary, tags = excluded.tags, aliases = excluded.aliases,
                    related = excluded.related, updated_at = excluded.updated_at""",
            [
                (
                    lesson.slug,
                    lesson.title,
                    lesson.module,
                    lesson.order,
                    lesson.body,
                    lesson.source,
                    lesson.summary,
                    json.dumps(list(lesson.tags)),
                    json.dumps(list(lesson.aliases)),
                    json.dumps(list(lesson.related)),
                    now,
                )
                for lesson in lessons
            ],
        )
        ids: dict[str, int] = {}
        slugs = [lesson.slug for lesson in lessons]
        for start in range(0, len(slugs), 500):
            chunk = slugs[start : start + 500]
            cursor = await conn.execute(
                f"SELECT id, slug FROM lessons WHERE slug IN ({', '.join('?' for _ in chunk)})", chunk
            )
            ids.update({row["slug"]: row["id"] for row in await cursor.fetchall()})
        keys = [(ids[lesson.slug],) for lesson in lessons]
        for table in ("lessons_fts", "lesson_names_trigram", "lesson_names_words"):
            await conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", keys)
        await conn.executemany("DELETE FROM lesson_aliases WHERE lesson_id = ?", keys)
        await conn.executemany(
            "INSERT INTO lessons_fts (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
            [(ids[lesson.slug], lesson.title, _keywords(lesson), markdown_to_plain(lesson.body)) for lesson in lessons],
        )
        names = [(ids[lesson.slug], _names(lesson)) for lesson in lessons]
        await conn.executemany("INSERT INTO lesson_names_trigram (rowid, names) VALUES (?, ?)", names)
        await conn.executemany("INSERT INTO lesson_names_words (rowid, names) VALUES (?, ?)", names)
        await conn.executemany(
            "INSERT OR REPLACE INTO lesson_aliases (alias, lesson_id) VALUES (?, ?)",
            [(alias.casefold(), ids[lesson.slug]) for lesson in lessons for alias in lesson.aliases],
        )

    # -- progress -------------------------------------------------------------------------------

    async def mark_done(self, guild_id: int, user_id: int, slug: str, when: datetime | None = None) -> bool:
        """Record that the learner finished the lesson; False if it was already marked (or is unknown)."""
        stamp = (when or discord.utils.utcnow()).isoformat()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """INSERT OR IGNORE INTO lesson_progress (guild_id, user_id, lesson_id, done_at)
                   SELECT ?, ?, id, ? FROM lessons WHERE slug = ?""",
                (guild_id, user_id, stamp, slug),
            )
            return cursor.rowcount > 0

    async def unmark_done(self, guild_id: int, user_id: int, slug: str) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """DELETE FROM lesson_progress WHERE guild_id = ? AND user_id = ?
                   AND lesson_id = (SELECT id FROM lessons WHERE slug = ?)""",
                (guild_id, user_id, slug),
            )
            return cursor.rowcount > 0

    async def is_done(self, guild_id: int, user_id: int, slug: str) -> bool:
        row = await self._db.fetchone(
            """SELECT 1 FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id
               WHERE p.guild_id = ? AND p.user_id = ? AND l.slug = ?""",
            (guild_id, user_id, slug),
        )
        return row is not None

    async def outline(self, guild_id: int, user_id: int, module: str | None = None) -> list[OutlineEntry]:
        """The course (or one module) in order, each lesson ticked when the learner has done it."""
        rows = await self._db.fetchall(
            f"""SELECT {_REF_COLUMNS}, position, p.lesson_id IS NOT NULL AS done FROM lessons
                LEFT JOIN lesson_progress p ON p.lesson_id = lessons.id AND p.guild_id = ? AND p.user_id = ?
                WHERE ? IS NULL OR module = ? ORDER BY position""",
            (guild_id, user_id, module, module),
        )
        return [OutlineEntry(_ref(row), row["position"], bool(row["done"])) for row in rows]

    async def progress(self, guild_id: int, user_id: int) -> Progress:
        """Done / total overall and per module, and the first lesson in course order not yet done."""
        entries = await self.outline(guild_id, user_id)
        modules: dict[str, list[int]] = {}
        for entry in entries:
            counts = modules.setdefault(entry.ref.module, [0, 0])
            counts[0] += entry.done
            counts[1] += 1
        next_lesson = next((entry.ref for entry in entries if not entry.done), None)
        return Progress(
            done=sum(entry.done for entry in entries),
            total=len(entries),
            modules=tuple(ModuleProgress(name, done, total) for name, (done, total) in modules.items()),
            next_lesson=next_lesson,
        )


def _opening(body: str, length: int = 200) -> str:
    plain = markdown_to_plain(body)
    return plain if len(plain) <= length else plain[:length].rsplit(" ", 1)[0] + "…"


def _keywords(lesson: Lesson) -> str:
    """The `tags` column of the search index: tags, aliases and the words of the slug."""
    return " ".join((*lesson.tags, *lesson.aliases, lesson.slug.replace("-", " ")))


def _name_score(query: str, name: str) -> float:
    """How well what was typed matches one name, 0-100 (plus small bonuses).

    Each typed word is compared with its closest word of the name, so a typo costs little; the last
    word may be unfinished, so it is also compared with the start of each word. Names with many
    words nobody typed lose a little, and a name that starts with the query gains a little.
    """
    name_words = name.split()
    if not name_words:
        return 0.0
    typed = query.split()
    total = 0.0
    for index, word in enumerate(typed):
        best = process.extractOne(word, name_words, scorer=fuzz.ratio)
        score = best[1] if best else 0.0
        if index == len(typed) - 1:
            prefixes = [w[: len(word)] for w in name_words if len(w) > len(word)]
            started = process.extractOne(word, prefixes, scorer=fuzz.ratio) if prefixes else None
            if started is not None:
                score = max(score, started[1] - 2)
        total += score
    score = 0.8 * total / len(typed) + 0.2 * fuzz.ratio(query, name)
    score -= 0.5 * max(0, len(name_words) - len(typed))
    if name.startswith(query):
        score += 5
    return score
