"""Reading and checking a whole folder of lesson files: each file, then the course as a whole."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from bot.lessons.frontmatter import ParsedFile, Problem, parse_lesson_bytes
from bot.lessons.model import Lesson
from bot.lessons.rules import lesson_problems


@dataclass(frozen=True)
class CourseFolder:
    """The lessons of a folder in course order, and every problem found (empty when it can be imported)."""

    lessons: tuple[Lesson, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def lesson_files(directory: Path | Traversable) -> list[Traversable]:
    """The lesson files of a folder (a real folder or a shipped package resource): every *.md except
    README.md and names starting with '_', by name."""
    return sorted(
        (
            path
            for path in directory.iterdir()
            if path.name.endswith(".md")
            and path.is_file()
            and path.name.lower() != "readme.md"
            and not path.name.startswith("_")
        ),
        key=lambda path: path.name,
    )


def course_order(lessons: Iterable[Lesson]) -> list[Lesson]:
    """Modules in the order of their first lesson, lessons by `order` (then slug) inside each."""
    items = list(lessons)
    first: dict[str, int] = {}
    for lesson in items:
        first[lesson.module] = min(first.get(lesson.module, lesson.order), lesson.order)
    return sorted(items, key=lambda lesson: (first[lesson.module], lesson.module, lesson.order, lesson.slug))


def load_folder(directory: Path | Traversable) -> CourseFolder:
    """Read and check every lesson file in `directory` (a folder, or the shipped course as a resource)."""
    if not directory.is_dir():
        return CourseFolder((), (Problem(str(directory), 1, "not a folder"),))
    files = lesson_files(directory)
    if not files:
        return CourseFolder((), (Problem(str(directory), 1, "no lesson files (*.md) in this folder"),))
    parsed = [parse_lesson_bytes(path.read_bytes(), str(path)) for path in files]
    return check_course(parsed)


def check_course(parsed: list[ParsedFile]) -> CourseFolder:
    """Per-file problems plus those across files: unique slugs and aliases, related lessons that exist,
    and every page of every lesson fitting in an embed."""
    problems = [problem for item in parsed for problem in item.problems]
    good = [item for item in parsed if item.lesson is not None]

    by_slug: dict[str, ParsedFile] = {}
    for item in good:
        assert item.lesson is not None
        slug = item.lesson.slug
        if slug in by_slug:
            problems.append(
                Problem(item.path, item.line_of("slug"), f"slug '{slug}' is already used by {by_slug[slug].path}")
            )
        else:
            by_slug[slug] = item

    names: dict[str, tuple[str, ParsedFile]] = {}
    for item in by_slug.values():
        assert item.lesson is not None
        names[item.lesson.slug] = ("slug", item)
    for item in by_slug.values():
        assert item.lesson is not None
        for alias in item.lesson.aliases:
            key = alias.casefold()
            owner = names.get(key)
            if owner is not None and owner[1] is not item:
                kind, other = owner
                problems.append(
                    Problem(
                        item.path, item.line_of("aliases"), f"alias '{alias}' is already the {kind} of {other.path}"
                    )
                )
            else:
                names[key] = ("alias", item)

    refs = {slug: item.lesson.ref for slug, item in by_slug.items() if item.lesson is not None}
    for item in by_slug.values():
        lesson = item.lesson
        assert lesson is not None
        missing = [slug for slug in lesson.related if slug not in refs]
        hint = " (or its file has problems, listed here too)" if len(good) < len(parsed) else ""
        for slug in missing:
            problems.append(
                Problem(item.path, item.line_of("related"), f"related lesson '{slug}' does not exist{hint}")
            )
        related = [refs[slug] for slug in lesson.related if slug in refs]
        # Fields were checked file by file; with the related titles known, this adds the embed limits.
        for name, message in lesson_problems(lesson, related=related):
            problems.append(Problem(item.path, item.line_of(name), message))

    problems.sort(key=lambda p: (p.path, p.line, p.message))
    lessons = [item.lesson for item in by_slug.values() if item.lesson is not None]
    return CourseFolder(tuple(course_order(lessons)), tuple(problems))
