"""Pure decisions of the stories feature: cleaning and checking what a learner typed (one clear sentence per
problem), and who may see or change a story.

Maximums are Discord's own (a modal title input holds 100 characters, a paragraph 4,000); minimums stop
empty or throw-away stories. Lengths are counted after cleaning, as the reviewer will see the text; the
title's minimum counts visible characters only (zero-width, RTL marks or soft hyphens do not pad it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core import limits
from bot.core.errors import UserError
from bot.core.text import clean_input, visible_length
from bot.stories.model import Story, StoryStatus, StoryText

TITLE_MAX = 100
TEXT_MAX = limits.TEXT_INPUT_VALUE
REASON_MAX = 500


@dataclass(frozen=True)
class FieldRule:
    """One modal field: its key (the modal custom_id), what the learner sees, and its length bounds."""

    key: str
    label: str
    minimum: int
    maximum: int
    paragraph: bool
    visible_minimum: bool = False  # count only what a reader sees towards the minimum


TITLE = FieldRule("title", "Title", 5, TITLE_MAX, paragraph=False, visible_minimum=True)
TRIED = FieldRule("tried", "What you tried", 20, TEXT_MAX, paragraph=True)
WORKED = FieldRule("worked", "What worked", 10, TEXT_MAX, paragraph=True)
DID_NOT_WORK = FieldRule("did_not_work", "What did not work", 10, TEXT_MAX, paragraph=True)
STORY_FIELDS: tuple[FieldRule, ...] = (TITLE, TRIED, WORKED, DID_NOT_WORK)
REASON = FieldRule("reason", "Reason", 5, REASON_MAX, paragraph=True)

_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")
_KEPT_CONTROLS = {"\n", "\t"}


class StoryValidationError(UserError):
    """The input broke one or more rules; `problems` holds one sentence each, in field order."""

    def __init__(self, problems: list[str], *, intro: str = "Your story needs a little more work:") -> None:
        self.problems = problems
        super().__init__("\n".join([intro, *(f"• {problem}" for problem in problems)]))


def _drop_controls(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in _KEPT_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs", "Co"))


def clean_line(text: str) -> str:
    """One line of text: control characters dropped, runs of whitespace made one space."""
    return _SPACES.sub(" ", _drop_controls(text)).strip()


def clean_paragraphs(text: str) -> str:
    """Paragraph text: control characters dropped, trailing spaces and runs of blank lines trimmed."""
    lines = [line.rstrip() for line in _drop_controls(text).expandtabs(4).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n").strip()


def clean(rule: FieldRule, raw: str | None) -> str:
    return clean_paragraphs(raw or "") if rule.paragraph else clean_line(raw or "")


def readable(rule: FieldRule, raw: str | None) -> str | None:
    """The problem when the raw text holds a character no device can show (a lone surrogate), else None."""
    try:
        clean_input(raw or "", f"“{rule.label}”")
    except UserError as error:
        return str(error)
    return None


def check(rule: FieldRule, value: str) -> str | None:
    """The problem with a cleaned value, or None when it is fine."""
    name, size = f"“{rule.label}”", len(value)
    if size == 0:
        return f"{name} is empty; write at least {rule.minimum} characters."
    if not any(ch.isalnum() for ch in value):
        return f"{name} has no words in it."
    if rule.visible_minimum:
        visible = visible_length(value)
        if visible < rule.minimum:
            if visible == size:
                return f"{name} is {size} characters long; it needs at least {rule.minimum}."
            return f"{name} has {visible} visible characters; it needs at least {rule.minimum}."
    if size < rule.minimum:
        return f"{name} is {size} characters long; it needs at least {rule.minimum}."
    if size > rule.maximum:
        return f"{name} is {size:,} characters long; the limit is {rule.maximum:,}."
    return None


def validate_story(fields: Mapping[str, str | None]) -> StoryText:
    """Clean and check the four story fields (keyed by FieldRule.key); raise StoryValidationError."""
    unreadable = [problem for rule in STORY_FIELDS if (problem := readable(rule, fields.get(rule.key)))]
    if unreadable:
        raise StoryValidationError(unreadable)
    values = {rule.key: clean(rule, fields.get(rule.key)) for rule in STORY_FIELDS}
    problems = [problem for rule in STORY_FIELDS if (problem := check(rule, values[rule.key]))]
    if problems:
        raise StoryValidationError(problems)
    return StoryText(
        title=values[TITLE.key],
        tried=values[TRIED.key],
        worked=values[WORKED.key],
        did_not_work=values[DID_NOT_WORK.key],
    )


def validate_reason(raw: str | None) -> str:
    """A moderator's decline reason, cleaned; the learner reads it, so it may not be empty."""
    problem = readable(REASON, raw)
    value = clean(REASON, raw)
    problem = problem or check(REASON, value)
    if problem:
        raise StoryValidationError([problem], intro="The reason needs another look:")
    return value


def parse_anonymous(choice: str | None) -> bool:
    """The modal's credit choice: "anonymous" hides the name, anything else credits the learner."""
    return (choice or "").strip().lower() == "anonymous"


OPEN_STATUSES = (StoryStatus.PENDING, StoryStatus.PUBLISHED)


def can_withdraw(story: Story) -> bool:
    """Authors take back stories that wait for review or are published; decided-against ones stay as they are."""
    return story.status in OPEN_STATUSES


def reply_is_private(story: Story, viewer_id: int) -> bool:
    """A published story is shown in public, except to its anonymous author: Discord would print
    "<name> used /story" above "Shared by a learner"."""
    return story.anonymous and story.author_id == viewer_id
