"""LessonStore: import and edits, course order, typo-tolerant suggestions, ranked search, progress."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.resources import shipped_path
from bot.lessons.model import Lesson, LessonRef
from bot.lessons.validation import load_folder
from bot.storage.database import Database, open_database
from bot.storage.lessons import LessonStore

GUILD, LEE, SAM = 100, 1, 2


def make(slug: str, order: int, module: str = "Week 1", **changes: object) -> Lesson:
    lesson = Lesson(slug, slug.replace("-", " ").title(), module, order, f"Body of {slug}.", "Source")
    return replace(lesson, **changes)  # type: ignore[arg-type]


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "lessons.db")
    yield database
    await database.close()


@pytest.fixture
def store(db: Database) -> LessonStore:
    return LessonStore(db)


@pytest_asyncio.fixture
async def course(store: LessonStore) -> LessonStore:
    """The starter course, imported."""
    await store.import_lessons(load_folder(shipped_path("lessons")).lessons)
    return store


async def test_import_reports_changes_and_keeps_progress(store: LessonStore) -> None:
    first = await store.import_lessons([make("a", 1), make("b", 2), make("c", 3)])
    assert first.added == ("a", "b", "c")
    await store.mark_done(GUILD, LEE, "b")
    await store.mark_done(GUILD, LEE, "c")
    second = await store.import_lessons([make("a", 1), make("b", 2, title="Bee"), make("d", 4)])
    assert (second.added, second.updated, second.unchanged, second.removed, second.kept) == (
        ("d",),
        ("b",),
        ("a",),
        (),
        ("c",),
    )
    assert second.describe() == (
        "3 lessons from the files (1 added, 1 updated, 1 unchanged); 1 lesson that is not in the files was kept"
    )
    assert await store.is_done(GUILD, LEE, "b")  # an updated lesson keeps its progress
    third = await store.import_lessons([make("a", 1), make("b", 2, title="Bee")], remove_missing=True)
    assert third.removed == ("c", "d")
    assert await store.count() == 2
    assert (await store.progress(GUILD, LEE)).done == 1


async def test_course_order_groups_modules_by_their_first_lesson(store: LessonStore) -> None:
    await store.import_lessons(
        [make("w2-a", 20, "Week 2"), make("w1-b", 12), make("w1-a", 10), make("w2-b", 21, "Week 2"), make("w1-c", 30)]
    )
    assert [ref.slug for ref in await store.course()] == ["w1-a", "w1-b", "w1-c", "w2-a", "w2-b"]
    assert await store.modules() == ["Week 1", "Week 2"]
    assert await store.position("w2-a") == (4, 5)
    assert await store.neighbour("w1-c", 1) == LessonRef("w2-a", "W2 A", "Week 2")
    assert await store.neighbour("w1-a", -1) is None
    assert await store.neighbour("w2-b", 1) is None


async def test_add_update_remove_keep_positions_and_indexes(store: LessonStore) -> None:
    await store.import_lessons([make("a", 10), make("b", 20, "Week 2")])
    order = await store.next_order("Week 1")
    assert order == 11
    await store.add(make("email-marketing", order, title="Email marketing"))
    assert [ref.slug for ref in await store.course()] == ["a", "email-marketing", "b"]
    with pytest.raises(ValueError, match="already exists"):
        await store.add(make("a", 1))
    assert await store.next_order("New module") == 30
    assert await store.update(make("email-marketing", 11, title="Newsletters that work"))
    assert [ref.slug for ref in await store.suggest("newsleters")] == ["email-marketing"]
    assert [ref.title for ref in await store.suggest("email")] == ["Newsletters that work"]  # via the slug
    assert not await store.update(make("missing", 1))
    await store.mark_done(GUILD, LEE, "email-marketing")
    assert await store.remove("email-marketing")
    assert not await store.remove("email-marketing")
    assert await store.position("b") == (2, 2)
    assert await store.search("newsletters") == []
    assert (await store.progress(GUILD, LEE)).done == 0


async def test_free_slug(store: LessonStore) -> None:
    await store.import_lessons([make("seo", 1), make("seo-2", 2)])
    assert await store.free_slug("seo") == "seo-3"
    assert await store.free_slug("ppc") == "ppc"


async def test_find_by_slug_alias_or_title(course: LessonStore) -> None:
    assert (await course.find("SEO")).slug == "seo"  # type: ignore[union-attr]
    assert (await course.find("pay per click")).slug == "sem-pay-per-click"  # type: ignore[union-attr]
    assert (await course.find("content MARKETING")).slug == "content-marketing"  # type: ignore[union-attr]
    assert await course.find("nothing like this") is None


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("serch engine", "seo"),
        ("se", "seo"),
        ("ppc", "sem-pay-per-click"),
        ("socal medai", "social-media-marketing"),
        ("wat is digtal marketing", "what-is-digital-marketing"),
        ("contnet", "content-marketing"),
        ("word of mouth", "trust-friends-over-ads"),
        ("omnichanel", "single-customer-view"),
        ("IT", "what-it-does"),
        ("stroy", "share-your-story"),
        ("stary", "share-your-story"),
        ("seach engin optimisaton", "seo"),
        ("informaton technolgy", "what-it-does"),
    ],
)
async def test_suggest_is_typo_tolerant_and_best_first(course: LessonStore, typed: str, first: str) -> None:
    refs = await course.suggest(typed)
    assert refs and refs[0].slug == first, [ref.slug for ref in refs]


async def test_suggest_without_a_query_and_with_noise(course: LessonStore) -> None:
    assert [ref.slug for ref in await course.suggest("", 3)] == [
        "welcome-getting-around",
        "share-your-story",
        "what-is-digital-marketing",
    ]
    assert await course.suggest("zzqqxx") == []
    assert len(await course.suggest("a", 25)) <= 25


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("how do I rank higher on Google", "seo"),
        ("adverts where you pay for each click", "sem-pay-per-click"),
        ("which social platforms suit business buyers", "social-media-marketing"),
        ("cybersecurity and data privacy", "what-it-does"),
        ("what is different from traditional marketing", "whats-different-about-digital"),
        ("where do consumers look before buying", "research-online-first"),
        ("SEO", "seo"),
    ],
)
async def test_search_ranks_by_bm25_with_titles_first(course: LessonStore, question: str, first: str) -> None:
    hits = await course.search(question)
    assert hits and hits[0].ref.slug == first, [(hit.ref.slug, hit.score) for hit in hits]
    assert [hit.score for hit in hits] == sorted(hit.score for hit in hits) or question == "SEO"


async def test_search_excerpts_highlight_the_words(course: LessonStore) -> None:
    [hit, *_] = await course.search("interactive billboards")
    assert hit.ref.slug == "whats-different-about-digital"
    assert "**interactive** **billboards**" in hit.excerpt


async def test_search_takes_any_text_safely(course: LessonStore) -> None:
    for text in ['"', "NEAR(", "*", "a AND OR NOT b", "title:seo", "^x", ""]:
        await course.search(text)
        await course.suggest(text)


async def test_progress_by_module_and_next_lesson(course: LessonStore) -> None:
    assert await course.mark_done(GUILD, LEE, "welcome-getting-around")
    assert not await course.mark_done(GUILD, LEE, "welcome-getting-around")
    assert not await course.mark_done(GUILD, LEE, "no-such-lesson")
    await course.mark_done(GUILD, LEE, "seo")
    await course.mark_done(999, LEE, "share-your-story")  # another server
    progress = await course.progress(GUILD, LEE)
    assert (progress.done, progress.total, progress.percent) == (2, 19, 11)
    modules = {m.module: (m.done, m.total) for m in progress.modules}
    assert modules["Start here"] == (1, 2)
    assert modules["Week 3: Core tactics"] == (1, 5)
    assert progress.next_lesson is not None and progress.next_lesson.slug == "share-your-story"
    assert (await course.progress(GUILD, SAM)).done == 0
    assert await course.unmark_done(GUILD, LEE, "seo")
    outline = await course.outline(GUILD, LEE, "Start here")
    assert [(entry.ref.slug, entry.done) for entry in outline] == [
        ("welcome-getting-around", True),
        ("share-your-story", False),
    ]


async def test_random_prefers_what_is_not_done(store: LessonStore) -> None:
    await store.import_lessons([make("a", 1), make("b", 2)])
    await store.mark_done(GUILD, LEE, "a")
    for _ in range(10):
        assert (await store.random(GUILD, LEE)).slug == "b"  # type: ignore[union-attr]
    assert await LessonStore(store._db).random(GUILD, SAM) is not None


async def test_all_lessons_round_trip_through_storage(course: LessonStore) -> None:
    files = load_folder(shipped_path("lessons")).lessons
    assert await course.all_lessons() == list(files)
    assert await course.refs(["seo", "nope", "ppc", "content-marketing"]) == [
        LessonRef("seo", "Search engine optimisation (SEO)", "Week 3: Core tactics"),
        LessonRef("content-marketing", "Content marketing", "Week 3: Core tactics"),
    ]
