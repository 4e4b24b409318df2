"""Cleaning and checking story input: Discord's maximums, sensible minimums, one message per problem."""

from __future__ import annotations

import pytest

from bot.core.errors import UserError
from bot.stories.rules import (
    StoryValidationError,
    clean_line,
    clean_paragraphs,
    parse_anonymous,
    validate_reason,
    validate_story,
)

GOOD = {
    "title": "Giveaway on Instagram",
    "tried": "We ran a two-week giveaway for our bakery's followers.",
    "worked": "Comments tripled and we got 200 new followers.",
    "did_not_work": "Most new followers never bought anything.",
}


def test_valid_story_is_cleaned() -> None:
    text = validate_story(
        {
            "title": "  Giveaway\n on   Instagram ",
            "tried": "Line one   \r\nline two\n\n\n\n\nafter gap\t",
            "worked": GOOD["worked"],
            "did_not_work": GOOD["did_not_work"],
        }
    )
    assert text.title == "Giveaway on Instagram"
    assert text.tried == "Line one\nline two\n\nafter gap"
    assert text.worked == GOOD["worked"]


def test_every_problem_is_reported_with_its_field() -> None:
    with pytest.raises(StoryValidationError) as caught:
        validate_story({"title": "Hi", "tried": "   ", "worked": "!!!!!!!!!!!!", "did_not_work": "x" * 4001})
    problems = caught.value.problems
    assert problems == [
        "“Title” is 2 characters long; it needs at least 5.",
        "“What you tried” is empty; write at least 20 characters.",
        "“What worked” has no words in it.",
        "“What did not work” is 4,001 characters long; the limit is 4,000.",
    ]
    assert isinstance(caught.value, UserError)
    assert all(problem in str(caught.value) for problem in problems)


def test_missing_fields_count_as_empty() -> None:
    with pytest.raises(StoryValidationError) as caught:
        validate_story({"title": GOOD["title"]})
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    ("field", "limit"), [("title", 100), ("tried", 4000), ("worked", 4000), ("did_not_work", 4000)]
)
def test_discord_maximums_are_allowed_exactly(field: str, limit: int) -> None:
    fields = dict(GOOD, **{field: "a" * limit})
    assert len(getattr(validate_story(fields), field)) == limit
    with pytest.raises(StoryValidationError):
        validate_story(dict(GOOD, **{field: "a" * (limit + 1)}))


def test_control_characters_are_dropped_but_text_is_kept() -> None:
    assert clean_line("a\x00b\u200bc\x1b") == "ab\u200bc"
    assert clean_paragraphs("emoji 👍🏽 and accents é\x07") == "emoji 👍🏽 and accents é"


def test_reason_is_required_and_bounded() -> None:
    assert validate_reason("  Please remove the link to your shop.  ") == "Please remove the link to your shop."
    with pytest.raises(StoryValidationError, match="at least 5"):
        validate_reason("no")
    with pytest.raises(StoryValidationError, match="limit is 500"):
        validate_reason("x" * 501)


@pytest.mark.parametrize(
    ("choice", "anonymous"), [("anonymous", True), ("Anonymous ", True), ("named", False), (None, False)]
)
def test_credit_choice(choice: str | None, anonymous: bool) -> None:
    assert parse_anonymous(choice) is anonymous
