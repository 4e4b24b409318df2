"""Moderators manage the course: add, edit, remove, reload, export; learners cannot."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.app import CourseBot
from bot.config import Settings
from bot.core.resources import shipped_path
from bot.demo.world import CourseWorld
from bot.lessons.archive import read_zip
from bot.storage.lessons import LessonStore


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    """A copy of the starter course (shipped as a package resource) the test may change."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    for item in shipped_path("lessons").iterdir():
        if item.name.endswith(".md"):
            (folder / item.name).write_bytes(item.read_bytes())
    return folder


@pytest.fixture
def settings(tmp_path: Path, lessons_dir: Path) -> Settings:
    return Settings(token=None, database_path=tmp_path / "coursebot.db", lessons_dir=lessons_dir)


NEW_LESSON = {
    "title": "Email marketing basics",
    "module": "Week 3: Core tactics",
    "body": "**Why email still works**\n- You own the list.\n- Messages arrive where people already look.\n\n"
    "**Try this**\nWrite a subject line of six words.",
    "tags": "email, newsletters , email",
    "source": "",
}


def mod_log_text(course: CourseWorld) -> str:
    return "\n".join(message.content for message in course.channel("mod-log").history())


async def test_moderator_adds_a_lesson_through_the_modal(course: CourseWorld, simcord_bot: CourseBot) -> None:
    channel = course.channel("general")
    shown = await course.moderator.slash(channel, "lessons add")
    assert shown.modal is not None and shown.modal["title"] == "Add a lesson"
    saved = await course.moderator.submit_modal(shown, NEW_LESSON)
    assert saved.ephemeral
    assert saved.response.content.startswith("Lesson added: **Email marketing basics** (`email-marketing-basics`)")
    assert saved.response.embeds[0].title == "Email marketing basics"

    lesson = await LessonStore(simcord_bot.db).get("email-marketing-basics")
    assert lesson is not None
    assert lesson.module == "Week 3: Core tactics"
    assert lesson.tags == ("email", "newsletters")
    assert lesson.source == "Course team (Mo Moderator), written in Discord"
    assert lesson.body.startswith("**Why email still works**")
    # placed at the end of its module, found by learners
    store = LessonStore(simcord_bot.db)
    assert await store.neighbour("social-media-marketing", 1) == lesson.ref
    choices = await course.learner.autocomplete(channel, "lesson show", "topic", "emial marketng")
    assert choices[0]["value"] == "email-marketing-basics"
    assert "added lesson **Email marketing basics** (`email-marketing-basics`)" in mod_log_text(course)


async def test_a_lesson_with_problems_is_not_saved_and_nothing_typed_is_lost(
    course: CourseWorld, simcord_bot: CourseBot
) -> None:
    shown = await course.moderator.slash(course.channel("general"), "lessons add")
    bad = dict(NEW_LESSON, tags="email, " + "x" * 60)
    refused = await course.moderator.submit_modal(shown, bad)
    assert refused.ephemeral
    assert "The lesson was not saved" in refused.response.content
    assert "tags is 60 characters; keep it to 40" in refused.response.content
    assert await LessonStore(simcord_bot.db).get("email-marketing-basics") is None
    again = await course.moderator.click(refused.response, label="Fix and try again")
    defaults = {c["custom_id"]: c.get("value") for row in again.modal["components"] for c in row["components"]}
    assert defaults["body"] == NEW_LESSON["body"]
    assert defaults["tags"] == bad["tags"]
    saved = await course.moderator.submit_modal(again, NEW_LESSON)
    assert saved.response.content.startswith("Lesson added")


async def test_moderator_edits_a_lesson_and_progress_stays(course: CourseWorld, simcord_bot: CourseBot) -> None:
    store = LessonStore(simcord_bot.db)
    await store.mark_done(course.guild.id, course.learner.id, "seo")
    shown = await course.moderator.slash(course.channel("general"), "lessons edit", topic="seo")
    assert shown.modal is not None
    defaults = {c["custom_id"]: c.get("value") for row in shown.modal["components"] for c in row["components"]}
    assert defaults["title"] == "Search engine optimisation (SEO)"
    assert defaults["tags"].startswith("seo, search, google")
    values = dict(defaults, title="SEO: being found in search results")
    saved = await course.moderator.submit_modal(shown, values)
    assert saved.response.content.startswith("Lesson edited: **SEO: being found in search results** (`seo`)")
    lesson = await store.get("seo")
    assert lesson is not None and lesson.title == "SEO: being found in search results"
    assert lesson.aliases == ("search engine optimization", "organic search", "ranking on google")
    assert await store.is_done(course.guild.id, course.learner.id, "seo")
    hits = await store.search("being found in search results")
    assert hits[0].ref.slug == "seo"
    assert "edited lesson **SEO: being found in search results** (`seo`)" in mod_log_text(course)


