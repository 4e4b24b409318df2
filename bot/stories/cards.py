"""What stories look like, as Cards and sentences: the review post, the public post, lists, and the lines the
bot says about a story. Pure: user text goes through `neutralise()`, Discord's limits come from bot.core.limits,
and the adapters render the cards (bot.render cuts every part to the limits)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.core import limits
from bot.core.cards import Card, Field, Tone
from bot.core.text import jump_url, neutralise, person, plural, quote_inline, truncate, without_pings
from bot.stories.model import ANONYMOUS_CREDIT, Story, StoryStatus, StoryText

# One embed's description holds 4,096 characters and a whole message's embeds 6,000; a page leaves room
# for the title, the fields (author, lesson, status, decline reason, spam warning) and the footer.
PAGE_CHARS = 3500
LIST_LINES = 25
TITLE_IN_LINE = 80
TITLE_IN_SENTENCE = 100
LESSON_IN_FIELD = 200
LESSON_IN_LINE = 60
REASON_IN_LINE = 300
SECTION_HEADINGS = ("What I tried", "What worked", "What did not work")

STATUS_TONES = {
    StoryStatus.PENDING: Tone.WARNING,
    StoryStatus.PUBLISHED: Tone.SUCCESS,
    StoryStatus.DECLINED: Tone.DANGER,
    StoryStatus.WITHDRAWN: Tone.NEUTRAL,
}


def stamp(moment: datetime, style: str = "f") -> str:
    """A Discord timestamp (`<t:…:f>`): every reader sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def story_count(count: int) -> str:
    return plural(count, "story", "stories")


def quote_title(story: Story) -> str:
    """`#12 “Title”` for a sentence."""
    return f"#{story.number} “{quote_inline(story.title, TITLE_IN_SENTENCE)}”"


def _safe_cut(text: str, limit: int) -> int:
    """A cut position <= limit that does not separate a backslash from the character it escapes."""
    cut = limit
    backslashes = 0
    while cut - backslashes - 1 >= 0 and text[cut - backslashes - 1] == "\\":
        backslashes += 1
    return cut - 1 if backslashes % 2 else cut


def split_pages(text: str, limit: int = PAGE_CHARS) -> list[str]:
    """Cut text into pages of at most `limit` characters, at a paragraph, line or word where possible."""
    pages: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > limit // 2:
                break
        if cut <= limit // 2:
            cut = _safe_cut(rest, limit)
        pages.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pages:
        pages.append(rest)
    return pages


def story_body(text: StoryText) -> str:
    """The three parts under bold headings, user text neutralised."""
    parts = (text.tried, text.worked, text.did_not_work)
    return "\n\n".join(
        f"**{heading}**\n{neutralise(part)}" for heading, part in zip(SECTION_HEADINGS, parts, strict=True)
    )


def body_pages(text: StoryText, limit: int = PAGE_CHARS) -> list[str]:
    """The story body as one or more embed descriptions."""
    return split_pages(story_body(text), limit)


def headline(story: Story, limit: int = limits.EMBED_TITLE) -> str:
    """ "#12 · Title", neutralised, fit for an embed title."""
    return truncate(f"#{story.number} · {neutralise(story.title)}", limit)


def thread_name(story: Story) -> str:
    """The discussion thread's name (thread names show no Markdown and ping nobody)."""
    return truncate(without_pings(f"#{story.number} {' '.join(story.title.split())}"), limits.THREAD_NAME)


def status_text(story: Story) -> str:
    """The status as the author reads it in /story mine."""
    when = stamp(story.decided_at or story.submitted_at, "R")
    if story.status is StoryStatus.PENDING:
        return f"waiting for review (sent {when})"
    if story.status is StoryStatus.PUBLISHED:
        return f"published {when}"
    if story.status is StoryStatus.DECLINED:
        return f"declined {when}: {neutralise(story.decline_reason or 'no reason given', REASON_IN_LINE)}"
    return f"withdrawn {stamp(story.withdrawn_at or story.submitted_at, 'R')}"


def list_line(story: Story, *, lesson_title: str | None = None, for_author: bool = False) -> str:
    """One line for a list of stories.

    The public form credits the story and names its lesson; the author's own form (`for_author`) says
    instead whether it is anonymous and where it stands in review.
    """
    parts = [f"**#{story.number}** {neutralise(truncate(story.title, TITLE_IN_LINE))}"]
    if for_author:
        if story.anonymous:
            parts.append("anonymous")
        parts.append(status_text(story))
        return " · ".join(parts)
    parts.append(f"by {neutralise(story.credit)}")
    if lesson_title:
        parts.append(f"lesson: {neutralise(truncate(lesson_title, LESSON_IN_LINE))}")
    return " · ".join(parts)


def decision_text(story: Story) -> str:
    """Who decided the story and when, as moderators read it on the review post."""
    if story.status is StoryStatus.PENDING:
        return "Waiting for review"
    if story.status is StoryStatus.WITHDRAWN:
        before = f" (after approval by <@{story.decided_by}>)" if story.decided_by is not None else ""
        return f"Withdrawn by the author {stamp(story.withdrawn_at or story.submitted_at)}{before}"
    verb = "Declined" if story.status is StoryStatus.DECLINED else "Approved"
    if story.edited:
        verb += " with edits"
    when = stamp(story.decided_at) if story.decided_at else "just now"
    return f"{verb} by <@{story.decided_by}> {when}"


