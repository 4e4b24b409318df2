"""Slugs, plain text for the index, safe FTS5 queries, excerpts, outline text and the cooldown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.clock import ManualClock
from bot.lessons.cooldown import Cooldown
from bot.lessons.model import LessonRef, OutlineEntry
from bot.lessons.outline import outline_page, progress_bar
from bot.lessons.text import (
    HIGHLIGHT_CLOSE,
    HIGHLIGHT_OPEN,
    any_of,
    format_excerpt,
    markdown_to_plain,
    normalize_name,
    prefix_query,
    search_terms,
    slugify,
    trigram_phrases,
)


def test_slugify() -> None:
    assert slugify("What is digital marketing?") == "what-is-digital-marketing"
    assert slugify("Café & crème: SEO!") == "cafe-creme-seo"
    assert slugify("???") == "lesson"
    long = slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")


def test_markdown_to_plain() -> None:
    md = "**Bold** and *italic* with `code` and [a link](https://x.y)\n\n- item one;\n- item two\n# Heading\nText"
    assert markdown_to_plain(md) == "Bold and italic with code and a link · item one; item two · Heading · Text"


def test_search_terms_quote_every_word_and_drop_stopwords() -> None:
    assert any_of(search_terms("How do I get found on Google?")) == '"found" OR "google"'
    assert any_of(search_terms('seo" OR NEAR(x* "AND')) == '"seo" OR "near" OR "x"'
    assert any_of(search_terms("what is it")) == '"it"'
    assert search_terms("?!") == []


def test_trigram_and_prefix_queries() -> None:
    assert any_of(trigram_phrases("SEO tips")) == '"seo" OR "tip" OR "ips"'
    assert trigram_phrases("a b") == []
    assert prefix_query("so me") == '"so"* "me"*'
    assert normalize_name("  Éléphant--Rose ") == "elephant rose"


def test_format_excerpt_escapes_markdown_then_highlights() -> None:
    snippet = f"a_b *c* {HIGHLIGHT_OPEN}seo{HIGHLIGHT_CLOSE} done"
    assert format_excerpt(snippet) == r"a\_b \*c\* **seo** done"


def test_outline_page_groups_by_module_and_ticks() -> None:
    entries = [
        OutlineEntry(LessonRef(f"l{n}", f"Lesson {n}", "Week 1" if n < 3 else "Week 2"), n, n % 2 == 0)
        for n in range(1, 13)
    ]
    first = outline_page(entries, 0)
    assert (first.page, first.pages) == (0, 2)
    assert first.text.splitlines()[:4] == ["**Week 1**", "▫️ 1. Lesson 1 · `l1`", "✅ 2. Lesson 2 · `l2`", ""]
    assert outline_page(entries, 9).page == 1  # clamped
    assert progress_bar(3, 10) == "▰▰▰▱▱▱▱▱▱▱"
    assert progress_bar(0, 0, 4) == "▱▱▱▱"


def test_cooldown_per_key_on_a_given_clock() -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    cooldown = Cooldown(timedelta(seconds=60), clock)
    assert cooldown.try_use(("chan", 1)) is None
    assert cooldown.try_use(("chan", 1)) == clock.now() + timedelta(seconds=60)
    assert cooldown.try_use(("chan", 2)) is None  # someone else
    clock.advance(59)
    assert cooldown.retry_at(("chan", 1)) is not None
    clock.advance(1)
    assert cooldown.try_use(("chan", 1)) is None
    cooldown.reset(("chan", 1))
    assert cooldown.try_use(("chan", 1)) is None


def test_cooldown_forgets_a_server_or_a_member() -> None:
    cooldown = Cooldown(timedelta(seconds=60), ManualClock())
    for key in ((1, 10, 100), (1, 11, 101), (2, 10, 100)):
        assert cooldown.try_use(key) is None
    assert cooldown.forget(lambda key: key[-1] == 100) == 2
    assert cooldown.try_use((1, 10, 100)) is None
    assert cooldown.try_use((1, 11, 101)) is not None
    assert cooldown.forget(lambda key: key[0] == 1) == 2
    assert cooldown.try_use((1, 11, 101)) is None
