"""Lessons: the course as Markdown files with front matter, checked, paginated and searchable (no Discord)."""

from bot.lessons.model import Lesson, LessonRef

__all__ = ["Lesson", "LessonRef"]
