"""Spam incidents through the job queue: an incident stored just before the process died is posted by the
next one; a 500 on a timeout or a ban is retried and done once (one decision, one #mod-log line); a refused
timeout says why, leaves the incident open, and leaves a note in #mod-log with Retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.app import CourseBot
from bot.jobs.model import JobState
from bot.spam.model import DecisionAction, IncidentStatus
from tests.sim import spam_world
from tests.sim.spam_world import AIRDROP_POST, STEAM_POST, SpamWorld, message_ids
from tests.sim.test_spam_buttons import flood, timed_out_until
from tests.sim.test_stories_queue import die_before_running_jobs

ages = spam_world.ages  # fixtures
spam = spam_world.spam


def log_count(spam: SpamWorld, text: str) -> int:
    return sum(1 for line in spam.mod_log() if text in line)


async def test_an_incident_stored_before_a_crash_is_posted_by_the_next_process(
    spam: SpamWorld, simcord_bot: CourseBot, bot_factory: Callable[[], CourseBot], monkeypatch: pytest.MonkeyPatch
) -> None:
    die_before_running_jobs(simcord_bot, monkeypatch)
    await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    assert spam.posts() == []
    assert (await spam.incident(1)).queue_message_id is None
    await spam.course.env.restart_bot(bot_factory())
    post = spam.only_post()
    assert (await spam.incident(1)).queue_message_id == post.id


async def test_a_500_on_a_timeout_is_retried_and_done_once(spam: SpamWorld) -> None:
    posted = await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    env = spam.course.env
    env.inject_error("PATCH", f"/guilds/{spam.course.guild.id}/members/*", status=500, times=1)
    clicked = await spam.course.moderator.click(spam.only_post(), label="Delete + timeout")
    assert any("I keep trying" in m.content for m in clicked.followups)
    assert (await spam.incident(1)).status is IncidentStatus.OPEN
    await env.advance_time(60)
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.TIMED_OUT
    assert [d.action for d in incident.decisions] == [DecisionAction.TIMEOUT]
    assert await timed_out_until(spam) is not None
    assert posted.id not in message_ids(spam.course.channel("general"))
    assert log_count(spam, "timed the author out") == 1
    await env.advance_time(3600)
    assert log_count(spam, "timed the author out") == 1


async def test_a_500_on_a_ban_is_retried_and_the_author_banned_once(spam: SpamWorld) -> None:
    await flood(spam)
    env = spam.course.env
    asked = await spam.course.moderator.click(spam.only_post(), label="Ban")
    assert asked.response is not None
    env.inject_error("PUT", f"/guilds/{spam.course.guild.id}/bans/*", status=503, times=2)
    await spam.course.moderator.click(asked.response, label="Yes, ban")
    assert (await spam.incident(1)).status is IncidentStatus.OPEN
    for _ in range(3):
        await env.advance_time(60)
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.BANNED and incident.live_copies == ()
    assert [d.action for d in incident.decisions] == [DecisionAction.BAN]
    assert spam.course.guild.get_ban(spam.spammer) is not None
    assert log_count(spam, "banned the author (3 messages deleted)") == 1
    job = await env.bot.services.jobs.by_key("spam:1:confirmban")
    assert job is not None and job.state is JobState.DONE and job.attempts == 3


async def test_a_refused_timeout_says_why_keeps_the_incident_open_and_can_be_retried(
    spam: SpamWorld, simcord_env: Any
) -> None:
    await spam.spammer.send(spam.course.channel("general"), AIRDROP_POST)
    simcord_env.inject_error(
        "PATCH", f"/guilds/{spam.course.guild.id}/members/*", status=403, code=50013, message="Missing Permissions"
    )
    refused = await spam.course.moderator.click(spam.only_post(), label="Delete + timeout")
    told = [m.content for m in (refused.response, *refused.followups) if m is not None]
    assert any("Timeout Members permission" in text for text in told), told
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.OPEN and incident.decisions == () and incident.live_copies
    assert log_count(spam, "I gave up trying to carry out “Delete + timeout” on spam incident #1") == 1

    again = await spam.course.moderator.click(spam.only_post(), label="Delete + timeout")  # fixed: a new click
    assert again.followups or again.response
    assert (await spam.incident(1)).status is IncidentStatus.TIMED_OUT
    assert log_count(spam, "timed the author out") == 1
