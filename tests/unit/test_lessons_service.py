"""LessonService without Discord: a ManualClock and a real SQLite store on tmp_path."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core import ports
from bot.core.clock import ManualClock
from bot.core.errors import Conflict, NotFound, UserError
from bot.core.lifecycle import DataOwner, Forgotten
from bot.core.resources import shipped_path
from bot.lessons.service import LessonService
from bot.storage.database import Database, open_database
from bot.storage.lessons import LessonStore

GUILD, OTHER_GUILD, CHANNEL, LEE, SAM = 100, 200, 7, 1, 2
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
FORM = {
    "title": "Email marketing basics",
    "module": "Week 3: Core tactics",
    "body": "**Why email still works**\nYou own the list.",
    "tags": "email, newsletters , email",
    "source": "",
}


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "lessons.db")
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest_asyncio.fixture
async def service(db: Database, clock: ManualClock) -> LessonService:
    """The service on the shipped starter course (loaded as a fresh install does)."""
    lessons = LessonService(LessonStore(db, clock), clock)
    summary = await lessons.load_if_empty()
    assert summary is not None and len(summary.added) == 19
    return lessons


async def test_the_shipped_course_loads_once_without_a_folder(service: LessonService) -> None:
    assert service.lessons_dir is None
    assert await service.load_if_empty() is None  # not twice
    assert await service.store.count() == 19


async def test_show_resolves_typos_and_refuses_unknown_topics_with_a_short_echo(service: LessonService) -> None:
    assert (await service.resolve("contnet marketing")).slug == "content-marketing"
    with pytest.raises(NotFound) as refused:
        await service.resolve("qqqq zzzz " * 50)
    message = str(refused.value)
    assert message.startswith("I couldn't find a lesson about “qqqq zzzz")
    assert len(message) < 250  # the topic echoed cut to 100 characters
    with pytest.raises(UserError, match="character I can't read"):
        await service.resolve("seo \ud800")


async def test_public_posts_cool_down_per_learner_and_channel_on_the_clock(
    service: LessonService, clock: ManualClock
) -> None:
    seo = await service.resolve("seo")
    view = await service.show(GUILD, CHANNEL, LEE, seo, private=False)
    assert view.card.title == "Search engine optimisation (SEO)" and not view.done
    with pytest.raises(UserError) as refused:
        await service.show(GUILD, CHANNEL, LEE, seo, private=False)
    retry = int((START + timedelta(seconds=60)).timestamp())
    assert "You can post another in 60 seconds" in str(refused.value)
    assert f"<t:{retry}:T>" in str(refused.value) and "private: True" in str(refused.value)
    await service.show(GUILD, CHANNEL, SAM, seo, private=False)  # someone else
    await service.show(GUILD, CHANNEL + 1, LEE, seo, private=False)  # another channel
    await service.show(GUILD, CHANNEL, LEE, seo, private=True)  # private reading
    clock.advance(59)
    with pytest.raises(UserError, match="in 1 second "):
        await service.show(GUILD, CHANNEL, LEE, seo, private=False)
    clock.advance(1)
    await service.show(GUILD, CHANNEL, LEE, seo, private=False)
    service.release_post(GUILD, CHANNEL, LEE)  # the post failed: the use is given back
    await service.show(GUILD, CHANNEL, LEE, seo, private=False)


async def test_done_toggles_and_says_what_changed(service: LessonService, clock: ManualClock) -> None:
    done = await service.set_done(GUILD, LEE, "seo", True)
    assert done.done and done.text.startswith("✅ Marked **Search engine optimisation (SEO)** as done.")
    assert "1 of 19 lessons done" in done.text
    assert done.next_lesson is not None and done.next_lesson.slug == "welcome-getting-around"
    again = await service.set_done(GUILD, LEE, "seo", True)
    assert again.text.startswith("You had already marked")
    assert (await service.private_view(GUILD, LEE, "seo")).done
    assert not (await service.private_view(GUILD, SAM, "seo")).done
    undone = await service.set_done(GUILD, LEE, "seo", False)
    assert not undone.done and undone.text.startswith("Marked **Search engine optimisation (SEO)** as not done.")
    assert "0 of 19 lessons done" in undone.text
    twice = await service.set_done(GUILD, LEE, "seo", False)
    assert twice.text.startswith("**Search engine optimisation (SEO)** was not marked as done.")
    with pytest.raises(NotFound, match="no longer in the course"):
        await service.set_done(GUILD, LEE, "gone", True)


async def test_search_and_suggestions(service: LessonService) -> None:
    found = await service.search("how do I get found on Google")
    assert found.card is not None and found.hits[0].ref.slug == "seo"
    assert found.card.fields[0].value.split("\n")[0].endswith("`seo`")
    missed = await service.search("contnet markting")
    assert missed.card is None and missed.guesses[0].slug == "content-marketing"
    assert missed.text.startswith("No lesson matches “contnet markting”. Did you mean **Content marketing**")


async def test_outline_of_a_module_refuses_a_long_unknown_name_briefly(service: LessonService) -> None:
    view = await service.outline_of(GUILD, LEE, "week 3: core tactics")
    assert view.card.title == "Week 3: Core tactics" and view.module_index == 4
    with pytest.raises(NotFound) as refused:
        await service.outline_of(GUILD, LEE, "x" * 4000)
    message = str(refused.value)
    assert message.startswith("There is no module called “xxx") and "…”. Modules: **Start here**" in message
    assert len(message) < 500
    whole = await service.outline(GUILD, LEE, 0, 1)
    assert whole.card.title == "Course outline" and whole.page == 1 and whole.pages == 2


async def test_progress_counts_by_module(service: LessonService) -> None:
    for slug in ("welcome-getting-around", "share-your-story"):
        await service.set_done(GUILD, LEE, slug, True)
    view = await service.progress(GUILD, LEE)
    assert "**2 of 19** lessons done (11%)" in view.card.description
    fields = {field.name: field.value for field in view.card.fields}
    assert fields["Start here"].endswith("2/2 ✅")
    assert view.next_lesson is not None and view.next_lesson.slug == "what-is-digital-marketing"


async def test_the_form_adds_then_edits_a_lesson(service: LessonService) -> None:
    added = await service.save_form(None, FORM, editor="Mo")
    assert added.lesson is not None and added.verb == "added"
    assert added.lesson.slug == "email-marketing-basics"
    assert added.lesson.tags == ("email", "newsletters")
    assert added.lesson.source == "Course team (Mo), written in Discord"
    assert added.log == "added lesson **Email marketing basics** (`email-marketing-basics`)."
    slug, values = await service.edit_form("email-marketing-basics")
    edited = await service.save_form(slug, dict(values, title="Email, the basics"), editor="Mo")
    assert edited.verb == "edited" and edited.lesson is not None and edited.lesson.slug == slug
    assert (await service.store.get(slug)).title == "Email, the basics"  # type: ignore[union-attr]
    again = await service.save_form(None, FORM, editor="Mo")
    assert again.lesson is not None and again.lesson.slug == "email-marketing-basics-2"


async def test_the_form_reports_problems_and_refuses_unreadable_text(service: LessonService) -> None:
    bad = await service.save_form(None, dict(FORM, tags="email, " + "x" * 60), editor="Mo")
    assert bad.lesson is None and "tags is 60 characters; keep it to 40" in bad.problems
    assert service.form_problems_text(bad.problems).startswith("The lesson was not saved (1 problem):")
    for field in ("title", "module", "body", "tags", "source"):
        with pytest.raises(UserError, match="character I can't read"):
            await service.save_form(None, dict(FORM, **{field: "Broken \udc00 text"}), editor="Mo")
    assert await service.store.get("email-marketing-basics") is None
    with pytest.raises(Conflict, match="removed while you were editing"):
        await service.save_form("no-such-lesson", FORM, editor="Mo")


async def test_remove_twice_tells_the_second_it_was_done(service: LessonService) -> None:
    await service.set_done(GUILD, LEE, "organic-vs-paid", True)
    reply, line = await service.remove("organic-vs-paid")
    assert reply.startswith("Removed **Organic or paid search?") and line.startswith("removed lesson ")
    with pytest.raises(Conflict, match="already removed"):
        await service.remove("organic-vs-paid")
    assert (await service.progress(GUILD, LEE)).card.description.startswith("▱")


async def test_reload_checks_an_explicit_folder_first(
    db: Database, clock: ManualClock, service: LessonService, tmp_path: Path
) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    for item in shipped_path("lessons").iterdir():
        if item.name.endswith(".md"):
            (folder / item.name).write_bytes(item.read_bytes())
    (folder / "broken.md").write_text("---\nslug: broken\ntitle: Broken\n---\nBody.\n")
    own = LessonService(LessonStore(db, clock), clock, lessons_dir=folder)
    refused = await own.reload()
    assert refused.summary is None and refused.text.startswith("Nothing was changed: the lesson files have 3 problems.")
    (folder / "broken.md").unlink()
    (folder / "seo.md").write_text((folder / "seo.md").read_text().replace("title: Search engine", "title: Finding"))
    done = await own.reload()
    assert done.text == "Reloaded: 19 lessons from the files (0 added, 1 updated, 18 unchanged)."
    assert done.log.startswith("reloaded the lessons: ")
    assert (await service.reload()).text.endswith("(0 added, 1 updated, 18 unchanged).")  # the shipped course


async def test_export_is_named_by_the_clock(service: LessonService) -> None:
    export = await service.export()
    assert export.filename == "lessons-2026-03-02.zip"
    assert export.text.startswith("The course: 19 lessons as Markdown files")
    with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
        assert "lessons/seo.md" in archive.namelist()


async def test_it_is_the_lesson_catalog_stories_use(service: LessonService) -> None:
    catalog: ports.LessonCatalog = service
    assert await catalog.lesson_ref("seo") == ports.LessonRef("seo", "Search engine optimisation (SEO)")
    assert await catalog.lesson_ref("nope") is None
    refs = await catalog.suggest_refs("socal media", 3)
    assert refs[0] == ports.LessonRef("social-media-marketing", refs[0].title) and len(refs) <= 3


async def test_it_forgets_a_member_or_a_server(service: LessonService) -> None:
    owner: DataOwner = service
    assert owner.feature == "lessons"
    assert "marked as done" in owner.stored_data()
    for guild in (GUILD, OTHER_GUILD):
        for user in (LEE, SAM):
            await service.set_done(guild, user, "seo", True)
            await service.set_done(guild, user, "content-marketing", True)
    seo = await service.resolve("seo")
    await service.show(GUILD, CHANNEL, LEE, seo, private=False)
    assert await owner.forget_member(GUILD, LEE) == Forgotten("lessons", 2)
    assert not (await service.private_view(GUILD, LEE, "seo")).done
    assert (await service.private_view(OTHER_GUILD, LEE, "seo")).done
    await service.show(GUILD, CHANNEL, LEE, seo, private=False)  # the cooldown went too
    assert await owner.forget_member(None, SAM) == Forgotten("lessons", 4)
    assert not (await service.private_view(OTHER_GUILD, SAM, "seo")).done
    assert await owner.forget_guild(GUILD) == Forgotten("lessons", 0)
    assert await owner.forget_guild(OTHER_GUILD) == Forgotten("lessons", 2)
    assert not (await service.private_view(OTHER_GUILD, LEE, "seo")).done
    await service.show(GUILD, CHANNEL, LEE, seo, private=False)  # forgetting the server freed the cooldown
    assert await service.store.count() == 19  # the course itself stays
