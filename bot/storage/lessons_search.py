"""SQL that finds lessons: autocomplete suggestions that forgive typos, and ranked full-text search.

`LessonStore` (bot/storage/lessons.py) builds on `LessonFinder`; the indexes are written there.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, process

from bot.lessons.model import Lesson, LessonRef, SearchHit
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

LESSON_COLUMNS = "slug, title, module, sort_order, body, source, summary, tags, aliases, related"
REF_COLUMNS = "slug, title, module"
CANDIDATES = 30
"""Rows the indexes hand to the fuzzy re-ranker for one autocomplete."""
COMMON = 1000
"""A word in this many lessons is "common": costly to rank on, and worth little to bm25."""
COMMON_TRIGRAM = 400
"""A trigram in this many names is too common to tell typo matches apart."""
MIN_SCORE = 45.0
"""Autocomplete choices scoring below this (0-100) are noise and are left out."""


# The id of the lesson whose slug, alias or title is exactly the text; see `named_params`.
NAMED_SQL = """SELECT id FROM lessons WHERE slug = ?
    UNION ALL SELECT lesson_id FROM lesson_aliases WHERE alias = ?
    UNION ALL SELECT id FROM lessons WHERE title = ? COLLATE NOCASE
    LIMIT 1"""


def named_params(text: str) -> tuple[str, str, str]:
    return (text.lower(), text.casefold(), text)


def _candidates(table: str, *, ranked: bool = True) -> str:
    """SQL for up to ? lessons whose names match an FTS5 query (?) in one of the autocomplete indexes."""
    order = f"ORDER BY bm25({table}), rowid" if ranked else ""
    return f"""SELECT * FROM (SELECT l.slug, l.title, l.module, l.position, l.names
        FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? {order} LIMIT ?) AS n
        JOIN lessons l ON l.id = n.rowid)"""


def lesson_from_row(row: sqlite3.Row) -> Lesson:
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


def ref_from_row(row: sqlite3.Row) -> LessonRef:
    return LessonRef(row["slug"], row["title"], row["module"])


class LessonFinder:
    """Reading lessons by what was typed: autocomplete (typo-tolerant) and ranked full-text search."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def course(self, limit: int | None = None, offset: int = 0) -> list[LessonRef]:
        rows = await self._db.fetchall(
            f"SELECT {REF_COLUMNS} FROM lessons ORDER BY position LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [ref_from_row(row) for row in rows]

    # -- finding lessons ------------------------------------------------------------------------

    async def suggest(self, query: str, limit: int = 25) -> list[LessonRef]:
        """Lessons whose title, slug or alias looks like `query`, best first; typos are forgiven.

        Candidates come from the FTS5 indexes: the words as typed (the last one may be unfinished), then,
        when those are too few, shared trigrams and corrected words. A fuzzy score re-ranks them.
        An empty query gives the course in order. At most three statements, one trip each.
        """
        text = normalize_name(query)
        if not text:
            return await self.course(limit)
        rows: dict[str, sqlite3.Row] = {}
        typed = prefix_query(text)
        if typed:
            # One or two letters match too many names for ranking to help; the re-ranker orders them.
            found = await self._rows(_candidates("lesson_names_words", ranked=len(text) > 2), (typed, CANDIDATES))
            rows.update((row["slug"], row) for row in found)
        if len(rows) < limit:
            queries = await self._typo_queries(text)
            if queries:
                sql = " UNION ALL ".join(_candidates(table) for table, _ in queries)
                for row in await self._rows(sql, [value for _, match in queries for value in (match, CANDIDATES)]):
                    rows.setdefault(row["slug"], row)
        scored = []
        for row in rows.values():
            score = max(_name_score(text, name) for name in row["names"].split("\n"))
            if score >= MIN_SCORE:
                scored.append((-score, row["position"], ref_from_row(row)))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [ref for _, _, ref in scored[:limit]]

    async def _typo_queries(self, text: str) -> list[tuple[str, str]]:
        """(table, FTS5 query) pairs finding names that `text` misspells, from one look-up in the vocabularies.

        Trigrams shared with names, leaving out those in so many names they tell nothing apart; and known
        name words close to each typed word that is not itself known (same first letter), which catches
        the typos trigrams miss, such as swapped or replaced letters in a short word."""
        grams = trigram_phrases(text)
        typed = [word for word in dict.fromkeys(text.split()) if len(word) >= 3]
        parts = []
        if grams:
            marks = ", ".join("?" for _ in grams)
            parts.append(f"SELECT NULL AS word, term, doc FROM lesson_names_trigram_vocab WHERE term IN ({marks})")
        # The known words with the same first letter as each typed word that is not itself known.
        unknown = "NOT EXISTS (SELECT 1 FROM lesson_name_terms WHERE term = ?)"
        parts += [f"SELECT ?, term, 0 FROM lesson_name_terms WHERE term >= ? AND term < ? AND {unknown}" for _ in typed]
        if not parts:
            return []
        params = [gram.strip('"') for gram in grams]
        params += [value for word in typed for value in (word, word[0], chr(ord(word[0]) + 1), word)]
        counts: dict[str, int] = {}
        terms: dict[str, list[str]] = {}
        for row in await self._rows(" UNION ALL ".join(parts), params):
            if row["word"] is None:
                counts[row["term"]] = row["doc"]
            else:
                terms.setdefault(row["word"], []).append(row["term"])
        queries = []
        useful = [gram for gram in grams if 0 < counts.get(gram.strip('"'), 0) < COMMON_TRIGRAM]
        if useful:
            queries.append(("lesson_names_trigram", any_of(useful)))
        corrected: list[str] = []
        for word, known in terms.items():
            found = process.extract(word, sorted(known), scorer=fuzz.ratio, limit=3, score_cutoff=70)
            corrected += [term for term, _, _ in found]
        if corrected:
            queries.append(("lesson_names_words", any_of([f'"{word}"' for word in corrected])))
        return queries

    async def search(self, query: str, limit: int = 5) -> list[SearchHit]:
        """Full-text search over titles, tags and bodies, ranked by bm25 (titles count most).

        Words found in very many lessons add little to bm25 but cost the most to rank, so when rarer
        words are present the ranking uses those; with common words only, it looks in titles and tags.
        """
        terms = search_terms(query)
        text = query.strip()
        # How many lessons have each word (counting no further than COMMON), and the lesson `query` names.
        one = f"(SELECT count(*) FROM (SELECT 1 FROM lessons_fts WHERE lessons_fts MATCH ? LIMIT {COMMON}))"
        [row] = await self._rows(
            f"SELECT {''.join(one + ', ' for _ in terms)}({NAMED_SQL}) AS exact", [*terms, *named_params(text)]
        )
        counts, exact = list(row)[:-1], row["exact"]
        present = [term for term, count in zip(terms, counts, strict=True) if count]
        hits: list[tuple[int, SearchHit]] = []
        if present:
            rare = [term for term, count in zip(terms, counts, strict=True) if 0 < count < COMMON]
            if rare:
                hits = await self._hits("lessons_fts", any_of(rare), any_of(present), limit)
            else:  # the same bm25 as the full index gives, without reading the long lists of body words
                hits = await self._hits(
                    "lesson_labels_fts", f"{{title tags}} : ({any_of(present)})", any_of(present), limit
                )
            if not hits and not rare:  # common words, none in a title: any lessons having them all
                hits = await self._hits("lessons_fts", " AND ".join(present), any_of(present), limit, ranked=False)
        if exact is not None and (not hits or hits[0][0] != exact):
            # The query names a lesson (its slug, an alias or its title): that lesson comes first.
            found = next((hit for lesson_id, hit in hits if lesson_id == exact), None)
            if found is None:
                named = await self._rows(f"SELECT {LESSON_COLUMNS} FROM lessons WHERE id = ?", (exact,))
                if not named:  # removed a moment ago
                    return [hit for _, hit in hits]
                lesson = lesson_from_row(named[0])
                excerpt = format_excerpt(lesson.summary or _opening(lesson.body))
                found = SearchHit(lesson.ref, hits[0][1].score if hits else 0.0, excerpt)
            return [found, *(hit for lesson_id, hit in hits if lesson_id != exact)][:limit]
        return [hit for _, hit in hits]

    async def _hits(
        self, table: str, match: str, highlight: str, limit: int, *, ranked: bool = True
    ) -> list[tuple[int, SearchHit]]:
        """(lesson id, hit) for the best `limit` matches of `match` in `table` (`lessons_fts` or
        `lesson_labels_fts`: same columns and bm25), excerpts highlighting `highlight`, best first."""
        score = f"bm25({table}, 8.0, 4.0, 1.0)" if ranked else "0.0"
        order = "ORDER BY score" if ranked else ""
        # Each excerpt comes from a `rowid = ?` look-up, so FTS5 seeks straight to the row.
        snippet = f"snippet(lessons_fts, 2, '{HIGHLIGHT_OPEN}', '{HIGHLIGHT_CLOSE}', '…', 24)"
        rows = await self._rows(
            f"""SELECT l.id, {REF_COLUMNS}, l.position, best.score,
                    (SELECT {snippet} FROM lessons_fts WHERE lessons_fts MATCH ? AND rowid = best.rowid) AS excerpt
                FROM (SELECT rowid, {score} AS score FROM {table} WHERE {table} MATCH ? {order} LIMIT ?) AS best
                JOIN lessons l ON l.id = best.rowid""",
            (highlight, match, limit),
        )
        hits = [
            (
                row["score"],
                row["position"],
                row["id"],
                SearchHit(ref_from_row(row), row["score"], format_excerpt(row["excerpt"])),
            )
            for row in rows
            if row["excerpt"] is not None
        ]
        hits.sort(key=lambda item: (item[0], item[1]))
        return [(lesson_id, hit) for _, _, lesson_id, hit in hits]

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """The rows of one read, in one trip to the database thread."""
        return await self._db.fetchall(sql, params)


def _opening(body: str, length: int = 200) -> str:
    plain = markdown_to_plain(body)
    return plain if len(plain) <= length else plain[:length].rsplit(" ", 1)[0] + "…"


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