def already_decided(story: Story) -> str:
    """What a moderator (or a racing author) hears about a story someone already dealt with."""
    if story.status is StoryStatus.WITHDRAWN:
        return f"Story #{story.number} was withdrawn by its author; there is nothing to review."
    if story.status is StoryStatus.PENDING:
        return f"Story #{story.number} is still waiting for review."
    verb = "approved" if story.status is StoryStatus.PUBLISHED else "declined"
    when = f" {stamp(story.decided_at, 'R')}" if story.decided_at else ""
    return f"Story #{story.number} was already {verb} by <@{story.decided_by}>{when}."


def _lesson_field(story: Story, lesson_title: str | None) -> tuple[Field, ...]:
    if not story.lesson_slug:
        return ()
    return (Field("Lesson", neutralise(truncate(lesson_title or story.lesson_slug, LESSON_IN_FIELD)), inline=True),)


def _continuations(story: Story, pages: Sequence[str]) -> list[Card]:
    return [
        Card(
            title=f"#{story.number} (continued)",
            description=page,
            tone=STATUS_TONES[story.status],
            footer=f"Story #{story.number} · page {index} of {len(pages)}",
        )
        for index, page in enumerate(pages[1:], start=2)
    ]


def review_cards(story: Story, *, lesson_title: str | None = None) -> list[Card]:
    """The review post: the story (one card per page) with author, lesson, spam warning and status."""
    pages = body_pages(story.text)
    shared_by = person(truncate(story.author_name, TITLE_IN_LINE), story.author_id)  # as #mod-log names them
    if story.anonymous:
        shared_by += f"\nWants to be published anonymously, as “{ANONYMOUS_CREDIT}”."
    fields = [Field("Shared by", shared_by), *_lesson_field(story, lesson_title)]
    if story.screening.flagged:
        reasons = "; ".join(story.screening.reasons) or "no reason given"
        fields.append(
            Field(
                "⚠️ Flagged by the spam filter",
                truncate(f"Score {story.screening.score:.2f}: {neutralise(reasons)}", limits.EMBED_FIELD_VALUE),
            )
        )
    fields.append(Field("Status", decision_text(story)))
    if story.status is StoryStatus.DECLINED and story.decline_reason:
        fields.append(Field("Reason", neutralise(story.decline_reason, limits.EMBED_FIELD_VALUE)))
    footer = f"Story #{story.number} · submitted"
    if len(pages) > 1:
        footer = f"Page 1 of {len(pages)} · " + footer
    first = Card(
        title=headline(story),
        description=pages[0],
        fields=tuple(fields),
        footer=footer,
        tone=STATUS_TONES[story.status],
        timestamp=story.submitted_at,
    )
    return [first, *_continuations(story, pages)]


def public_cards(story: Story, *, lesson_title: str | None = None) -> list[Card]:
    """The published story: credited to its author or to "a learner"."""
    pages = body_pages(story.text)
    fields = list(_lesson_field(story, lesson_title))
    if story.thread_id:
        fields.append(Field("Discussion", f"<#{story.thread_id}>", inline=True))
    footer = f"Story #{story.number}"
    if len(pages) > 1:
        footer += f" · page 1 of {len(pages)}"
    first = Card(
        title=headline(story),
        description=pages[0],
        fields=tuple(fields),
        footer=footer,
        tone=STATUS_TONES[StoryStatus.PUBLISHED],
        author=f"Shared by {story.credit}",  # embed author names show no Markdown
        timestamp=story.decided_at or story.submitted_at,
    )
    return [first, *_continuations(story, pages)]


def own_story_cards(story: Story, *, lesson_title: str | None = None) -> list[Card]:
    """A story as its author sees it when it is not public: the text and where it stands."""
    first, *rest = review_cards(story, lesson_title=lesson_title)
    fields = [*_lesson_field(story, lesson_title), Field("Status", status_text(story))]
    if story.anonymous:
        fields.append(Field("Credit", f"Published anonymously, as “{ANONYMOUS_CREDIT}”."))
    return [
        Card(
            title=first.title,
            description=first.description,
            fields=tuple(fields),
            footer=first.footer,
            tone=first.tone,
            timestamp=first.timestamp,
        ),
        *rest,
    ]


def list_card(
    title: str,
    stories: Sequence[Story],
    *,
    lesson_titles: Mapping[str, str] | None = None,
    for_author: bool = False,
    empty: str = "Nothing here yet.",
    footer: str | None = None,
) -> Card:
    """A list of stories, one line each (at most LIST_LINES lines; the caller pages longer lists)."""
    titles = lesson_titles or {}
    lines = [
        list_line(story, lesson_title=titles.get(story.lesson_slug or "", story.lesson_slug), for_author=for_author)
        for story in stories[:LIST_LINES]
    ]
    if len(stories) > LIST_LINES:
        lines.append(f"… and {len(stories) - LIST_LINES} more.")
    return Card(
        title=title,
        description=truncate("\n".join(lines) or empty, limits.EMBED_DESCRIPTION),
        footer=footer,
        tone=Tone.INFO,
    )


def queue_line(story: Story) -> str:
    """A pending story for /stories queue: number, title, author, age, flag, and where to review it."""
    parts = [
        f"**#{story.number}** {neutralise(truncate(story.title, TITLE_IN_LINE))}",
        f"by <@{story.author_id}>" + (" (anonymous)" if story.anonymous else ""),
        f"sent {stamp(story.submitted_at, 'R')}",
    ]
    if story.screening.flagged:
        parts.append("⚠️ flagged by the spam filter")
    if story.queue_message_id is not None and story.queue_channel_id is not None:
        parts.append(f"[review post]({jump_url(story.guild_id, story.queue_channel_id, story.queue_message_id)})")
    else:
        parts.append(f"not in #mod-queue: `/story show number:{story.number}`")
    return " · ".join(parts)
