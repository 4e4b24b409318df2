"""What a lesson embed says, as plain strings, so validation can measure exactly what the bot will post."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core import limits
from bot.core.cards import Card, Field
from bot.core.text import truncate
from bot.lessons.model import Lesson, LessonRef, Progress, SearchHit
from bot.lessons.outline import OutlinePage, progress_bar
from bot.lessons.pages import split_pages
from bot.lessons.text import escape_markdown

# Discord's embed limits, as the lesson checks name them.
TITLE_LIMIT = limits.EMBED_TITLE
DESCRIPTION_LIMIT = limits.EMBED_DESCRIPTION
AUTHOR_LIMIT = limits.EMBED_AUTHOR
FIELD_NAME_LIMIT = limits.EMBED_FIELD_NAME
FIELD_VALUE_LIMIT = limits.EMBED_FIELD_VALUE
FOOTER_LIMIT = limits.EMBED_FOOTER
EMBED_TOTAL_LIMIT = limits.EMBED_TOTAL
CHOICE_NAME_LIMIT = limits.CHOICE_NAME  # an autocomplete choice's visible name


@dataclass(frozen=True)
class LessonCard:
    """The parts of one lesson embed page."""

    title: str
    author: str
    description: str
    fields: tuple[tuple[str, str], ...]
    footer: str
    page: int
    pages: int

    @property
    def size(self) -> int:
        """Characters counted against Discord's 6,000 per embed (as discord.Embed.__len__ does)."""
        return (
            len(self.title)
            + len(self.author)
            + len(self.description)
            + len(self.footer)
            + sum(len(name) + len(value) for name, value in self.fields)
        )

    def problems(self) -> list[tuple[str, str]]:
        """Every Discord limit this page breaks, as (lesson field to blame, sentence); empty when it fits."""
        checks = [
            ("title", "the title", len(self.title), TITLE_LIMIT),
            ("module", "the module name", len(self.author), AUTHOR_LIMIT),
            ("body", f"page {self.page + 1} of the body", len(self.description), DESCRIPTION_LIMIT),
            ("source", "the footer (page, place in the course and source)", len(self.footer), FOOTER_LIMIT),
        ]
        checks += [("related", f"the '{name}' list", len(value), FIELD_VALUE_LIMIT) for name, value in self.fields]
        out = [
            (field, f"{what} is {size} characters; Discord allows {limit}")
            for field, what, size, limit in checks
            if size > limit
        ]
        if self.size > EMBED_TOTAL_LIMIT:
            out.append(
                (
                    "body",
                    f"page {self.page + 1} makes an embed of {self.size} characters; "
                    f"Discord allows {EMBED_TOTAL_LIMIT}",
                )
            )
        return out


def related_lines(related: Sequence[LessonRef]) -> str:
    return "\n".join(f"• {ref.title} (`{ref.slug}`)" for ref in related)


def build_card(
    lesson: Lesson,
    page: int = 0,
    *,
    related: Sequence[LessonRef] = (),
    position: int | None = None,
    total: int | None = None,
) -> LessonCard:
    """The card for one page of a lesson (page numbers from 0; out-of-range pages are clamped)."""
    pages = split_pages(lesson.body)
    page = max(0, min(page, len(pages) - 1))
    footer_parts = []
    if len(pages) > 1:
        footer_parts.append(f"Page {page + 1} of {len(pages)}")
    if position is not None and total:
        footer_parts.append(f"Lesson {position} of {total}")
    footer_parts.append(f"Source: {lesson.source}")
    fields = (("Related lessons", related_lines(related)),) if related and page == len(pages) - 1 else ()
    return LessonCard(
        title=lesson.title,
        author=lesson.module,
        description=pages[page],
        fields=fields,
        footer=" · ".join(footer_parts),
        page=page,
        pages=len(pages),
    )


def choice_name(ref: LessonRef) -> str:
    """`Title · Module`, cut to the 100 characters an autocomplete choice can show."""
    return truncate(f"{ref.title} · {ref.module}", CHOICE_NAME_LIMIT)


# -- the cards the service hands the adapters ----------------------------------------------------------


def bold(title: str) -> str:
    """A lesson's (or module's) name in bold inside a sentence."""
    return f"**{escape_markdown(title)}**"


def lesson_card(page: LessonCard) -> Card:
    return Card(
        title=page.title,
        description=page.description,
        fields=tuple(Field(name, value) for name, value in page.fields),
        footer=page.footer,
        author=page.author,
    )


def search_card(echo: str, hits: Sequence[SearchHit]) -> Card:
    """Ranked hits; `echo` is the query as the learner may see it (neutralised, cut)."""
    fields = tuple(
        Field(f"{number}. {hit.ref.title}", f"*{escape_markdown(hit.ref.module)}* · `{hit.ref.slug}`\n{hit.excerpt}")
        for number, hit in enumerate(hits, start=1)
    )
    return Card(
        title=f"Lessons about “{echo}”", fields=fields, footer="Best match first · open one below, or use /lesson show"
    )


def outline_card(module: str | None, shown: OutlinePage, done: int, total: int) -> Card:
    return Card(
        title=module or "Course outline",
        description=shown.text,
        footer=f"Page {shown.page + 1} of {shown.pages} · {done} of {total} done · open one with /lesson show",
    )


def progress_card(result: Progress) -> Card:
    fields = [
        Field(
            module.module,
            f"{progress_bar(module.done, module.total, 6)} {module.done}/{module.total}"
            + (" ✅" if module.done == module.total else ""),
        )
        for module in result.modules
    ]
    if result.next_lesson is not None:
        ref = result.next_lesson
        fields.append(Field("Next up", f"{bold(ref.title)} · `/lesson show topic:{ref.slug}`"))
    else:
        fields.append(Field("Next up", "You have done every lesson. Well done! 🎉"))
    return Card(
        title="Your progress",
        description=f"{progress_bar(result.done, result.total)} **{result.done} of {result.total}** lessons "
        f"done ({result.percent}%)",
        fields=tuple(fields),
    )
