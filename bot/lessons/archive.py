"""The course as a zip of lesson files (what `/lessons export` attaches), and reading such a zip back."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from bot.lessons.frontmatter import lesson_to_markdown, parse_lesson_bytes
from bot.lessons.model import Lesson
from bot.lessons.validation import CourseFolder, check_course


def export_zip(lessons: Iterable[Lesson]) -> bytes:
    """One `<slug>.md` per lesson, in the format `lessons import` reads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for lesson in lessons:
            archive.writestr(f"lessons/{lesson.slug}.md", lesson_to_markdown(lesson))
    return buffer.getvalue()


def read_zip(data: bytes) -> CourseFolder:
    """The lessons of an exported zip, checked like a folder."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parsed = [
            parse_lesson_bytes(archive.read(name), name)
            for name in sorted(archive.namelist())
            if name.endswith(".md") and not name.endswith("/")
        ]
    return check_course(parsed)
