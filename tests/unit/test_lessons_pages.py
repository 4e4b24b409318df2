"""Long lesson bodies split into embed-sized pages at sensible places."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.lessons.card import build_card, choice_name
from bot.lessons.model import Lesson, LessonRef
from bot.lessons.pages import PAGE_BREAK, split_pages


def test_a_short_body_is_one_page() -> None:
    assert split_pages("Hello\n\nWorld") == ["Hello\n\nWorld"]


def test_pages_break_between_paragraphs() -> None:
    paragraphs = [f"Paragraph {n} " + "word " * 30 for n in range(10)]
    pages = split_pages("\n\n".join(p.strip() for p in paragraphs), limit=400)
    assert all(len(page) <= 400 for page in pages)
    assert len(pages) > 1
    for page in pages:
        assert page.startswith("Paragraph ")  # never cut inside a paragraph


def test_a_label_is_not_left_at_the_bottom_of_a_page() -> None:
    body = "A" * 300 + "\n\n**Try this**\n\n" + "B" * 150
    pages = split_pages(body, limit=400)
    assert pages == ["A" * 300, "**Try this**\n\n" + "B" * 150]


def test_a_forced_page_break() -> None:
    assert split_pages(f"One\n\n{PAGE_BREAK}\n\nTwo") == ["One", "Two"]


def test_an_overlong_paragraph_is_cut_at_sentences_then_words() -> None:
    sentences = " ".join(f"Sentence number {n} is here." for n in range(40))
    pages = split_pages(sentences, limit=200)
    assert all(len(page) <= 200 for page in pages)
    assert all(page.endswith(".") for page in pages)
    one_word = "x" * 450
    assert split_pages(one_word, limit=200) == ["x" * 200, "x" * 200, "x" * 50]


def test_a_code_fence_with_blank_lines_stays_together() -> None:
    body = "Intro\n\n```\nline 1\n\nline 2\n```\n\nOutro"
    assert split_pages(body) == [body]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abc .\n*", min_size=0, max_size=300), min_size=1, max_size=12))
def test_pages_fit_and_lose_no_words(parts: list[str]) -> None:
    body = "\n\n".join(parts)
    pages = split_pages(body, limit=120)
    assert all(len(page) <= 120 for page in pages)
    assert " ".join(" ".join(pages).split()) == " ".join(body.split())


def lesson(body: str) -> Lesson:
    return Lesson("a", "A title", "Week 1", 1, body, "The source")


def test_card_footer_page_numbers_and_related_on_the_last_page() -> None:
    body = "First\n\n" + PAGE_BREAK + "\n\nSecond"
    related = [LessonRef("b", "Bee", "Week 1")]
    first = build_card(lesson(body), 0, related=related, position=3, total=9)
    last = build_card(lesson(body), 5, related=related, position=3, total=9)
    assert first.footer == "Page 1 of 2 · Lesson 3 of 9 · Source: The source"
    assert first.fields == ()
    assert (last.page, last.description) == (1, "Second")
    assert last.fields == (("Related lessons", "• Bee (`b`)"),)
    assert first.problems() == []


def test_card_size_counts_like_discord() -> None:
    card = build_card(lesson("x" * 100))
    assert card.size == len("A title") + len("Week 1") + 100 + len("Source: The source")


def test_choice_names_fit_in_100_characters() -> None:
    assert choice_name(LessonRef("a", "Short", "Week 1")) == "Short · Week 1"
    long = choice_name(LessonRef("a", "T" * 120, "Week 1"))
    assert len(long) == 100 and long.endswith("…")
