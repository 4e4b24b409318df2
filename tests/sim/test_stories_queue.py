"""Stories through the job queue when things go wrong: the process dies between the commit and the Discord call
(a new bot on the same database finishes the work, posting once), Discord fails for a while (retried, posted
once), or refuses for good (dead, reported in #mod-log, retried by a moderator's click only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
import pytest

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.jobs import rules
from bot.jobs.model import JobState
from bot.jobs_runner import JobContext
from bot.stories.model import StoryStatus
from tests.sim.test_stories_flow import dms, let_see, review_post, share_story, stored, withdraw_story


class Crash(BaseException):
    """The process dies here: nothing after it runs, nothing catches it."""


def story_posts(course: CourseWorld, number: int = 1) -> list[discord.Message]:
    return [
        m
        for m in course.channel("stories").history()
        if m.embeds and (m.embeds[0].title or "").startswith(f"#{number} ·")
    ]


def review_posts(course: CourseWorld, number: int = 1) -> list[discord.Message]:
    return [
        m
        for m in course.channel("mod-queue").history()
        if m.embeds and (m.embeds[0].title or "").startswith(f"#{number} ·")
    ]


def log_lines(course: CourseWorld, text: str) -> int:
    return sum(1 for m in course.channel("mod-log").history() if text in m.content)


def die_before_running_jobs(bot: CourseBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commit happens; the process dies before any job runs (neither at once nor in the background)."""
    bot.jobs.stop()

    async def nothing(key: str) -> None:
        return None

    monkeypatch.setattr(bot.jobs, "run_key", nothing)
    monkeypatch.setattr(bot.jobs, "wake", lambda: None)
    bot.services.jobs.store.wake = None


async def restart(env: Any, bot_factory: Callable[[], CourseBot]) -> CourseBot:
    fresh = bot_factory()
    await env.restart_bot(fresh)
    return fresh


