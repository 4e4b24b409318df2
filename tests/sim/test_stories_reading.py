"""Reading stories (browse, show, random), the moderators' queue and export, lessons and the spam flag."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import discord
import pytest

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.lessons.model import Lesson
from bot.storage.lessons import LessonStore
from bot.storage.stories import StoryStore
from bot.stories.model import NewStory, StoryStatus, StoryText
from tests.sim.test_stories_flow import STORY, button_labels, review_post, share_story, stored

LESSON = Lesson(
    slug="trust-online",
    title="Building trust online",
    module="Digital marketing basics",
    order=9010,
    body="Trust grows from consistent, honest messages across channels.",
    source="test",
)


async def publish_many(bot: CourseBot, course: CourseWorld, count: int, *, anonymous: bool = False) -> None:
    """Published stories straight in the store (the review flow itself is tested elsewhere)."""
    store = StoryStore(bot.db)
    start = discord.utils.utcnow()
    for index in range(count):
        story = await store.add(
            NewStory(
                guild_id=course.guild.id,
                author_id=course.learner.id,
                author_name="Lee Learner",
                text=StoryText(f"Story number {index + 1}", "tried " * 5, "worked " * 3, "failed " * 3),
                anonymous=anonymous,
                submitted_at=start,
            )
        )
        await store.approve(story.id, course.moderator.id, start + timedelta(minutes=index))


def numbers_on(message: discord.Message | Any) -> list[int]:
    embeds = message.embeds
    lines = (embeds[0].description or "").splitlines()
    return [int(line.split("**")[1].lstrip("#")) for line in lines if line.startswith("**#")]


async def test_browse_pages_through_30_stories(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await publish_many(simcord_bot, course, 30)
    result = await course.learner2.slash(course.channel("general"), "story browse")
    assert result.ephemeral
    page = result.response.message
    assert numbers_on(page) == list(range(30, 20, -1))
    assert page.embeds[0].footer.text is not None and page.embeds[0].footer.text.startswith("Page 1 of 3 · 30 stories")
    assert "by Lee Learner" in (page.embeds[0].description or "")

    seen = numbers_on(page)
    for expected_page in (2, 3):
        turned = await course.learner2.click(page, label="Next")
        page = turned.response.message
        assert (page.embeds[0].footer.text or "").startswith(f"Page {expected_page} of 3")
        seen += numbers_on(page)
    assert seen == list(range(30, 0, -1))
    buttons = {child.label: child.disabled for row in page.components for child in row.children}  # type: ignore[union-attr]
    assert buttons == {"Previous": False, "Next": True}

    back = await course.learner2.click(page, label="Previous")
    assert numbers_on(back.response.message) == list(range(20, 10, -1))


async def test_browse_without_stories_says_so(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("general"), "story browse")
    assert "No published stories here yet" in (result.response.embeds[0].description or "")
    assert result.response.components == []


async def test_browse_by_author_never_reveals_anonymous_stories(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await publish_many(simcord_bot, course, 2)
    await publish_many(simcord_bot, course, 1, anonymous=True)
    result = await course.learner2.slash(course.channel("general"), "story browse", author=course.learner)
    embed = result.response.embeds[0]
    assert numbers_on(result.response) == [2, 1]
    assert embed.title == "Published stories by Lee Learner"
    everything = await course.learner2.slash(course.channel("general"), "story browse")
    assert "**#3** Story number 1 · by a learner" in (everything.response.embeds[0].description or "")


def link_features(bot: CourseBot) -> None:
    """The lessons and spam features behind the stories service's ports, as bot/wiring.py will hand them over."""
    bot.services.stories.catalog = bot.services.lessons
    bot.services.stories.screener = bot.services.spam


