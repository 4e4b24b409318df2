"""The lesson as the rest of the bot sees it, and the small records the lesson store returns."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.cards import Card
from bot.core.text import plural

SLUG_MAX = 60
"""A slug's longest: custom_ids of buttons carry the slug and stop at 100 characters."""


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
        text = f"{plural(self.total, 'lesson')} from the files ({', '.join(parts)})"
        if self.kept:
            verb = "is" if len(self.kept) == 1 else "are"
            was = "was" if len(self.kept) == 1 else "were"
            text += f"; {plural(len(self.kept), 'lesson')} that {verb} not in the files {was} kept"
        return text


# -- what the service hands the adapters --------------------------------------------------------------


@dataclass(frozen=True)
class LessonView:
    """One page of a lesson as a card, with what its buttons need: paging, place in the course, done."""

    card: Card
    slug: str
    page: int
    pages: int
    position: int | None
    total: int | None
    done: bool


@dataclass(frozen=True)
class OutlineView:
    """One page of the outline; `module_index` is the module's place in the course from 1 (0: all)."""

    card: Card
    module_index: int
    page: int
    pages: int


@dataclass(frozen=True)
class ProgressView:
    card: Card
    next_lesson: LessonRef | None


@dataclass(frozen=True)
class DoneState:
    """A learner's done mark on one lesson after they pressed the toggle, and what to say about it."""

    slug: str
    done: bool
    text: str
    next_lesson: LessonRef | None


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits as a card, or (when nothing matched) a sentence and the lessons it may have meant."""

    card: Card | None
    hits: tuple[SearchHit, ...] = ()
    text: str = ""
    guesses: tuple[LessonRef, ...] = ()


@dataclass(frozen=True)
class SavedLesson:
    """A lesson saved from the form (`problems` empty), or the problems that kept it from being saved."""

    lesson: Lesson | None
    verb: str = ""  # "added" or "edited"
    problems: tuple[str, ...] = ()
    named: str = ""  # the lesson as replies and logs name it: **Title** (`slug`)

    @property
    def log(self) -> str:
        return f"{self.verb} lesson {self.named}."

    @property
    def reply(self) -> str:
        return f"Lesson {self.verb}: {self.named}. This is how learners see it:"


@dataclass(frozen=True)
class Reloaded:
    """What a reload did (`summary`), or the problems that stopped it."""

    summary: ImportSummary | None
    text: str
    log: str = ""


@dataclass(frozen=True)
class Export:
    filename: str
    data: bytes
    text: str
    log: str
