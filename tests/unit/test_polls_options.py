"""Option parsing and Discord's poll limits: one clear message per problem."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.polls.options import (
    AnswerSpec,
    PollInputError,
    answers_from_json,
    answers_to_json,
    build_poll,
    parse_answers,
    split_emoji,
)


def problems(question: str = "Which topic?", options: str = "A; B", hours: int = 24) -> list[str]:
    with pytest.raises(PollInputError) as raised:
        build_poll(question, options, hours)
    return raised.value.problems


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("SEO; Ads; Email", ["SEO", "Ads", "Email"]),
        ("SEO | Ads|Email", ["SEO", "Ads", "Email"]),
        ("SEO; Ads | Email;", ["SEO", "Ads", "Email"]),
        ("  spaced   out ;  answer  ", ["spaced out", "answer"]),
        ("a;;b", ["a", "b"]),
    ],
)
def test_options_split_on_semicolon_or_bar(options: str, expected: list[str]) -> None:
    assert [a.text for a in parse_answers(options)] == expected


@pytest.mark.parametrize(
    ("raw", "emoji", "text"),
    [
        ("🔥 Growth hacking", "🔥", "Growth hacking"),
        ("👍🏽 Skin tone", "👍🏽", "Skin tone"),
        ("🇫🇷 France", "🇫🇷", "France"),
        ("1️⃣ Keycap", "1️⃣", "Keycap"),
        ("👨‍👩‍👧 Family", "👨‍👩‍👧", "Family"),
        ("✅Done", "✅", "Done"),
        ("<:course:123456789012345678> Custom", "<:course:123456789012345678>", "Custom"),
        ("<a:party:123456789012345678> Animated", "<a:party:123456789012345678>", "Animated"),
        ("No emoji 🔥 inside", None, "No emoji 🔥 inside"),
        ("3 options", None, "3 options"),
    ],
)
def test_optional_leading_emoji(raw: str, emoji: str | None, text: str) -> None:
    assert split_emoji(raw) == AnswerSpec(text, emoji)


def test_valid_poll() -> None:
    spec = build_poll("  Which   topic? ", "🔍 SEO; Ads", 48, multiselect=True)
    assert spec.question == "Which topic?"
    assert spec.answers == (AnswerSpec("SEO", "🔍"), AnswerSpec("Ads"))
    assert spec.duration_hours == 48
    assert spec.multiselect


def test_limits_at_their_edges_are_accepted() -> None:
    spec = build_poll("Q" * 300, ";".join(f"{i:02d}" + "x" * 53 for i in range(10)), 768)
    assert len(spec.answers) == 10
    assert all(len(a.text) == 55 for a in spec.answers)
    assert build_poll("Q", "a; b", 1).duration_hours == 1


def test_answer_length_ignores_the_emoji() -> None:
    assert build_poll("Q", "🔥 " + "x" * 55 + "; b").answers[0].text == "x" * 55


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"options": "Only one"},
            "A poll needs at least 2 answers, separated by `;` or `|` (for example `Yes; No`); "
            "I found only one answer.",
        ),
        (
            {"options": " ; | "},
            "A poll needs at least 2 answers, separated by `;` or `|` (for example `Yes; No`); I found no answer.",
        ),
        ({"options": ";".join("abcdefghijk")}, "Discord allows at most 10 answers; you gave 11."),
        ({"options": "ok; " + "y" * 56}, "Answer 2 is 56 characters long; Discord allows 55: “" + "y" * 40 + "…”."),
        ({"options": "Yes; no; YES"}, "Answers 1 and 3 are the same (“YES”); remove one."),
        ({"options": "🔥 SEO; 💡 seo"}, "Answers 1 and 2 are the same (“seo”); remove one."),
        ({"options": "a; 🔥"}, "Answer 2 (🔥) has an emoji but no text."),
        ({"question": "   "}, "The question is empty; write what you want to ask."),
        ({"question": "Q" * 301}, "The question is 301 characters long; Discord allows 300."),
        ({"hours": 0}, "The duration must be between 1 and 768 hours (32 days); you gave 0."),
        ({"hours": 769}, "The duration must be between 1 and 768 hours (32 days); you gave 769."),
    ],
)
def test_each_problem_has_its_own_message(kwargs: dict[str, object], message: str) -> None:
    assert problems(**kwargs) == [message]  # type: ignore[arg-type]


def test_several_problems_are_all_reported_in_order() -> None:
    found = problems("", "x" * 60, 0)
    assert [p.split(" ")[1] for p in found] == ["question", "poll", "1", "duration"]


def test_answers_round_trip_through_json() -> None:
    answers = (AnswerSpec("SEO", "🔍"), AnswerSpec("Ads"))
    assert answers_from_json(answers_to_json(answers)) == answers


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=";|"), min_size=1, max_size=20), max_size=12))
def test_parsing_never_crashes_and_keeps_every_nonblank_piece(pieces: list[str]) -> None:
    parsed = parse_answers(";".join(pieces))
    assert len(parsed) == sum(1 for piece in pieces if piece.strip())
    try:
        spec = build_poll("Q?", ";".join(pieces))
    except PollInputError as error:
        assert error.problems
    else:
        assert 2 <= len(spec.answers) <= 10