async def test_share_with_a_lesson_and_browse_by_it(course: CourseWorld, simcord_bot: CourseBot) -> None:
    link_features(simcord_bot)
    await LessonStore(simcord_bot.db, simcord_bot.clock).add(LESSON)
    choices = await course.learner.autocomplete(course.channel("general"), "story share", "lesson", "trust onl")
    assert choices and choices[0]["value"] == "trust-online"
    assert choices[0]["name"].startswith("Building trust online")

    unknown = await course.learner.slash(course.channel("general"), "story share", lesson="no-such-lesson")
    assert unknown.ephemeral and "I don't know the lesson “no-such-lesson”" in unknown.response.content

    shown = await course.learner.slash(course.channel("general"), "story share", lesson="trust-online")
    await course.learner.submit_modal(shown, {**STORY, "credit": "named"})
    story = await stored(simcord_bot, course, 1)
    assert story.lesson_slug == "trust-online"
    fields = {f.name: f.value for f in review_post(course).embeds[0].fields}
    assert fields["Lesson"] == "Building trust online"

    await course.moderator.click(review_post(course), label="Approve")
    await publish_many(simcord_bot, course, 2)
    by_lesson = await course.learner2.slash(course.channel("general"), "story browse", lesson="trust-online")
    embed = by_lesson.response.embeds[0]
    assert embed.title == "Published stories on Building trust online"
    assert numbers_on(by_lesson.response) == [1]
    assert "lesson: Building trust online" in (embed.description or "")


async def test_show_and_random_are_public(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course, anonymous=True)
    await course.moderator.click(review_post(course), label="Approve")
    shown = await course.learner2.slash(course.channel("general"), "story show", number=1)
    assert not shown.ephemeral
    embed = shown.response.embeds[0]
    assert embed.title == "#1 · Giveaway on Instagram" and embed.author.name == "Shared by a learner"
    story = await stored(simcord_bot, course, 1)
    assert any(f.name == "Discussion" and f.value == f"<#{story.thread_id}>" for f in embed.fields)

    picked = await course.learner2.slash(course.channel("general"), "story random")
    assert not picked.ephemeral and picked.response.embeds[0].title == "#1 · Giveaway on Instagram"

    missing = await course.learner2.slash(course.channel("general"), "story show", number=9)
    assert missing.ephemeral and missing.response.content.startswith("There is no published story #9.")


async def test_random_without_stories(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("general"), "story random")
    assert result.ephemeral and "No story has been published yet" in result.response.content


async def test_author_sees_own_pending_story_others_do_not(course: CourseWorld) -> None:
    await share_story(course)
    own = await course.learner.slash(course.channel("general"), "story show", number=1)
    assert own.ephemeral
    assert any(f.name == "Status" and "waiting for review" in (f.value or "") for f in own.response.embeds[0].fields)
    assert own.response.components == []
    other = await course.learner2.slash(course.channel("general"), "story show", number=1)
    assert other.ephemeral and other.response.content.startswith("There is no published story #1.")


async def test_long_story_is_paged_in_queue_and_thread(course: CourseWorld, simcord_bot: CourseBot) -> None:
    long_text = {"tried": "A" * 3990 + " *x*", "worked": "B " * 1999, "did_not_work": "C" * 4000}
    await share_story(course, **long_text)
    queue = [m for m in course.channel("mod-queue").history() if m.embeds]
    assert len(queue) >= 3
    first = next(m for m in queue if m.components)
    assert button_labels(first) == ["Approve", "Decline", "Edit and approve"]
    assert all(len(m.embeds[0]) <= 6000 for m in queue)
    shown_text = "".join(m.embeds[0].description or "" for m in queue)
    assert shown_text.count("A") >= 3990 and shown_text.count("C") == 4000 and "\\*x\\*" in shown_text

    await course.moderator.click(first, label="Approve")
    story = await stored(simcord_bot, course, 1)
    assert story.is_published
    thread = course.channel("stories").threads[0]
    continued = [m for m in thread.history() if m.embeds]
    assert continued and all("(continued)" in (m.embeds[0].title or "") for m in continued)


