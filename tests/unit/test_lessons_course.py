"""The starter course that ships in data/lessons: valid, complete and scannable."""

from __future__ import annotations

from bot.core.resources import shipped_path
from bot.lessons.pages import split_pages
from bot.lessons.validation import load_folder

COURSE = load_folder(shipped_path("lessons"))
BY_SLUG = {lesson.slug: lesson for lesson in COURSE.lessons}


def test_the_starter_course_passes_validation() -> None:
    assert COURSE.problems == ()


def test_at_least_15_lessons_over_at_least_3_modules() -> None:
    assert len(COURSE.lessons) >= 15
    assert len({lesson.module for lesson in COURSE.lessons}) >= 3


def test_every_topic_of_the_course_is_covered() -> None:
    topics = {
        "what-is-digital-marketing": "electronic media",
        "online-media-mix": "video",
        "research-online-first": "first",
        "trust-friends-over-ads": "friends",
        "whats-different-about-digital": "interactive billboards",
        "measuring-in-real-time": "real time",
        "trust-purchase-recommendation": "recommendation",
        "single-customer-view": "offline",
        "seo": "organic",
        "sem-pay-per-click": "pay-per-click",
        "content-marketing": "infographics",
        "social-media-marketing": "LinkedIn",
        "what-it-does": "integration",
        "it-vs-digital-marketing": "IT",
        "marketing-depends-on-it": "IT",
        "share-your-story": "/story share",
    }
    for slug, phrase in topics.items():
        assert phrase.lower() in BY_SLUG[slug].body.lower(), slug


def test_every_lesson_names_its_source_and_invites_the_reader_to_act() -> None:
    for lesson in COURSE.lessons:
        assert len(lesson.source) > 10, lesson.slug
        assert "**Try this**" in lesson.body or "**Discuss**" in lesson.body, lesson.slug


def test_lessons_are_short_and_scannable() -> None:
    for lesson in COURSE.lessons:
        assert len(split_pages(lesson.body)) <= 2, lesson.slug
        paragraphs = [p for p in lesson.body.split("\n\n") if not p.lstrip().startswith(("-", "1."))]
        assert max(len(p) for p in paragraphs) < 600, lesson.slug
        assert lesson.summary, lesson.slug
