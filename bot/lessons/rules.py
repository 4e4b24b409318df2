"""What makes a lesson valid on its own: field formats and Discord's limits. Shared by files and modals."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.lessons.card import CHOICE_NAME_LIMIT, TITLE_LIMIT, build_card
from bot.lessons.model import Lesson, LessonRef
from bot.lessons.pages import split_pages

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 60  # custom_ids of buttons carry the slug and stop at 100 characters
MODULE_MAX = CHOICE_NAME_LIMIT
TAG_MAX = 40
ALIAS_MAX = CHOICE_NAME_LIMIT
SUMMARY_MAX = 300
SOURCE_MAX = 300
ORDER_MAX = 1_000_000
BODY_MAX = 20_000
TAGS_MAX = 20


def slug_problem(slug: str) -> str | None:
    if not SLUG_RE.match(slug):
        return f"slug {slug!r} must be lowercase letters, digits and single hyphens, like 'search-engine-optimisation'"
    if len(slug) > SLUG_MAX:
        return f"slug is {len(slug)} characters; keep it to {SLUG_MAX}"
    return None


def lesson_problems(lesson: Lesson, *, related: Sequence[LessonRef] | None = None) -> list[tuple[str, str]]:
    """Problems as (field, sentence). With `related` given, also checks every embed page fits Discord."""
    out: list[tuple[str, str]] = []

    def text(field: str, value: str, limit: int, *, one_line: bool = True) -> None:
        if not value.strip():
            out.append((field, f"{field} is empty"))
        elif len(value) > limit:
            out.append((field, f"{field} is {len(value)} characters; keep it to {limit}"))
        elif one_line and "\n" in value:
            out.append((field, f"{field} must be on one line"))

    if (problem := slug_problem(lesson.slug)) is not None:
        out.append(("slug", problem))
    text("title", lesson.title, TITLE_LIMIT)
    text("module", lesson.module, MODULE_MAX)
    text("source", lesson.source, SOURCE_MAX)
    if lesson.summary:
        text("summary", lesson.summary, SUMMARY_MAX)
    if not 0 <= lesson.order <= ORDER_MAX:
        out.append(("order", f"order must be a whole number from 0 to {ORDER_MAX}"))
    if len(lesson.tags) > TAGS_MAX:
        out.append(("tags", f"{len(lesson.tags)} tags; keep it to {TAGS_MAX}"))
    for tag in lesson.tags:
        text("tags", tag, TAG_MAX)
    for alias in lesson.aliases:
        text("aliases", alias, ALIAS_MAX)
    for name, values in (("tags", lesson.tags), ("aliases", lesson.aliases), ("related", lesson.related)):
        seen = [v.casefold() for v in values]
        for dup in sorted({v for v in seen if seen.count(v) > 1}):
            out.append((name, f"{name} lists {dup!r} twice"))
    for slug in lesson.related:
        if slug == lesson.slug:
            out.append(("related", "a lesson cannot be related to itself"))
        elif (problem := slug_problem(slug)) is not None:
            out.append(("related", f"related: {problem}"))
    if not lesson.body.strip():
        out.append(("body", "the lesson has no body text after the front matter"))
    elif len(lesson.body) > BODY_MAX:
        out.append(("body", f"the body is {len(lesson.body)} characters; keep it to {BODY_MAX} (split the lesson)"))
    elif related is not None:
        for page in range(len(split_pages(lesson.body))):
            card = build_card(lesson, page, related=related, position=ORDER_MAX, total=ORDER_MAX)
            out.extend(problem for problem in card.problems() if problem not in out)
    return out