async def test_moderator_queue_and_learner_refusal(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    await share_story(course, course.learner2, anonymous=True, title="Email newsletter")
    refused = await course.learner.slash(course.channel("general"), "stories queue")
    assert refused.ephemeral and "Only moderators" in refused.response.content
    queue = await course.moderator.slash(course.channel("general"), "stories queue")
    assert queue.ephemeral
    embed = queue.response.embeds[0]
    assert embed.title == "Waiting for review: 2 stories"
    lines = (embed.description or "").splitlines()
    assert lines[0].startswith("**#1** Giveaway on Instagram") and "review post" in lines[0]
    assert lines[1].startswith("**#2** Email newsletter") and "(anonymous)" in lines[1]


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_contains_what_was_stored(course: CourseWorld, simcord_bot: CourseBot, fmt: str) -> None:
    await share_story(course)
    await share_story(course, course.learner2, anonymous=True, title="Email newsletter")
    await course.moderator.click(review_post(course), label="Approve")
    refused = await course.learner.slash(course.channel("general"), "stories export")
    assert "Only moderators" in refused.response.content

    result = await course.moderator.slash(course.channel("general"), "stories export", format=fmt)
    assert result.ephemeral
    reply = result.response
    assert "2 stories exported" in reply.content
    attachment = reply.attachments[0]
    assert attachment.filename.endswith(f".{fmt}")
    data = (await attachment.read()).decode("utf-8-sig")
    first, second = await stored(simcord_bot, course, 1), await stored(simcord_bot, course, 2)
    records = json.loads(data) if fmt == "json" else list(csv.DictReader(io.StringIO(data)))
    assert [str(r["number"]) for r in records] == ["1", "2"]
    assert records[0]["title"] == first.title and records[0]["tried"] == first.text.tried
    assert records[0]["status"] == "pending" and records[1]["status"] == "published"
    assert records[0]["author_id"] == str(course.learner.id)
    assert records[0]["submitted_at"] == first.submitted_at.isoformat()
    assert second.decided_at is not None and records[1]["decided_at"] == second.decided_at.isoformat()
    assert records[1]["author_name"] in (None, "") and str(course.learner2.id) not in data


async def test_story_full_of_links_goes_to_review_flagged(course: CourseWorld, simcord_bot: CourseBot) -> None:
    link_features(simcord_bot)
    await share_story(
        course,
        tried="We bought a germany phone number list, cheap: https://cheap-lists.example.shop/buy",
        worked="More at http://bit.ly/a1 and http://bit.ly/b2 and http://bit.ly/c3",
    )
    story = await stored(simcord_bot, course, 1)
    assert story.screening.flagged and story.screening.reasons
    assert story.status is StoryStatus.PENDING
    fields = {f.name: f.value for f in review_post(course).embeds[0].fields}
    warning = fields["⚠️ Flagged by the spam filter"] or ""
    assert story.screening.reasons[0][:40] in warning.replace("\\", "")
    queue = await course.moderator.slash(course.channel("general"), "stories queue")
    assert "flagged by the spam filter" in (queue.response.embeds[0].description or "")
    clean = await share_story(course, course.learner2)
    assert "received" in clean.response.content
    assert not (await stored(simcord_bot, course, 2)).screening.flagged


async def test_browse_buttons_go_away_when_they_stop_working(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    await publish_many(simcord_bot, course, 11)
    result = await course.learner.slash(course.channel("general"), "story browse")
    assert button_labels(result.response.message) == ["Previous", "Next"]
    await simcord_env.advance_time(11 * 60)
    assert result.response.components == []
    assert numbers_on(result.response) == list(range(11, 1, -1))


async def test_sharing_is_limited_per_hour(course: CourseWorld, simcord_env: Any) -> None:
    for _ in range(5):
        opened = await course.learner.slash(course.channel("general"), "story share")
        assert opened.modal is not None
    blocked = await course.learner.slash(course.channel("general"), "story share")
    assert blocked.modal is None and blocked.ephemeral
    assert blocked.response.content.startswith("Slow down a little")
    assert (await course.learner2.slash(course.channel("general"), "story share")).modal is not None