async def test_remove_asks_first(course: CourseWorld, simcord_bot: CourseBot) -> None:
    store = LessonStore(simcord_bot.db)
    await store.mark_done(course.guild.id, course.learner.id, "organic-vs-paid")
    asked = await course.moderator.slash(course.channel("general"), "lessons remove", topic="organic-vs-paid")
    assert asked.ephemeral
    assert "Remove **Organic or paid search? Choosing between SEO and PPC** (`organic-vs-paid`)" in (
        asked.response.content
    )
    kept = await course.moderator.click(asked.response, label="Keep it")
    assert kept.response.content == "Kept: nothing was removed."
    assert await store.get("organic-vs-paid") is not None

    asked = await course.moderator.slash(course.channel("general"), "lessons remove", topic="organic-vs-paid")
    removed = await course.moderator.click(asked.response, label="Remove")
    assert removed.response.content.startswith("Removed **Organic or paid search?")
    assert not removed.response.components
    assert await store.get("organic-vs-paid") is None
    assert await store.count() == 18
    assert (await store.progress(course.guild.id, course.learner.id)).done == 0
    assert await store.neighbour("sem-pay-per-click", 1) is not None
    assert "removed lesson **Organic or paid search?" in mod_log_text(course)
    # a restart does not bring it back: the files are only loaded into an empty database
    await course.env.restart_bot()
    assert await LessonStore(simcord_bot.db).count() == 18


async def test_reload_checks_the_files_then_imports_them(
    course: CourseWorld, simcord_bot: CourseBot, lessons_dir: Path
) -> None:
    seo = lessons_dir / "seo.md"
    seo.write_text(seo.read_text().replace("title: Search engine optimisation (SEO)", "title: SEO in practice"))
    (lessons_dir / "broken.md").write_text("---\nslug: broken\ntitle: Broken\n---\nNo module, order or source.\n")
    refused = await course.moderator.slash(course.channel("general"), "lessons reload")
    assert refused.ephemeral
    text = refused.response.content
    assert text.startswith("Nothing was changed: the lesson files have 3 problems.")
    assert "broken.md:2: 'module' is missing" in text
    assert (await LessonStore(simcord_bot.db).get("seo")).title == "Search engine optimisation (SEO)"  # type: ignore[union-attr]

    (lessons_dir / "broken.md").unlink()
    done = await course.moderator.slash(course.channel("general"), "lessons reload")
    assert done.response.content == "Reloaded: 19 lessons from the files (0 added, 1 updated, 18 unchanged)."
    assert (await LessonStore(simcord_bot.db).get("seo")).title == "SEO in practice"  # type: ignore[union-attr]
    assert "reloaded the lessons: 19 lessons from the files (0 added, 1 updated, 18 unchanged)" in mod_log_text(course)


async def test_reload_keeps_lessons_added_in_discord_unless_asked(course: CourseWorld, simcord_bot: CourseBot) -> None:
    shown = await course.moderator.slash(course.channel("general"), "lessons add")
    await course.moderator.submit_modal(shown, NEW_LESSON)
    kept = await course.moderator.slash(course.channel("general"), "lessons reload")
    assert "1 lesson that is not in the files was kept" in kept.response.content
    assert await LessonStore(simcord_bot.db).get("email-marketing-basics") is not None
    dropped = await course.moderator.slash(course.channel("general"), "lessons reload", remove_missing=True)
    assert "1 removed" in dropped.response.content
    assert await LessonStore(simcord_bot.db).get("email-marketing-basics") is None


async def test_export_attaches_the_course_as_lesson_files(course: CourseWorld, simcord_bot: CourseBot) -> None:
    result = await course.moderator.slash(course.channel("general"), "lessons export")
    message = result.response
    assert message.ephemeral
    assert "19 lessons" in message.content
    attachment = message.attachments[0]
    assert attachment.filename == "lessons-2026-01-01.zip"
    data = await attachment.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "lessons/seo.md" in archive.namelist()
    folder = read_zip(data)
    assert folder.ok, folder.problems
    assert list(folder.lessons) == await LessonStore(simcord_bot.db).all_lessons()
    assert "exported the lessons (19)" in mod_log_text(course)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("lessons add", {}),
        ("lessons edit", {"topic": "seo"}),
        ("lessons remove", {"topic": "seo"}),
        ("lessons reload", {}),
        ("lessons export", {}),
    ],
)
async def test_a_learner_cannot_manage_lessons(
    course: CourseWorld, simcord_bot: CourseBot, command: str, options: dict[str, str]
) -> None:
    result = await course.learner.slash(course.channel("general"), command, **options)
    assert result.ephemeral
    assert result.modal is None
    assert result.response.content.startswith("Only moderators can do that.")
    assert await LessonStore(simcord_bot.db).count() == 19
    assert await LessonStore(simcord_bot.db).get("seo") is not None


async def test_a_host_without_the_moderator_role_is_refused_too(course: CourseWorld) -> None:
    result = await course.host.slash(course.channel("general"), "lessons export")
    assert result.ephemeral and result.response.content.startswith("Only moderators")
