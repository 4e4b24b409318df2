"""The job runner on the running bot: a job enqueued runs at once, a 500 or 429 is retried after its backoff
and posts once, a 403 is dead at once and reported in #mod-log with a Retry button only moderators may use,
and a job left behind by a process that died runs in the next one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.jobs import rules
from bot.jobs.model import Job, JobState, NewJob
from bot.jobs_runner import JobContext
from tests.sim.test_stories_flow import let_see

KIND = "test.post"


def register(bot: CourseBot) -> None:
    async def post(job: Job, context: JobContext) -> dict[str, Any]:
        channel = bot.get_channel(job.payload["channel_id"])
        assert isinstance(channel, discord.TextChannel)
        message = await channel.send(job.payload["text"])
        return {"message_id": message.id}

    bot.jobs.register(KIND, post, lambda job: f"post “{job.payload['text']}”")


def posts(course: CourseWorld, text: str, channel: str = "general") -> int:
    return sum(1 for m in course.channel(channel).history() if m.content == text)


async def enqueue(bot: CourseBot, course: CourseWorld, text: str) -> Job:
    job = await bot.services.jobs.enqueue(
        NewJob(
            KIND,
            key=f"test:{text}",
            payload={"channel_id": course.channel("general").id, "text": text},
            guild_id=course.guild.id,
        )
    )
    await course.env.settle()
    return job


async def test_an_enqueued_job_runs_at_once(course: CourseWorld, simcord_bot: CourseBot) -> None:
    register(simcord_bot)
    job = await enqueue(simcord_bot, course, "hello")
    assert posts(course, "hello") == 1
    done = await simcord_bot.services.jobs.get(job.id)
    assert done is not None and done.state is JobState.DONE and done.result["message_id"]


async def test_a_500_and_a_429_are_retried_and_post_once(course: CourseWorld, simcord_bot: CourseBot) -> None:
    register(simcord_bot)
    course.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    job = await enqueue(simcord_bot, course, "after an outage")
    assert posts(course, "after an outage") == 0
    failed = await simcord_bot.services.jobs.get(job.id)
    assert failed is not None and failed.state is JobState.PENDING and "outage (500)" in (failed.last_error or "")
    course.env.inject_error("POST", "/channels/*/messages", status=429, times=1)
    await course.env.advance_time(rules.BASE_DELAY.total_seconds())
    assert posts(course, "after an outage") == 0
    await course.env.advance_time(rules.BASE_DELAY.total_seconds() * 2)
    assert posts(course, "after an outage") == 1
    await course.env.advance_time(3600)
    assert posts(course, "after an outage") == 1
    done = await simcord_bot.services.jobs.get(job.id)
    assert done is not None and done.state is JobState.DONE and done.attempts == 3


async def test_a_403_is_dead_reported_and_retried_by_a_moderator(
    course: CourseWorld, simcord_bot: CourseBot, simcord_env: Any, bot_factory: Callable[[], CourseBot]
) -> None:
    register(simcord_bot)
    course.env.inject_error("POST", "/channels/*/messages", status=403, code=50001, message="Missing Access", times=1)
    job = await enqueue(simcord_bot, course, "refused")
    dead = await simcord_bot.services.jobs.get(job.id)
    assert dead is not None and dead.state is JobState.DEAD and dead.attempts == 1
    note = next(m for m in course.channel("mod-log").history() if "gave up" in m.content)
    assert "post “refused”" in note.content and "lacks a permission" in note.content

    await let_see(simcord_bot, course.channel("mod-log"), course.learner)
    # a new process: the button still works; a learner is refused, a moderator retries
    fresh = bot_factory()
    await simcord_env.restart_bot(fresh)
    register(fresh)
    refused = await course.learner.click(note, label="Retry")
    assert refused.ephemeral and "Only moderators" in refused.response.content
    assert (await fresh.services.jobs.get(job.id)).state is JobState.DEAD  # type: ignore[union-attr]
    retried = await course.moderator.click(note, label="Retry")
    assert "Done" in retried.followups[0].content
    assert posts(course, "refused") == 1
    assert (await fresh.services.jobs.get(job.id)).state is JobState.DONE  # type: ignore[union-attr]
    assert next(m for m in course.channel("mod-log").history() if m.id == note.id).components == []


async def test_a_job_left_by_a_dead_process_runs_in_the_next(
    course: CourseWorld, simcord_bot: CourseBot, simcord_env: Any, bot_factory: Callable[[], CourseBot]
) -> None:
    register(simcord_bot)
    simcord_bot.jobs.stop()  # the process dies right after the commit, before the runner ran
    await simcord_bot.services.jobs.enqueue(
        NewJob(
            KIND,
            key="orphan",
            payload={"channel_id": course.channel("general").id, "text": "orphan"},
            guild_id=course.guild.id,
        )
    )
    claimed = await simcord_bot.services.jobs.claim_due()  # ... or while it was running it
    assert len(claimed) == 1
    fresh = bot_factory()
    register(fresh)
    await simcord_env.restart_bot(fresh)
    assert posts(course, "orphan") == 0  # its lease still holds
    await simcord_env.advance_time(rules.LEASE.total_seconds())
    assert posts(course, "orphan") == 1