async def test_a_submission_stored_before_a_crash_reaches_the_review_queue(
    course: CourseWorld,
    simcord_env: Any,
    simcord_bot: CourseBot,
    bot_factory: Callable[[], CourseBot],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    die_before_running_jobs(simcord_bot, monkeypatch)
    told = await share_story(course)
    assert "received" in told.response.content
    assert review_posts(course) == []
    bot = await restart(simcord_env, bot_factory)
    assert len(review_posts(course)) == 1
    assert (await stored(bot, course, 1)).queue_message_id == review_posts(course)[0].id


async def test_an_approval_saved_before_a_crash_is_published_once_after_it(
    course: CourseWorld,
    simcord_env: Any,
    simcord_bot: CourseBot,
    bot_factory: Callable[[], CourseBot],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await share_story(course)
    die_before_running_jobs(simcord_bot, monkeypatch)
    await course.moderator.click(review_post(course), label="Approve")
    assert (await stored(simcord_bot, course, 1)).status is StoryStatus.PUBLISHED
    assert story_posts(course) == [] and dms(course.learner) == []

    bot = await restart(simcord_env, bot_factory)
    story = await stored(bot, course, 1)
    assert [m.id for m in story_posts(course)] == [story.post_message_id]
    assert [t.id for t in course.channel("stories").threads] == [story.thread_id]
    assert sum("was published" in m.content for m in dms(course.learner)) == 1
    assert log_lines(course, "approved story #1") == 1
    await simcord_env.advance_time(3600)
    assert len(story_posts(course)) == 1 and len(course.channel("stories").threads) == 1


async def test_a_crash_after_posting_before_recording_does_not_post_twice(
    course: CourseWorld,
    simcord_env: Any,
    simcord_bot: CourseBot,
    bot_factory: Callable[[], CourseBot],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The post reached #stories, then the process died before anything was written down: the next attempt
    finds the post among the channel's recent messages instead of posting again."""
    await share_story(course)
    die_before_running_jobs(simcord_bot, monkeypatch)
    await course.moderator.click(review_post(course), label="Approve")
    story = await stored(simcord_bot, course, 1)
    job = await simcord_bot.services.jobs.by_key(f"story:{story.id}:publish")
    assert job is not None and job.state is JobState.PENDING
    running = await simcord_bot.services.jobs.claim(job.id)  # the runner took it ...
    assert running is not None

    async def die(self: JobContext, **values: Any) -> None:
        raise Crash  # ... posted, and the process died before writing anything down

    monkeypatch.setattr(JobContext, "record", die)
    handler = simcord_bot.jobs._kinds["story.publish"].handler
    with pytest.raises(Crash):
        await handler(running, JobContext(simcord_bot.services.jobs, running))
    assert len(story_posts(course)) == 1
    monkeypatch.undo()

    bot = await restart(simcord_env, bot_factory)
    await simcord_env.advance_time(rules.LEASE.total_seconds())  # the dead process's lease runs out
    story = await stored(bot, course, 1)
    assert [m.id for m in story_posts(course)] == [story.post_message_id]
    assert [t.id for t in course.channel("stories").threads] == [story.thread_id]
    assert sum("was published" in m.content for m in dms(course.learner)) == 1
    job = await bot.services.jobs.by_key(f"story:{story.id}:publish")
    assert job is not None and job.state is JobState.DONE and job.attempts == 2


async def test_a_failed_thread_is_retried_and_the_story_posted_once(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    await share_story(course)
    simcord_env.inject_error("POST", "/channels/*/messages/*/threads", status=500, times=1)
    simcord_env.inject_error("POST", f"/channels/{course.channel('stories').id}/messages", status=429, times=1)
    approved = await course.moderator.click(review_post(course), label="Approve")
    assert "I keep trying" in approved.followups[0].content
    for _ in range(4):
        await simcord_env.advance_time(60)
    story = await stored(simcord_bot, course, 1)
    assert [m.id for m in story_posts(course)] == [story.post_message_id]
    assert [t.id for t in course.channel("stories").threads] == [story.thread_id]
    assert "Discuss story #1" in course.channel("stories").threads[0].history()[0].content
    job = await simcord_bot.services.jobs.by_key(f"story:{story.id}:publish")
    assert job is not None and job.state is JobState.DONE and job.attempts == 3


async def test_a_refused_publish_is_reported_and_a_moderator_retries_it(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    await share_story(course)
    stories = simcord_bot.get_channel(course.channel("stories").id)
    assert isinstance(stories, discord.TextChannel)
    await stories.set_permissions(stories.guild.me, send_messages=False)
    approved = await course.moderator.click(review_post(course), label="Approve")
    assert "could not post it in #stories" in approved.followups[0].content
    assert "Retry" in approved.followups[0].content
    note = next(m for m in course.channel("mod-log").history() if "gave up trying to publish story #1" in m.content)
    assert "lacks a permission" in note.content and story_posts(course) == []

    await let_see(simcord_bot, course.channel("mod-log"), course.learner)
    refused = await course.learner.click(note, label="Retry")
    assert refused.ephemeral and "Only moderators" in refused.response.content
    assert story_posts(course) == []

    await stories.set_permissions(stories.guild.me, overwrite=None)
    retried = await course.moderator.click(note, label="Retry")
    assert "Done" in retried.followups[0].content
    story = await stored(simcord_bot, course, 1)
    assert [m.id for m in story_posts(course)] == [story.post_message_id]
    assert sum("was published" in m.content for m in dms(course.learner)) == 1


async def test_a_withdrawal_after_publishing_takes_the_post_down_through_the_queue(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    await share_story(course)
    await course.moderator.click(review_post(course), label="Approve")
    assert len(story_posts(course)) == 1
    simcord_env.inject_error("DELETE", "/channels/*/messages/*", status=500, times=1)
    done = await withdraw_story(course, 1)
    assert "could not remove its post" in done.response.message.content
    await simcord_env.advance_time(60)
    assert story_posts(course) == [] and course.channel("stories").threads == []
    assert log_lines(course, "was withdrawn by its author") == 1
