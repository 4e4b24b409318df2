"""Text for the course outline (`/lesson list`) and progress (`/progress`), as plain strings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.lessons.model import OutlineEntry
from bot.lessons.text import escape_markdown

OUTLINE_PAGE_SIZE = 10
DONE_MARK = "✅"
TODO_MARK = "▫️"


@dataclass(frozen=True)
class OutlinePage:
    text: str
    page: int
    pages: int


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """`▰▰▰▱▱▱▱▱▱▱` for 3 of 10 (rounded to the bar's width)."""
    filled = round(width * done / total) if total else 0
    return "▰" * filled + "▱" * (width - filled)


def outline_page(entries: Sequence[OutlineEntry], page: int, size: int = OUTLINE_PAGE_SIZE) -> OutlinePage:
    """One page of the outline: module headings, then `✅ 3. Title` lines (page numbers from 0, clamped)."""
    pages = max(1, -(-len(entries) // size))
    page = max(0, min(page, pages - 1))
    lines: list[str] = []
    module = None
    for entry in entries[page * size : (page + 1) * size]:
        if entry.ref.module != module:
            module = entry.ref.module
            if lines:
                lines.append("")
            lines.append(f"**{escape_markdown(module)}**")
        mark = DONE_MARK if entry.done else TODO_MARK
        lines.append(f"{mark} {entry.position}. {escape_markdown(entry.ref.title)} · `{entry.ref.slug}`")
    return OutlinePage("\n".join(lines), page, pages)
