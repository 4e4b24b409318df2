"""SimCord: anonymous polls everywhere a poll goes — an anonymous weekly schedule with hidden results, its
weeks in /poll list, /poll results, /poll export and /poll trend like native polls — and End asking first."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image
from simcord.backend.errors import SetupError

from bot.storage.polls import PollStore

DAY = 86400
MONDAY_9 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def labels(message: Any) -> list[str | None]:
    return [getattr(child, "label", None) for row in message.components for child in row.children]


async def advance_to(env: Any, moment: datetime) -> None:
    while env.now() < moment:
        await env.advance_time(min(DAY, (moment - env.now()).total_seconds()))


async def anonymous_schedule(course: Any, **options: Any) -> Any:
    options = {
        "question": "How was this week's lesson?",
        "options": "Clear; So-so; Lost",
        "weekday": 0,
        "time": "09:00",
        "timezone": "UTC",
        "anonymous": True,
        **options,
    }
    return await course.host.slash(course.channel("general"), "poll schedule", **options)


async def test_an_anonymous_weekly_poll_hides_its_counts_then_shows_results_trend_list_and_export(
    course, simcord_bot, simcord_env
):
    created = await anonymous_schedule(course, hidden_results=True, duration_hours=24)
    assert created.ephemeral
    assert created.response.content.startswith("Anonymous weekly poll #1 scheduled in")
    assert "Each week's counts stay hidden until it closes." in created.response.content
    [schedule] = await PollStore(simcord_bot.db).schedules(course.guild.id)
    assert (schedule.anonymous, schedule.hidden_results) == (True, True)

    await advance_to(simcord_env, MONDAY_9)
    await simcord_env.advance_time(60)
    post = course.channel("polls").last_message
    assert post.poll is None  # not a native poll: the bot's buttons
    assert "🗓️ Weekly poll · Monday 05 January" in post.content and "Anonymous" in post.content
    assert labels(post) == ["Clear", "So-so", "Lost", "My vote", "End poll"]
    assert await PollStore(simcord_bot.db).runs(1) == [(MONDAY_9.date(), "posted", 1)]

    await course.learner.click(post, label="Clear")
    await course.learner2.click(post, label="Lost")
    post = course.channel("polls").last_message
    assert "(50%)" not in post.embeds[0].description
    for who in (course.host, course.learner):  # hidden from everyone while open, hosts included
        hidden = await who.slash(course.channel("general"), "poll results", poll=1)
        assert hidden.ephemeral and "keeps its counts hidden until it closes" in hidden.response.content
    listed = await course.learner.slash(course.channel("general"), "poll list")
    [field] = listed.response.embeds[0].fields
    assert field.name == "#1 🕶️ How was this week's lesson?"
    assert "2 voted so far · counts hidden until it closes" in field.value

    await simcord_env.advance_time(DAY)
    results = course.channel("polls").last_message
    assert results.content.startswith("📊 The anonymous poll is closed. Results of")
    assert "1 (50%) · **Clear**" in results.embeds[0].description
    assert "Anonymous poll #1 · final results · 2 voters" in results.embeds[0].footer.text
    shown = await course.learner.slash(course.channel("general"), "poll results", poll=1)
    assert not shown.ephemeral and "1 (50%) · **Lost**" in shown.response.embeds[0].description
    assert Image.open(io.BytesIO(await shown.response.attachments[0].read())).format == "PNG"

    trend = await course.learner.slash(course.channel("general"), "poll trend", schedule=1)
    assert "1 week · voters per week: 2" in trend.response.embeds[0].description
    assert trend.response.attachments[0].filename == "poll-trend-1.png"

    exported = await course.host.slash(course.channel("general"), "poll export", schedule=1)
    rows = list(csv.DictReader(io.StringIO((await exported.response.attachments[0].read()).decode("utf-8"))))
    assert [(r["poll_id"], r["week"], r["answer"], r["votes"], r["anonymous"]) for r in rows] == [
        ("1", "2026-01-05", "Clear", "1", "yes"),
        ("1", "2026-01-05", "So-so", "0", "yes"),
        ("1", "2026-01-05", "Lost", "1", "yes"),
    ]
    assert await simcord_bot.db.fetchall("SELECT * FROM poll_ballots") == []  # nothing links a vote to anyone


async def test_a_weekly_anonymous_post_refused_is_reported_and_retry_posts_it_once(course, simcord_bot, simcord_env):
    await anonymous_schedule(course)
    simcord_env.inject_error("POST", f"/channels/{course.channel('polls').id}/messages", status=403, times=1)
    await advance_to(simcord_env, MONDAY_9)
    await simcord_env.advance_time(60)
    assert await PollStore(simcord_bot.db).runs(1) == [(MONDAY_9.date(), "claimed", None)]
    assert await simcord_bot.db.fetchall("SELECT * FROM polls") == []  # nothing half posted
    [note] = [m for m in course.channel("mod-log").history() if "gave up" in m.content]
    assert "post weekly poll #1 for Monday 05 January" in note.content
    await course.moderator.click(note, label="Retry")  # the permission is back
    posts = [m for m in course.channel("polls").history() if "Weekly poll · Monday 05 January" in m.content]
    assert len(posts) == 1 and labels(posts[0])[-2:] == ["My vote", "End poll"]
    [(_, status, poll_id)] = await PollStore(simcord_bot.db).runs(1)
    assert (status, poll_id) == ("posted", 1)


async def test_end_asks_first_cancel_keeps_it_open_and_only_the_asking_host_confirms(course, simcord_bot):
    await course.host.slash(
        course.channel("general"), "poll create", question="Pizza or tacos?", options="Pizza; Tacos", anonymous=True
    )
    post = course.channel("polls").last_message
    await course.learner.click(post, label="Tacos")

    refused = await course.learner.click(post, label="End poll")
    assert "Only course hosts" in refused.response.content
    asked = await course.host.click(post, label="End poll")
    assert asked.ephemeral
    assert asked.response.content.startswith("End anonymous poll #1 (“Pizza or tacos?”) now? Voting stops")
    assert labels(asked.response.message) == ["End it", "Cancel"]
    with pytest.raises(SetupError, match="not visible to this user"):  # ephemeral: only the asking host
        await course.admin.click(asked.response.message, label="End it")
    kept = await course.host.click(asked.response.message, label="Cancel")
    assert kept.response.content == "Nothing changed: poll #1 stays open."
    assert (await PollStore(simcord_bot.db).get_poll(1)).is_open

    first = await course.host.click(post, label="End poll")  # two questions open at once
    again = await course.host.slash(course.channel("general"), "poll end", poll=1)
    assert again.ephemeral and labels(again.response.message) == ["End it", "Cancel"]
    done = await course.host.click(again.response.message, label="End it")
    assert done.response.content.startswith("Anonymous poll #1 is closed; the results are posted in")
    assert not (await PollStore(simcord_bot.db).get_poll(1)).is_open
    late = await course.host.click(first.response.message, label="End it")  # the older question, now stale
    assert late.response.content.startswith("Poll #1 has already closed")
    results = [m for m in course.channel("polls").history() if "is closed. Results of" in m.content]
    assert len(results) == 1
