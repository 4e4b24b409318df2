"""What makes a lesson valid on its own: field formats and Discord's limits. Shared by files and modals."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.core import limits
from bot.core.text import clean_input, plural
from bot.lessons.card import CHOICE_NAME_LIMIT, TITLE_LIMIT, build_card
from bot.lessons.model import SLUG_MAX, Lesson, LessonRef
from bot.lessons.pages import split_pages

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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


# -- the moderators' form ------------------------------------------------------------------------------

FORM_FIELDS = ("title", "module", "body", "tags", "source")
FORM_BODY_MAX = limits.TEXT_INPUT_VALUE
"""A Discord form's text input holds this much: longer lessons are edited in their file."""
_FORM_NAMES = {
    "title": "the title",
    "module": "the module",
    "body": "the lesson text",
    "tags": "the tags",
    "source": "the source",
}


@dataclass(frozen=True)
class LessonForm:
    """What a moderator typed into the lesson form, cleaned (lone surrogates refused)."""

    title: str
    module: str
    body: str
    tags: tuple[str, ...]
    source: str


def normalize_body(body: str) -> str:
    """Line endings to \\n, trailing spaces and blank lines at either end dropped."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def form_values(lesson: Lesson) -> dict[str, str]:
    """The form's fields filled in from a lesson (for /lessons edit)."""
    return {
        "title": lesson.title,
        "module": lesson.module,
        "body": lesson.body,
        "tags": ", ".join(lesson.tags),
        "source": lesson.source,
    }


def parse_form(values: Mapping[str, str]) -> LessonForm:
    """The form's text made ready for a lesson; a UserError names the field holding an unreadable character."""
    cleaned = {key: clean_input(values.get(key) or "", _FORM_NAMES[key]) for key in FORM_FIELDS}
    tags = tuple(dict.fromkeys(t.strip() for t in cleaned["tags"].split(",") if t.strip()))
    return LessonForm(cleaned["title"], cleaned["module"], normalize_body(cleaned["body"]), tags, cleaned["source"])


def form_lesson(form: LessonForm, *, existing: Lesson | None, slug: str, order: int, editor: str) -> Lesson:
    """The lesson the form describes. Editing keeps what the form does not hold (aliases, summary, related);
    `order` is used for a new lesson or one moved to another module. An empty source names the editor."""
    source = form.source or f"Course team ({editor}), written in Discord"
    if existing is None:
        return Lesson(slug, form.title, form.module, order, form.body, source, tags=form.tags)
    kept_order = existing.order if existing.module == form.module else order
    return replace(
        existing, title=form.title, module=form.module, order=kept_order, body=form.body, source=source, tags=form.tags
    )


def form_too_long(lesson: Lesson) -> str | None:
    """Why a lesson cannot be edited in a Discord form, or None."""
    if len(lesson.body) <= FORM_BODY_MAX:
        return None
    return (
        f"it is {plural(len(lesson.body), 'character')} long; a Discord form holds {FORM_BODY_MAX:,}. "
        "Edit its file instead and run `/lessons reload`."
    )


# -- posting in public ------------------------------------------------------------------------------

POST_COOLDOWN = timedelta(seconds=60)
"""How often one learner may post a lesson publicly in one channel."""


def describe_wait(seconds: float) -> str:
    """`1 second`, `45 seconds`, `3 minutes`, `2 hours`: how long to wait, in words."""
    whole = max(1, round(seconds))
    if whole < 90:
        return plural(whole, "second")
    if whole < 90 * 60:
        return plural(round(whole / 60), "minute")
    return plural(round(whole / 3600), "hour")


def cooldown_refusal(now: datetime, retry_at: datetime) -> str:
    """Why a public post is refused now, when it will be allowed, and the way to read it at once."""
    wait = (retry_at - now).total_seconds()
    return (
        f"You posted a lesson in this channel a moment ago. You can post another in {describe_wait(wait)} "
        f"(<t:{int(retry_at.timestamp())}:T>), or add `private: True` to read it just for you now."
    )
