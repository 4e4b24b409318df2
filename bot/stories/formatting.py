"""Turning story text into embed-ready text: escaped so it cannot mention anyone or break the layout,
and cut into pages that fit Discord's embed limits."""

from __future__ import annotations

import discord

from bot.stories.model import Story, StoryStatus, StoryText

# One embed's description holds 4,096 characters and a whole message's embeds 6,000; a page leaves room
# for the title, the fields (author, lesson, status, decline reason, spam warning) and the footer.
PAGE_CHARS = 3500
ELLIPSIS = "…"
SECTION_HEADINGS = ("What I tried", "What worked", "What did not work")


def escape(text: str) -> str:
    """User text made inert: Markdown shown literally, @everyone/@here and user/role mentions defused."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def _safe_cut(text: str, limit: int) -> int:
    """A cut position <= limit that does not separate a backslash from the character it escapes."""
    cut = limit
    backslashes = 0
    while cut - backslashes - 1 >= 0 and text[cut - backslashes - 1] == "\\":
        backslashes += 1
    return cut - 1 if backslashes % 2 else cut


def truncate(text: str, limit: int) -> str:
    """Text cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = _safe_cut(text, limit - len(ELLIPSIS))
    return text[:cut].rstrip() + ELLIPSIS


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
    """The three parts under bold headings, user text escaped."""
    parts = (text.tried, text.worked, text.did_not_work)
    return "\n\n".join(f"**{heading}**\n{escape(part)}" for heading, part in zip(SECTION_HEADINGS, parts, strict=True))


def body_pages(text: StoryText, limit: int = PAGE_CHARS) -> list[str]:
    """The story body as one or more embed descriptions."""
    return split_pages(story_body(text), limit)


def headline(story: Story, limit: int = 256) -> str:
    """ "#12 · Title", escaped, fit for an embed title."""
    return truncate(f"#{story.number} · {escape(story.title)}", limit)


def list_line(story: Story, *, lesson_title: str | None = None, for_author: bool = False) -> str:
    """One line for a list of stories.

    The public form credits the story and names its lesson; the author's own form (`for_author`) says
    instead whether it is anonymous and where it stands in review.
    """
    parts = [f"**#{story.number}** {escape(truncate(story.title, 80))}"]
    if for_author:
        if story.anonymous:
            parts.append("anonymous")
        parts.append(status_text(story))
        return " · ".join(parts)
    parts.append(f"by {escape(story.credit)}")
    if lesson_title:
        parts.append(f"lesson: {escape(truncate(lesson_title, 60))}")
    return " · ".join(parts)


def status_text(story: Story) -> str:
    """The status as the author reads it in /story mine."""
    when = discord.utils.format_dt(story.decided_at or story.submitted_at, "R")
    if story.status is StoryStatus.PENDING:
        return f"waiting for review (sent {when})"
    if story.status is StoryStatus.PUBLISHED:
        return f"published {when}"
    if story.status is StoryStatus.DECLINED:
        reason = escape(truncate(story.decline_reason or "no reason given", 300))
        return f"declined {when}: {reason}"
    return f"withdrawn {discord.utils.format_dt(story.withdrawn_at or story.submitted_at, 'R')}"
