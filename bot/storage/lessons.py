"""SQL for lessons: the course, its full-text and autocomplete indexes, and learners' progress."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from aiosqlite import Connection

from bot.core.clock import Clock, SystemClock
from bot.lessons.model import ImportSummary, Lesson, LessonRef, ModuleProgress, OutlineEntry, Progress
from bot.lessons.text import markdown_to_plain, normalize_name
from bot.storage.database import Database
from bot.storage.lessons_search import (
    LESSON_COLUMNS,
    NAMED_SQL,
    REF_COLUMNS,
    LessonFinder,
    lesson_from_row,
    named_params,
    ref_from_row,
)

_FTS_TABLES = ("lessons_fts", "lesson_labels_fts", "lesson_names_trigram", "lesson_names_words")
# The name words in a plain table (see the migration): rebuilt after every change to the lessons.
_REFRESH_TERMS = (
    "DELETE FROM lesson_name_terms",
    "INSERT INTO lesson_name_terms (term) SELECT term FROM lesson_names_vocab",
)
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


async def _reindex(conn: Connection) -> None:
    """After lessons change: renumber the course and refresh the copy of the name words."""
    await conn.execute(_RENUMBER)
    for statement in _REFRESH_TERMS:
        await conn.execute(statement)


def _names(lesson: Lesson) -> list[str]:
    """Everything a learner may type to find a lesson, for the autocomplete indexes."""
    return [lesson.title, lesson.slug.replace("-", " "), *lesson.aliases]


class LessonStore(LessonFinder):
    """All lesson SQL. Lessons are shared by every server; progress is per server and learner.

    Implements `bot.lessons.store.LessonStorage`. Times written (`updated_at`, `done_at`) come from `clock`,
    the service's clock (the machine's when only reading, as other features' look-ups do).
    """

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        super().__init__(db)
        self._clock: Clock = clock if clock is not None else SystemClock()

    def _now(self) -> str:
        return self._clock.now().isoformat()

    # -- reading lessons ------------------------------------------------------------------------

    async def count(self) -> int:
        return int(await self._db.fetchval("SELECT COUNT(*) FROM lessons"))

    async def get(self, slug: str) -> Lesson | None:
        row = await self._db.fetchone(f"SELECT {LESSON_COLUMNS} FROM lessons WHERE slug = ?", (slug,))
        return lesson_from_row(row) if row else None

    async def find(self, topic: str) -> Lesson | None:
        """The lesson whose slug, alias or title is exactly `topic` (case-insensitive)."""
        rows = await self._rows(
            f"SELECT {LESSON_COLUMNS} FROM lessons WHERE id = ({NAMED_SQL})", named_params(topic.strip())
        )
        return lesson_from_row(rows[0]) if rows else None

    async def all_lessons(self) -> list[Lesson]:
        """Every lesson in course order."""
        rows = await self._db.fetchall(f"SELECT {LESSON_COLUMNS} FROM lessons ORDER BY position")
        return [lesson_from_row(row) for row in rows]

    async def refs(self, slugs: Sequence[str]) -> list[LessonRef]:
        """The lessons among `slugs` that exist, in the order given."""
        if not slugs:
            return []
        marks = ", ".join("?" for _ in slugs)
        rows = await self._db.fetchall(f"SELECT {REF_COLUMNS} FROM lessons WHERE slug IN ({marks})", slugs)
        found = {row["slug"]: ref_from_row(row) for row in rows}
        return [found[slug] for slug in slugs if slug in found]

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
            f"SELECT {REF_COLUMNS} FROM lessons WHERE position = (SELECT position FROM lessons WHERE slug = ?) + ?",
            (slug, step),
        )
        return ref_from_row(row) if row else None

    async def random(self, guild_id: int, user_id: int) -> Lesson | None:
        """A random lesson, preferring those the learner has not marked as done."""
        row = await self._db.fetchone(
            f"""SELECT {LESSON_COLUMNS} FROM lessons
                ORDER BY EXISTS (SELECT 1 FROM lesson_progress p WHERE p.lesson_id = lessons.id
                                 AND p.guild_id = ? AND p.user_id = ?), random() LIMIT 1""",
            (guild_id, user_id),
        )
        return lesson_from_row(row) if row else None

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
        now = self._now()
        async with self._db.transaction() as conn:
            if removed:
                await conn.executemany("DELETE FROM lessons WHERE slug = ?", [(slug,) for slug in removed])
            await self._write(conn, [incoming[slug] for slug in added + updated], now)
            await _reindex(conn)
            if added or updated or removed:
                # A bulk load leaves each index in many segments; merged into one, look-ups seek faster.
                for table in _FTS_TABLES:
                    await conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        kept = () if remove_missing else tuple(missing)
        return ImportSummary(tuple(added), tuple(updated), tuple(unchanged), tuple(removed), kept)

    async def add(self, lesson: Lesson) -> None:
        """Add a new lesson; ValueError if the slug is taken."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("SELECT 1 FROM lessons WHERE slug = ?", (lesson.slug,))
            if await cursor.fetchone():
                raise ValueError(f"a lesson with slug {lesson.slug!r} already exists")
            await self._write(conn, [lesson], self._now())
            await _reindex(conn)

    async def update(self, lesson: Lesson) -> bool:
        """Replace the lesson with the same slug; False if there is none."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("SELECT 1 FROM lessons WHERE slug = ?", (lesson.slug,))
            if not await cursor.fetchone():
                return False
            await self._write(conn, [lesson], self._now())
            await _reindex(conn)
        return True

    async def remove(self, slug: str) -> bool:
        """Delete a lesson (and the progress on it); False if there was none."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM lessons WHERE slug = ?", (slug,))
            if cursor.rowcount == 0:
                return False
            await _reindex(conn)
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
            f"""INSERT INTO lessons ({LESSON_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
        for table in _FTS_TABLES:
            await conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", keys)
        await conn.executemany("DELETE FROM lesson_aliases WHERE lesson_id = ?", keys)
        await conn.executemany(
            "INSERT INTO lessons_fts (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
            [(ids[lesson.slug], lesson.title, _keywords(lesson), markdown_to_plain(lesson.body)) for lesson in lessons],
        )
        # Titles and tags again, with as many filler words as the body has: bm25 then scores them exactly
        # as in lessons_fts (same lengths), from short lists of words.
        sizes = []
        for start in range(0, len(keys), 500):
            batch = [key for (key,) in keys[start : start + 500]]
            cursor = await conn.execute(
                f"SELECT id, sz FROM lessons_fts_docsize WHERE id IN ({', '.join('?' for _ in batch)})", batch
            )
            sizes += [(row["id"], _varints(row["sz"])[2]) for row in await cursor.fetchall()]
        fields = {ids[lesson.slug]: (lesson.title, _keywords(lesson)) for lesson in lessons}
        await conn.executemany(
            "INSERT INTO lesson_labels_fts (rowid, title, tags, body_padding) VALUES (?, ?, ?, ?)",
            [(key, *fields[key], "0 " * size) for key, size in sizes],
        )
        names = [(ids[lesson.slug], " | ".join(_names(lesson))) for lesson in lessons]
        await conn.executemany("INSERT INTO lesson_names_trigram (rowid, names) VALUES (?, ?)", names)
        await conn.executemany("INSERT INTO lesson_names_words (rowid, names) VALUES (?, ?)", names)
        # The names as the fuzzy re-ranker compares them, worked out once here rather than per keystroke.
        await conn.executemany(
            "UPDATE lessons SET names = ? WHERE id = ?",
            [("\n".join(dict.fromkeys(map(normalize_name, _names(lesson)))), ids[lesson.slug]) for lesson in lessons],
        )
        await conn.executemany(
            "INSERT OR REPLACE INTO lesson_aliases (alias, lesson_id) VALUES (?, ?)",
            [(alias.casefold(), ids[lesson.slug]) for lesson in lessons for alias in lesson.aliases],
        )

    # -- progress -------------------------------------------------------------------------------

    async def mark_done(self, guild_id: int, user_id: int, slug: str, when: datetime | None = None) -> bool:
        """Record that the learner finished the lesson; False if it was already marked (or is unknown)."""
        stamp = (when or self._clock.now()).isoformat()
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

    async def forget_progress(self, guild_id: int | None, user_id: int) -> int:
        """Erase one learner's done marks in one server (every server when None); how many went."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM lesson_progress WHERE user_id = ? AND (? IS NULL OR guild_id = ?)",
                (user_id, guild_id, guild_id),
            )
            return max(0, cursor.rowcount)

    async def forget_guild(self, guild_id: int) -> int:
        """Erase every done mark kept for one server; how many went."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM lesson_progress WHERE guild_id = ?", (guild_id,))
            return max(0, cursor.rowcount)

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
            f"""SELECT {REF_COLUMNS}, position, p.lesson_id IS NOT NULL AS done FROM lessons
                LEFT JOIN lesson_progress p ON p.lesson_id = lessons.id AND p.guild_id = ? AND p.user_id = ?
                WHERE ? IS NULL OR module = ? ORDER BY position""",
            (guild_id, user_id, module, module),
        )
        return [OutlineEntry(ref_from_row(row), row["position"], bool(row["done"])) for row in rows]

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


def _varints(blob: bytes) -> list[int]:
    """The numbers in an FTS5 `_docsize` record (SQLite varints: 7 bits a byte, high bit = more)."""
    numbers, value = [], 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            numbers.append(value)
            value = 0
    return numbers


def _keywords(lesson: Lesson) -> str:
    """The `tags` column of the search index: tags, aliases and the words of the slug."""
    return " ".join((*lesson.tags, *lesson.aliases, lesson.slug.replace("-", " ")))
