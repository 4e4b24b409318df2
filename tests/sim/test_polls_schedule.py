"""SimCord: weekly polls across a DST change, the question queue, restarts, missed weeks, management, trend."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from simcord.backend.errors import SetupError

from bot.storage.polls import PollStore

DAY = 86400
NEW_YORK = ZoneInfo("America/New_York")  # DST starts Sunday 2026-03-08


async def restart(env, bot) -> None:  # type: ignore[no-untyped-def]
    await env.restart_bot(bot)


def poll_messages(course):  # type: ignore[no-untyped-def]
    return [m for m in course.channel("polls").history() if m.poll is not None]


def mod_log(course) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.content for m in course.channel("mod-log").history()]


async def advance_to(env, moment: datetime) -> None:  # type: ignore[no-untyped-def]
    """Advance the clock a day at a time (as a real week goes by) up to `moment`."""
    while env.now() < moment:
        await env.advance_time(min(DAY, (moment - env.now()).total_seconds()))


async def schedule(course, **options):  # type: ignore[no-untyped-def]
    options.setdefault("question", "How was this week's lesson?")
    options.setdefault("options", "👍 Clear; 🤔 So-so; 😵 Lost")
    options.setdefault("weekday", 0)
    options.setdefault("time", "09:00")
    options.setdefault("timezone", "America/New_York")
    options = {name: value for name, value in options.items() if value is not None}
    return await course.host.slash(course.channel("general"), "poll schedule", **options)


async def test_weekly_poll_for_eight_weeks_across_dst_with_queue_and_restarts(
    course, simcord_bot, simcord_env, bot_factory
):
    await advance_to(simcord_env, datetime(2026, 2, 4, tzinfo=UTC))
    created = await schedule(course, duration_hours=48)
    assert created.ephemeral
    assert "Weekly poll #1 scheduled" in created.response.content
    assert "Mondays at 09:00 (America/New_York)" in created.response.content
    for n in (1, 2):
        queued = await course.host.slash(
            course.channel("general"),
            "poll queue add",
            schedule=1,
            question=f"Queued question {n}?",
            options="Yes; No",
        )
        assert f"question {n} in line" in queued.response.content

    bot = simcord_bot
    restarts = {datetime(2026, 2, 25, tzinfo=UTC): None, datetime(2026, 3, 11, tzinfo=UTC): "new process"}
    end = datetime(2026, 3, 31, 12, tzinfo=UTC)  # eight Mondays: Feb 9 .. Mar 30
    while simcord_env.now() < end:
        await simcord_env.advance_time(DAY)
        for when, kind in list(restarts.items()):
            if simcord_env.now() >= when:  # mid-week restarts, the second as a new process
                del restarts[when]
                bot = bot_factory() if kind else bot
                await restart(simcord_env, bot)
        latest = poll_messages(course)[-1:]
        if latest and latest[0].poll.expires_at > simcord_env.now():
            await course.learner.vote(latest[0], answer=1)

    posted = poll_messages(course)
    local = [m.created_at.astimezone(NEW_YORK) for m in posted]
    assert [t.date().isoformat() for t in local] == [
        "2026-02-09",
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
    ]
    assert {(t.weekday(), t.hour, t.minute) for t in local} == {(0, 9, 0)}
    assert [m.created_at.hour for m in posted] == [14, 14, 14, 14, 13, 13, 13, 13]  # UTC moves with DST
    assert [m.poll.question for m in posted[:3]] == [
        "Queued question 1?",
        "Queued question 2?",
        "How was this week's lesson?",
    ]
    assert all("🗓️ Weekly poll" in m.content for m in posted)

    store = PollStore(bot.db)
    runs = await store.runs(1)
    assert [status for _, status, _ in runs] == ["posted"] * 8
    polls = await store.schedule_polls(1)
    assert len(polls) == 8
    assert [p.voter_count for p in polls[:7]] == [1] * 7
    results = [m for m in course.channel("polls").history() if m.content.startswith("📊 The poll is closed")]
    assert len(results) == 7  # the eighth is still open

    trend = await course.learner.slash(course.channel("general"), "poll trend", schedule=1)
    reply = trend.response
    assert not reply.ephemeral
    assert "7 weeks" in reply.embeds[0].description
    image = Image.open(io.BytesIO(await reply.attachments[0].read()))
    assert image.size == (1200, 600)


async def test_missed_week_is_posted_late_within_its_duration(course, simcord_bot, simcord_env, bot_factory):
    await schedule(course, time="9am", timezone="UTC", duration_hours=24)
    simcord_bot.get_cog("PollTimer").due_loop.cancel()  # the bot is down over Monday morning
    await simcord_env.advance_time((datetime(2026, 1, 5, 15, tzinfo=UTC) - simcord_env.now()).total_seconds())
    assert poll_messages(course) == []

    bot = bot_factory()
    await restart(simcord_env, bot)
    [late] = poll_messages(course)
    assert "posted late" in late.content
    assert late.poll.expires_at == datetime(2026, 1, 6, 9, tzinfo=UTC)  # closes when planned
    assert any("was posted late" in line for line in mod_log(course))

    await restart(simcord_env, bot_factory())  # another restart the same week: no second post
    await simcord_env.advance_time(DAY)
    assert len(poll_messages(course)) == 1


async def test_missed_week_past_its_duration_is_skipped_and_logged(course, simcord_bot, simcord_env, bot_factory):
    await schedule(course, time="09:00", timezone="UTC", duration_hours=6)
    simcord_bot.get_cog("PollTimer").due_loop.cancel()
    await simcord_env.advance_time((datetime(2026, 1, 5, 16, tzinfo=UTC) - simcord_env.now()).total_seconds())
    bot = bot_factory()
    await restart(simcord_env, bot)
    assert poll_messages(course) == []
    [skipped] = [line for line in mod_log(course) if "Skipped weekly poll #1" in line]
    assert "Monday 05 January 2026" in skipped
    assert await PollStore(bot.db).runs(1) == [(datetime(2026, 1, 5).date(), "skipped", None)]

    await advance_to(simcord_env, datetime(2026, 1, 12, 10, tzinfo=UTC))
    [posted] = poll_messages(course)
    assert posted.created_at == datetime(2026, 1, 12, 9, tzinfo=UTC)
    assert "posted late" not in posted.content

    export = await course.host.slash(course.channel("general"), "poll export", schedule=1)
    rows = (await export.response.attachments[0].read()).decode().splitlines()
    assert export.response.attachments[0].filename == "polls-schedule-1.csv"
    assert len(rows) == 1 + 3
    assert rows[1].startswith("1,1,2026-01-12,How was this week's lesson?,open,")


async def test_pause_resume_unschedule_and_list(course, simcord_bot, simcord_env):
    await schedule(course, timezone=None)
    listing = await course.host.slash(course.channel("general"), "poll schedules")
    field = listing.response.embeds[0].fields[0]
    assert "Mondays at 09:00 (UTC)" in field.value  # no server time zone set: UTC
    assert "next: <t:1767603600:F>" in field.value  # Monday 2026-01-05 09:00 UTC

    paused = await course.host.slash(course.channel("general"), "poll pause", schedule=1)
    assert "is paused" in paused.response.content
    await simcord_env.advance_time(7 * DAY)
    assert poll_messages(course) == []
    again = await course.host.slash(course.channel("general"), "poll pause", schedule=1)
    assert "already paused" in again.response.content

    resumed = await course.host.slash(course.channel("general"), "poll resume", schedule=1)
    assert "back on" in resumed.response.content
    await simcord_env.advance_time(7 * DAY)
    assert len(poll_messages(course)) == 1  # the paused week is not made up

    learner = await course.learner.slash(course.channel("general"), "poll unschedule", schedule=1)
    assert "Only course hosts" in learner.response.content
    asked = await course.host.slash(course.channel("general"), "poll unschedule", schedule=1)
    assert asked.ephemeral and "for good?" in asked.response.content
    assert [s.id for s in await PollStore(simcord_bot.db).schedules(course.guild.id)] == [1]  # nothing yet
    removed = await course.host.click(asked.response.message, label="Stop it")
    assert "is stopped" in removed.response.content
    await simcord_env.advance_time(7 * DAY)
    assert len(poll_messages(course)) == 1
    empty = await course.host.slash(course.channel("general"), "poll schedules")
    assert "No weekly polls yet" in empty.response.content


async def test_schedule_input_problems_each_have_a_message(course, simcord_bot):
    result = await schedule(course, time="25:99", timezone="Mars/Olympus", options="Only one", duration_hours=200)
    text = result.response.content
    assert result.ephemeral
    assert text.startswith("I didn't schedule the poll")
    assert "at least 2 answers" in text
    assert "within a week (168 hours)" in text
    assert "could not read the time “25:99”" in text
    assert "don't know the time zone “Mars/Olympus”" in text
    assert await PollStore(simcord_bot.db).schedules(course.guild.id) == []

    refused = await course.learner.slash(
        course.channel("general"), "poll schedule", question="Q?", options="a; b", weekday=0, time="09:00"
    )
    assert "Only course hosts" in refused.response.content


async def test_server_timezone_is_the_default_and_autocomplete(course, simcord_bot):
    await course.admin.slash(course.channel("general"), "setup timezone", name="Europe/Berlin")
    result = await schedule(course, timezone=None, weekday=4, time="18:30")
    assert "Fridays at 18:30 (Europe/Berlin)" in result.response.content
    choices = await course.host.autocomplete(course.channel("general"), "poll schedule", "timezone", "new_y")
    assert "America/New_York" in [c["value"] for c in choices]
    export = await course.host.slash(course.channel("general"), "poll export", schedule=1)
    assert "no polls to export" in export.response.content


async def test_queue_list_and_refusals(course, simcord_bot):
    await schedule(course, timezone="UTC")
    empty = await course.host.slash(course.channel("general"), "poll queue list", schedule=1)
    assert "Nothing queued" in empty.response.content
    refused = await course.learner.slash(
        course.channel("general"), "poll queue add", schedule=1, question="Mine?", options="a; b"
    )
    assert "Only course hosts" in refused.response.content
    bad = await course.host.slash(course.channel("general"), "poll queue add", schedule=1, question="Q?", options="a")
    assert "at least 2 answers" in bad.response.content
    for n in (1, 2):
        await course.host.slash(
            course.channel("general"), "poll queue add", schedule=1, question=f"Topic {n}?", options="a; b"
        )
    listing = await course.host.slash(course.channel("general"), "poll queue list", schedule=1)
    assert listing.ephemeral
    lines = listing.response.content.splitlines()
    assert lines[1] == "1. <t:1767603600:D>: Topic 1?"  # Monday 5 January
    assert lines[2] == "2. <t:1768208400:D>: Topic 2?"  # Monday 12 January
    missing = await course.host.slash(course.channel("general"), "poll queue list", schedule=9)
    assert "There is no weekly poll #9" in missing.response.content
    no_trend = await course.learner.slash(course.channel("general"), "poll trend", schedule=1)
    assert "no closed weeks yet" in no_trend.response.content


async def test_long_lists_of_schedules_and_queued_questions_fit_discord_limits(course, simcord_bot, simcord_env):
    from bot.polls.options import AnswerSpec
    from bot.storage.polls import NewSchedule

    store = PollStore(simcord_bot.db)
    answers = (AnswerSpec("Yes"), AnswerSpec("No"))
    for n in range(30):
        await store.add_schedule(
            NewSchedule(
                guild_id=course.guild.id,
                channel_id=course.channel("polls").id,
                question=f"Weekly question {n} " + "x" * 280,
                answers=answers,
                weekday=n % 7,
                time_of_day=time(9),
                timezone="Europe/Berlin",
                duration_hours=24,
                multiselect=False,
                next_run_at=datetime(2026, 2, 2, 8, tzinfo=UTC),
                created_by=course.host.id,
                created_at=simcord_env.now(),
            )
        )
    listing = await course.host.slash(course.channel("general"), "poll schedules")
    embed = listing.response.embeds[0]
    assert listing.ephemeral and len(embed.fields) <= 25 and len(embed) <= 6000
    assert embed.fields[0].name.startswith("#1 Weekly question 0")
    assert "30 weekly polls" in (embed.footer.text or "")

    for n in range(40):
        await store.add_to_queue(1, f"Queued {n} " + "q" * 290, answers, course.host.id, simcord_env.now())
    queued = await course.host.slash(course.channel("general"), "poll queue list", schedule=1)
    text = queued.response.content
    assert queued.ephemeral and len(text) <= 2000
    assert "1. <t:" in text and "Queued 0" in text
    assert text.endswith("more queued.")


async def test_learners_cannot_manage_weekly_polls(course, simcord_bot):
    await schedule(course, timezone="UTC")
    general = course.channel("general")
    for command, options in [
        ("poll pause", {"schedule": 1}),
        ("poll resume", {"schedule": 1}),
        ("poll schedules", {}),
        ("poll queue list", {"schedule": 1}),
        ("poll export", {"schedule": 1}),
    ]:
        refused = await course.learner.slash(general, command, **options)
        assert refused.ephemeral and "Only course hosts" in refused.response.content, command
    [stored] = await PollStore(simcord_bot.db).schedules(course.guild.id)
    assert not stored.paused


async def test_weekly_poll_in_a_chosen_channel_with_multiselect(course, simcord_bot, simcord_env):
    created = await schedule(
        course, timezone="UTC", weekday=2, time="18:30", channel=course.channel("general"), multiselect=True
    )
    assert f"scheduled in <#{course.channel('general').id}>" in created.response.content
    await advance_to(simcord_env, datetime(2026, 1, 7, 19, tzinfo=UTC))  # Wednesday 7 January, 19:00
    [posted] = [m for m in course.channel("general").history() if m.poll is not None]
    assert posted.created_at == datetime(2026, 1, 7, 18, 30, tzinfo=UTC)
    assert posted.poll.multiple
    assert poll_messages(course) == []


async def test_unschedule_asks_first_cancel_keeps_it_and_only_the_asking_host_confirms(
    course, simcord_bot, simcord_env
):
    await schedule(course, timezone="UTC")
    general = course.channel("general")
    asked = await course.host.slash(general, "poll unschedule", schedule=1)
    assert asked.ephemeral
    assert asked.response.content.startswith("Stop weekly poll #1 (“How was this week's lesson?”")
    assert {c.label for row in asked.response.message.components for c in row.children} == {"Stop it", "Cancel"}
    with pytest.raises(SetupError, match="not visible to this user"):  # ephemeral: only the asking host
        await course.admin.click(asked.response.message, label="Stop it")
    [untouched] = await PollStore(simcord_bot.db).schedules(course.guild.id)
    assert untouched.id == 1
    kept = await course.host.click(asked.response.message, label="Cancel")
    assert "keeps running" in kept.response.content
    [still] = await PollStore(simcord_bot.db).schedules(course.guild.id)
    assert still.id == 1
    await simcord_env.advance_time(7 * DAY)
    assert len(poll_messages(course)) == 1  # it kept running

    first = await course.host.slash(general, "poll unschedule", schedule=1)
    second = await course.host.slash(general, "poll unschedule", schedule=1)
    done = await course.host.click(first.response.message, label="Stop it")
    assert "is stopped" in done.response.content
    late = await course.host.click(second.response.message, label="Stop it")
    assert "Weekly poll #1 was already stopped." in late.response.content
    assert await PollStore(simcord_bot.db).schedules(course.guild.id) == []
    logged = [line for line in mod_log(course) if "stopped weekly poll #1" in line]
    assert len(logged) == 1 and f"(`{course.host.id}`)" in logged[0]


async def test_long_time_and_time_zone_inputs_get_clear_replies(course, simcord_bot):
    long_time = await schedule(course, time="9" * 4000, timezone="UTC")
    assert long_time.ephemeral
    text = long_time.response.content
    assert "The time is 4,000 characters long" in text and len(text) < 500
    zone = await schedule(course, timezone="Europe/" + "x" * 293)
    assert zone.ephemeral
    assert "not a time zone" in zone.response.content
    assert "x" * 100 not in zone.response.content  # the echo is cut
    assert await PollStore(simcord_bot.db).schedules(course.guild.id) == []
