"""Lesson files: parsing, writing back, and every kind of bad file reported at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.lessons.frontmatter import lesson_to_markdown, parse_lesson_bytes, parse_lesson_text
from bot.lessons.model import Lesson
from bot.lessons.validation import load_folder

GOOD = """---
slug: seo-basics
title: SEO basics
module: "Week 3: Core tactics"
order: 310
summary: Being found in unpaid search results.
tags: [seo, search]
aliases: [search engine optimisation]
related: [ppc]
source: Course team
---

Rank higher in **organic** results.

**Try this**
Search for your own business.
"""


def messages(text: str) -> list[tuple[int, str]]:
    parsed = parse_lesson_text(text, "lesson.md")
    assert parsed.lesson is None
    return [(problem.line, problem.message) for problem in parsed.problems]


def test_a_good_file_becomes_a_lesson() -> None:
    parsed = parse_lesson_text(GOOD, "seo-basics.md")
    assert parsed.problems == ()
    assert parsed.lesson == Lesson(
        slug="seo-basics",
        title="SEO basics",
        module="Week 3: Core tactics",
        order=310,
        body="Rank higher in **organic** results.\n\n**Try this**\nSearch for your own business.",
        source="Course team",
        tags=("seo", "search"),
        aliases=("search engine optimisation",),
        summary="Being found in unpaid search results.",
        related=("ppc",),
    )
    assert parsed.line_of("order") == 5
    assert parsed.body_line == 12


def test_optional_fields_may_be_left_out_and_crlf_and_bom_are_fine() -> None:
    text = "\ufeff---\r\nslug: a\r\ntitle: A\r\nmodule: M\r\norder: 1\r\nsource: S\r\n---\r\nBody  \r\n"
    lesson = parse_lesson_text(text).lesson
    assert lesson is not None
    assert (lesson.tags, lesson.aliases, lesson.related, lesson.summary, lesson.body) == ((), (), (), "", "Body")


def test_writing_a_lesson_back_round_trips() -> None:
    lesson = parse_lesson_text(GOOD).lesson
    assert lesson is not None
    assert parse_lesson_text(lesson_to_markdown(lesson)).lesson == lesson
    tricky = Lesson(
        "q", "Title: with \"quotes\" and 'apostrophes'", "M: 1", 5, "Body: *x*\n\n- a", "S: t", tags=("a: b",)
    )
    assert parse_lesson_text(lesson_to_markdown(tricky)).lesson == tricky


def test_no_front_matter() -> None:
    assert messages("# Just Markdown\n") == [(1, "the file must start with a '---' line opening the front matter")]


def test_front_matter_never_closed() -> None:
    assert messages("---\nslug: a\ntitle: A\n")[0][1].startswith("the front matter is never closed")


def test_invalid_yaml_at_its_line() -> None:
    text = GOOD.replace("source: Course team", "source: University: week 1")
    [(line, message)] = messages(text)
    assert line == 10
    assert message.startswith("the front matter is not valid YAML: mapping values are not allowed")


def test_front_matter_that_is_not_fields() -> None:
    assert messages("---\n- a\n- b\n---\nbody\n")[0] == (
        2,
        "the front matter must be 'field: value' lines (slug, title, module, order, source ...)",
    )


def test_missing_required_fields() -> None:
    found = messages("---\nslug: a\ntitle: A\n---\nbody\n")
    assert found == [(2, "'module' is missing"), (2, "'order' is missing"), (2, "'source' is missing")]


def test_unknown_field_suggests_the_right_one() -> None:
    found = messages(GOOD.replace("summary:", "sumary:"))
    assert found == [(6, "unknown field 'sumary' (did you mean 'summary'?)")]


def test_field_given_twice() -> None:
    found = messages(GOOD.replace("order: 310", "order: 310\norder: 320"))
    assert (6, "field 'order' appears twice (first at line 5)") in found


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("order: 310", "order: ten", (5, "'order' must be a whole number, like 120")),
        ("order: 310", "order: true", (5, "'order' must be a whole number, like 120")),
        ("title: SEO basics", "title: 2024", (3, "'title' must be text (put it in quotes)")),
        ("tags: [seo, search]", "tags: {a: b}", (7, "'tags' must be a list, like [seo, search]")),
        (
            "slug: seo-basics",
            "slug: SEO Basics",
            (
                2,
                "slug 'SEO Basics' must be lowercase letters, digits and single hyphens, "
                "like 'search-engine-optimisation'",
            ),
        ),
        ("title: SEO basics", "title: ''", (3, "title is empty")),
        ("title: SEO basics", f"title: {'x' * 257}", (3, "title is 257 characters; keep it to 256")),
        ("related: [ppc]", "related: [seo-basics]", (9, "a lesson cannot be related to itself")),
        ("tags: [seo, search]", "tags: [seo, SEO]", (7, "tags lists 'seo' twice")),
        ("source: Course team", "source: ' '", (10, "source is empty")),
    ],
)
def test_bad_values_are_reported_at_their_line(old: str, new: str, expected: tuple[int, str]) -> None:
    assert old in GOOD
    assert messages(GOOD.replace(old, new)) == [expected]


def test_empty_body() -> None:
    text = GOOD.split("---\n\n")[0] + "---\n\n\n"
    assert messages(text) == [(12, "the lesson has no body text after the front matter")]


def test_invalid_utf8_is_reported_at_its_line() -> None:
    data = GOOD.encode().replace(b"Search for your", b"Search f\xe9r your")
    parsed = parse_lesson_bytes(data, "bad.md")
    assert [(p.line, p.message) for p in parsed.problems] == [
        (16, "not valid UTF-8 (byte 0xe9); save the file as UTF-8")
    ]


# -- a folder ----------------------------------------------------------------------------------------


def write(directory: Path, name: str, **fields: str) -> None:
    front = {"slug": name, "title": name.title(), "module": "M", "order": "1", "source": "S", **fields}
    lines = "".join(f"{key}: {value}\n" for key, value in front.items())
    (directory / f"{name}.md").write_text(f"---\n{lines}---\nBody of {name}.\n", encoding="utf-8")


def folder_problems(directory: Path) -> list[str]:
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in load_folder(directory).problems]


def test_a_clean_folder_in_course_order(tmp_path: Path) -> None:
    write(tmp_path, "b", order="20", module="Week 2")
    write(tmp_path, "a", order="10", module="Week 1", related="[b]")
    write(tmp_path, "c", order="11", module="Week 1")
    (tmp_path / "README.md").write_text("not a lesson")
    (tmp_path / "_draft.md").write_text("not a lesson either")
    folder = load_folder(tmp_path)
    assert folder.ok
    assert [lesson.slug for lesson in folder.lessons] == ["a", "c", "b"]


def test_duplicate_slugs(tmp_path: Path) -> None:
    write(tmp_path, "a")
    write(tmp_path, "b", slug="a")
    assert folder_problems(tmp_path) == [f"b.md:2: slug 'a' is already used by {tmp_path / 'a.md'}"]


def test_aliases_must_be_unique_across_the_course(tmp_path: Path) -> None:
    write(tmp_path, "a", aliases="[PPC]")
    write(tmp_path, "b", aliases="[ppc]")
    write(tmp_path, "c", aliases="[a]")
    found = folder_problems(tmp_path)
    assert f"b.md:7: alias 'ppc' is already the alias of {tmp_path / 'a.md'}" in found
    assert f"c.md:7: alias 'a' is already the slug of {tmp_path / 'a.md'}" in found


def test_related_lessons_must_exist(tmp_path: Path) -> None:
    write(tmp_path, "a", related="[nope]")
    assert folder_problems(tmp_path) == ["a.md:7: related lesson 'nope' does not exist"]


def test_embed_limits_with_related_titles(tmp_path: Path) -> None:
    for n in range(6):
        write(tmp_path, f"r{n}", title="T" * 200)
    write(tmp_path, "a", related="[" + ", ".join(f"r{n}" for n in range(6)) + "]")
    found = folder_problems(tmp_path)
    assert len(found) == 1
    assert found[0].startswith("a.md:7: the 'Related lessons' list is ")
    assert found[0].endswith("characters; Discord allows 1024")


def test_every_bad_file_is_reported_not_just_the_first(tmp_path: Path) -> None:
    write(tmp_path, "a")
    (tmp_path / "b.md").write_text("no front matter\n")
    (tmp_path / "c.md").write_bytes(b"---\nslug: c\n\xff\n---\n")
    found = folder_problems(tmp_path)
    assert [line.split(":")[0] for line in found] == ["b.md", "c.md"]


def test_not_a_folder_and_an_empty_folder(tmp_path: Path) -> None:
    assert load_folder(tmp_path / "missing").problems[0].message == "not a folder"
    assert load_folder(tmp_path).problems[0].message == "no lesson files (*.md) in this folder"
