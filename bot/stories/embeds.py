"""Embeds for stories: the review post in #mod-queue, the public post, lists. Building only, no sending."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.stories.formatting import body_pages, escape, headline, list_line, status_text, truncate
from bot.stories.model import ANONYMOUS_CREDIT, Story, StoryStatus

FIELD_MAX = 1024
LIST_LINES = 25

STATUS_COLOURS = {
    StoryStatus.PENDING: discord.Colour.gold(),
    StoryStatus.PUBLISHED: discord.Colour.green(),
    StoryStatus.DECLINED: discord.Colour.red(),
    StoryStatus.WITHDRAWN: discord.Colour.light_grey(),
}


def _when(story: Story) -> str:
    return discord.utils.format_dt(story.decided_at, "f") if story.decided_at else "just now"


def decision_text(story: Story) -> str:
    """Who decided the story and when, as moderators read it on the review post."""
    if story.status is StoryStatus.PENDING:
        return "Waiting for review"
    if story.status is StoryStatus.WITHDRAWN:
        withdrawn = story.withdrawn_at or story.submitted_at
        before = ""
        if story.decided_by is not None:
            before = f" (after approval by <@{story.decided_by}>)"
        return f"Withdrawn by the author {discord.utils.format_dt(withdrawn, 'f')}{before}"
    verb = "Declined" if story.status is StoryStatus.DECLINED else "Approved"
    if story.edited:
        verb += " with edits"
    return f"{verb} by <@{story.decided_by}> {_when(story)}"


def review_embeds(story: Story, *, lesson_title: str | None = None) -> list[discord.Embed]:
    """The review post: the story (one embed per page) with author, lesson, spam warning and status."""
    pages = body_pages(story.text)
    first = discord.Embed(
        title=headline(story),
        description=pages[0],
        colour=STATUS_COLOURS[story.status],
        timestamp=story.submitted_at,
    )
    shared_by = f"<@{story.author_id}> ({escape(truncate(story.author_name, 80))})"
    if story.anonymous:
        shared_by += f"\nWants to be published anonymously, as “{ANONYMOUS_CREDIT}”."
    first.add_field(name="Shared by", value=shared_by, inline=False)
    if story.lesson_slug:
        first.add_field(name="Lesson", value=escape(truncate(lesson_title or story.lesson_slug, 200)))
    if story.screening.flagged:
        reasons = "; ".join(story.screening.reasons) or "no reason given"
        first.add_field(
            name="⚠️ Flagged by the spam filter",
            value=truncate(f"Score {story.screening.score:.2f}: {escape(reasons)}", FIELD_MAX),
            inline=False,
        )
    first.add_field(name="Status", value=decision_text(story), inline=False)
    if story.status is StoryStatus.DECLINED and story.decline_reason:
        first.add_field(name="Reason", value=truncate(escape(story.decline_reason), FIELD_MAX), inline=False)
    footer = f"Story #{story.number} · submitted"
    if len(pages) > 1:
        footer = f"Page 1 of {len(pages)} · " + footer
    first.set_footer(text=footer)
    return [first, *_continuations(story, pages)]


def public_embeds(story: Story, *, lesson_title: str | None = None) -> list[discord.Embed]:
    """The published story: credited to its author or to "a learner"."""
    pages = body_pages(story.text)
    first = discord.Embed(
        title=headline(story),
        description=pages[0],
        colour=STATUS_COLOURS[StoryStatus.PUBLISHED],
        timestamp=story.decided_at or story.submitted_at,
    )
    first.set_author(name=truncate(f"Shared by {story.credit}", 256))
    if story.lesson_slug:
        first.add_field(name="Lesson", value=escape(truncate(lesson_title or story.lesson_slug, 200)))
    if story.thread_id:
        first.add_field(name="Discussion", value=f"<#{story.thread_id}>")
    footer = f"Story #{story.number}"
    if len(pages) > 1:
        footer += f" · page 1 of {len(pages)}"
    first.set_footer(text=footer)
    return [first, *_continuations(story, pages)]


def _continuations(story: Story, pages: Sequence[str]) -> list[discord.Embed]:
    return [
        discord.Embed(
            title=truncate(f"#{story.number} (continued)", 256),
            description=page,
            colour=STATUS_COLOURS[story.status],
        ).set_footer(text=f"Story #{story.number} · page {index} of {len(pages)}")
        for index, page in enumerate(pages[1:], start=2)
    ]


def list_embed(
    title: str,
    stories: Sequence[Story],
    *,
    lesson_titles: dict[str, str] | None = None,
    for_author: bool = False,
    empty: str = "Nothing here yet.",
    footer: str | None = None,
) -> discord.Embed:
    """A list of stories, one line each (at most LIST_LINES lines; the caller pages longer lists)."""
    titles = lesson_titles or {}
    lines = [
        list_line(
            story,
            lesson_title=titles.get(story.lesson_slug or "", story.lesson_slug),
            for_author=for_author,
        )
        for story in stories[:LIST_LINES]
    ]
    if len(stories) > LIST_LINES:
        lines.append(f"… and {len(stories) - LIST_LINES} more.")
    embed = discord.Embed(title=title, description=truncate("\n".join(lines) or empty, 4096))
    if footer:
        embed.set_footer(text=footer)
    return embed


def own_story_embeds(story: Story, *, lesson_title: str | None = None) -> list[discord.Embed]:
    """A story as its author sees it when it is not public: the text and where it stands."""
    embeds = review_embeds(story, lesson_title=lesson_title)
    first = embeds[0].clear_fields()
    if story.lesson_slug:
        first.add_field(name="Lesson", value=escape(truncate(lesson_title or story.lesson_slug, 200)))
    first.add_field(name="Status", value=status_text(story), inline=False)
    if story.anonymous:
        first.add_field(name="Credit", value=f"Published anonymously, as “{ANONYMOUS_CREDIT}”.", inline=False)
    return embeds
