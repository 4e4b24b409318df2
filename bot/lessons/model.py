"""The lesson as the rest of the bot sees it, and the small records the lesson store returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One lesson: front matter fields plus the Markdown body a learner reads in Discord.

    `order` is the lesson's position in the course (course-wide, e.g. 110, 120, 210 ...); modules are
    shown in the order of their first lesson.
    """

    slug: str
    title: str
    module: str
    order: int
    body: str
    source: str
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    summary: str = ""
    related: tuple[str, ...] = ()

    @property
    def ref(self) -> LessonRef:
        return LessonRef(self.slug, self.title, self.module)


@dataclass(frozen=True)
class LessonRef:
    """Enough of a lesson to name it in a list, a choice or a button."""

    slug: str
    title: str
    module: str


@dataclass(frozen=True)
class SearchHit:
    """One full-text match: the lesson, its bm25 score (lower is better) and an excerpt with **highlights**."""

    ref: LessonRef
    score: float
    excerpt: str


@dataclass(frozen=True)
class OutlineEntry:
    """A line of the course outline: the lesson, its place in the course and whether the learner did it."""

    ref: LessonRef
    position: int
    done: bool


@dataclass(frozen=True)
class ModuleProgress:
    module: str
    done: int
    total: int


@dataclass(frozen=True)
class Progress:
    """A learner's progress: done / total overall and by module, and the next lesson to read."""

    done: int
    total: int
    modules: tuple[ModuleProgress, ...] = ()
    next_lesson: LessonRef | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed, by slug."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    """Lessons only in the database, left in place because the import merged."""

    @property
    def total(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def describe(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged"]
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        text = f"{self.total} lessons from the files ({', '.join(parts)})"
        if self.kept:
            text += f"; {len(self.kept)} lessons that are not in the files were kept"
        return text
