"""Lesson files: Markdown with YAML front matter, read with line numbers for every problem, and written back."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.lessons.model import Lesson
from bot.lessons.rules import lesson_problems, normalize_body

FIELDS = ("slug", "title", "module", "order", "tags", "aliases", "summary", "related", "source")
REQUIRED = ("slug", "title", "module", "order", "source")
_TEXT_FIELDS = ("slug", "title", "module", "summary", "source")
_LIST_FIELDS = ("tags", "aliases", "related")
DELIMITER = "---"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a lesson file, at a line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedFile:
    """A lesson file read: the lesson (None when the file has problems) and where each field sits."""

    path: str
    lesson: Lesson | None
    problems: tuple[Problem, ...] = ()
    lines: Mapping[str, int] = field(default_factory=dict)
    body_line: int = 1

    def line_of(self, name: str) -> int:
        return self.body_line if name == "body" else self.lines.get(name, 1)


def parse_lesson_bytes(data: bytes, path: str) -> ParsedFile:
    """Decode as UTF-8 (a bad byte is a problem at its line) and parse."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return ParsedFile(
            path,
            None,
            (Problem(path, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"),),
        )
    return parse_lesson_text(text, path)


def parse_lesson_text(text: str, path: str = "<lesson>") -> ParsedFile:
    """Parse one lesson file's text. Every problem found is reported, each at its line."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != DELIMITER:
        return _fail(path, 1, "the file must start with a '---' line opening the front matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in (DELIMITER, "..."))
    except StopIteration:
        return _fail(path, 1, "the front matter is never closed: add a '---' line after the last field")
    front = "\n".join(lines[1:end])
    body_line = end + 2
    try:
        node, data = _load_yaml(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        context = getattr(error, "context_mark", None)
        if context is not None and (mark is None or mark.line >= end - 1):  # ran off the end: show the start
            mark = context
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return _fail(path, line, f"the front matter is not valid YAML: {reason}")
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return _fail(path, 2, "the front matter must be 'field: value' lines (slug, title, module, order, source ...)")

    problems: list[Problem] = []
    field_lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 2
        if key in field_lines:
            problems.append(Problem(path, line, f"field '{key}' appears twice (first at line {field_lines[key]})"))
        field_lines.setdefault(key, line)
        if key not in FIELDS:
            hint = difflib.get_close_matches(key, FIELDS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else f"; known fields: {', '.join(FIELDS)}"
            problems.append(Problem(path, line, f"unknown field '{key}'{suggestion}"))
    for name in REQUIRED:
        if data.get(name) is None:
            problems.append(Problem(path, field_lines.get(name, 2), f"'{name}' is missing"))

    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(Problem(path, field_lines[name], f"'{name}' must be text (put it in quotes)"))
        else:
            values[name] = value.strip()
    order = data.get("order")
    if order is not None:
        if isinstance(order, bool) or not isinstance(order, int):
            problems.append(Problem(path, field_lines["order"], "'order' must be a whole number, like 120"))
        else:
            values["order"] = order
    for name in _LIST_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str | int | float) for item in value):
            problems.append(Problem(path, field_lines[name], f"'{name}' must be a list, like [seo, search]"))
        else:
            values[name] = tuple(str(item).strip() for item in value)

    body = normalize_body("\n".join(lines[end + 1 :]))
    if problems:
        return ParsedFile(path, None, tuple(problems), field_lines, body_line)
    lesson = Lesson(body=body, **values)
    parsed = ParsedFile(path, lesson, (), field_lines, body_line)
    found = tuple(Problem(path, parsed.line_of(name), message) for name, message in lesson_problems(lesson))
    return ParsedFile(path, None if found else lesson, found, field_lines, body_line)


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> tuple[Any, Any]:
    """The YAML node tree (for line numbers) and the values, from one parse (libyaml when available)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _fail(path: str, line: int, message: str) -> ParsedFile:
    return ParsedFile(path, None, (Problem(path, line, message),))


def lesson_to_markdown(lesson: Lesson) -> str:
    """The lesson as a file in the same format `parse_lesson_text` reads (empty optional fields left out)."""
    front: dict[str, Any] = {
        "slug": lesson.slug,
        "title": lesson.title,
        "module": lesson.module,
        "order": lesson.order,
    }
    if lesson.summary:
        front["summary"] = lesson.summary
    if lesson.tags:
        front["tags"] = list(lesson.tags)
    if lesson.aliases:
        front["aliases"] = list(lesson.aliases)
    if lesson.related:
        front["related"] = list(lesson.related)
    front["source"] = lesson.source
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
    return f"{DELIMITER}\n{dumped}{DELIMITER}\n\n{lesson.body}\n"
