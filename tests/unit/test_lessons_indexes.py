"""LessonStore's helper indexes give the same answers as the full indexes they stand in for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio

from bot.lessons.model import Lesson
from bot.storage import lessons_search as lesson_storage
from bot.storage.database import Database, open_database
from bot.storage.lessons import LessonStore


def make(slug: str, order: int, title: str, body: str, tags: tuple[str, ...] = ()) -> Lesson:
    return replace(Lesson(slug, title, "Week 1", order, body, "Source"), tags=tags)


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "lessons.db")
    yield database
    await database.close()


async def test_common_words_are_ranked_as_the_full_index_ranks_titles_and_tags(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lesson_storage, "COMMON", 2)  # a word in two lessons is "common"
    store = LessonStore(db)
    filler = "Customers compare offers online before they buy. "
    await store.import_lessons(
        [
            make("short", 1, "Brand basics", "A brand in one line."),
            make("long", 2, "Brand stories", filler * 60, tags=("brand",)),  # > 127 words: multi-byte sizes
            make("tagged", 3, "Telling stories", "Stories about a **brand** and its café. " * 5, tags=("brand",)),
            make("other", 4, "Search", "Nothing about it here."),
        ]
    )
    hits = await store.search("stories, brand")  # (not a title: that would come first)
    expected = await db.fetchall(
        "SELECT l.slug, bm25(lessons_fts, 8.0, 4.0, 1.0) AS score FROM lessons_fts JOIN lessons l ON l.id = "
        'lessons_fts.rowid WHERE lessons_fts MATCH \'{title tags} : ("brand" OR "stories")\' ORDER BY score'
    )
    assert [(hit.ref.slug, hit.score) for hit in hits] == [(row["slug"], row["score"]) for row in expected]
    assert len(hits) == 3 and len({hit.score for hit in hits}) == 3
    assert "**brand**" in hits[-1].excerpt.lower() or "**stories**" in hits[-1].excerpt.lower()


async def test_name_words_follow_every_change(db: Database) -> None:
    store = LessonStore(db)

    async def words() -> tuple[list[str], list[str]]:
        copy = await db.fetchall("SELECT term FROM lesson_name_terms ORDER BY term")
        vocabulary = await db.fetchall("SELECT term FROM lesson_names_vocab ORDER BY term")
        return [row["term"] for row in copy], [row["term"] for row in vocabulary]

    await store.import_lessons([make("seo", 1, "Search engines", "Body."), make("ppc", 2, "Paid clicks", "Body.")])
    copy, vocabulary = await words()
    assert copy == vocabulary and "engines" in copy
    await store.update(make("seo", 1, "Podcasting for search", "Body."))
    assert [ref.slug for ref in await store.suggest("podcastnig")][:1] == ["seo"]
    await store.add(make("video", 3, "Video adverts", "Body."))
    await store.remove("ppc")
    copy, vocabulary = await words()
    assert copy == vocabulary
    assert "podcasting" in copy and "adverts" in copy and "engines" not in copy and "paid" not in copy
