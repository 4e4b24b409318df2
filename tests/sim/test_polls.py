"""SimCord: one-off polls as hosts and learners — create, vote, end with a chart, results, list, export."""

from __future__ import annotations

import io

import discord
import pytest
from PIL import Image

from bot.storage.polls import PollStore


def store(bot) -> PollStore:  # type: ignore[no-untyped-def]
    return PollStore(bot.db)


async def create_poll(course, **options):  # type: ignore[no-untyped-def]
    options.setdefault("question", "Which topic should the next live session cover?")
    options.setdefault("options", "🔍 SEO basics; Paid social | Email newsletters")
    result = await course.host.slash(course.channel("general"), "poll create", **options)
    return result, course.channel("polls").last_message


async def end_poll(course, poll=1):  # type: ignore[no-untyped-def]
    """/poll end asks first (ephemeral, End it / Cancel); the host confirms. The confirmation's final text."""
    asked = await course.host.slash(course.channel("general"), "poll end", poll=poll)
    assert asked.ephemeral and asked.response.content.startswith(f"End poll #{poll} (")
    return await course.host.click(asked.response.message, label="End it")


async def test_host_creates_poll_learners_vote_and_end_posts_chart(course, simcord_bot):
    result, message = await create_poll(course)
    assert result.ephemeral
    assert "Poll #1 is up in" in result.response.content
    assert message.poll is not None
    assert [a.text for a in message.poll.answers] == ["SEO basics", "Paid social", "Email newsletters"]
    assert str(message.poll.answers[0].emoji) == "🔍"

    await course.learner.vote(message, answer=2)
    await course.learner2.vote(message, answer=2)
    await course.moderator.vote(message, answer=1)
    await course.learner2.remove_vote(message, answer=2)
    await course.learner2.vote(message, answer=3)
    seen = await store(simcord_bot).get_poll(1)
    assert [a.seen_count for a in seen.answers] == [1, 1, 1]

    ended = await end_poll(course)
    assert ended.response.ephemeral
    assert "Poll #1 is closed" in ended.response.content

    results = course.channel("polls").last_message
    assert "Results of “Which topic should the next live session cover?”" in results.content
    assert "?:" not in results.content and "**" not in results.content
    embed = results.embeds[0]
    assert "1 (33%)" in embed.description
    assert embed.image.url == "attachment://poll-1.png"
    png = await results.attachments[0].read()
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (1200, 600)

    record = await store(simcord_bot).get_poll(1)
    assert not record.is_open
    assert record.counts_source == "discord"
    assert record.voters == 3
    assert [a.final_count for a in record.answers] == [1, 1, 1]
    assert record.results_message_id == results.id
    refetched = await course.channel("polls").last_message.channel.fetch_message(message.id)
    assert refetched.poll.is_finalised()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"options": "Only one"}, "at least 2 answers"),
        ({"options": ";".join(f"answer {i}" for i in range(11))}, "at most 10 answers; you gave 11"),
        ({"options": "Yes; " + "x" * 56}, "Answer 2 is 56 characters long"),
        ({"options": "Yes; yes"}, "Answers 1 and 2 are the same"),
        ({"question": "Q" * 301}, "question is 301 characters long"),
        ({"duration_hours": 0}, "between 1 and 768 hours"),
        ({"duration_hours": 769}, "between 1 and 768 hours"),
    ],
)
async def test_each_invalid_input_gets_its_own_message_and_posts_nothing(course, simcord_bot, options, expected):
    before = course.channel("polls").last_message
    result, after = await create_poll(course, **options)
    assert result.ephemeral
    assert expected in result.response.content
    assert result.response.content.count("•") == 1
    assert after == before
    assert await store(simcord_bot).recent_polls(course.guild.id) == []


async def test_learner_cannot_create_or_end_a_poll(course, simcord_bot):
    refused = await course.learner.slash(course.channel("general"), "poll create", question="Mine?", options="a; b")
    assert refused.ephemeral
    assert "Only course hosts" in refused.response.content
    assert course.channel("polls").last_message is None

    await create_poll(course)
    refused_end = await course.learner.slash(course.channel("general"), "poll end", poll=1)
    assert "Only course hosts" in refused_end.response.content
    assert (await store(simcord_bot).get_poll(1)).is_open


async def test_poll_ends_by_time_with_counts_cast_while_bot_was_down(course, simcord_bot, bot_factory, simcord_env):
    _, message = await create_poll(course, duration_hours=2, multiselect=True)
    await course.learner.vote(message, answer=1)
    simcord_bot.get_cog("PollTimer").due_loop.cancel()  # the bot goes down ...
    simcord_bot.jobs.stop()
    await course.learner.vote(message, answer=3)  # ... votes keep coming
    await course.learner2.vote(message, answer=3)
    await simcord_env.advance_time(3 * 3600)  # the poll expires on Discord while the bot is down
    assert course.channel("polls").last_message.id == message.id

    bot = bot_factory()
    await simcord_env.restart_bot(bot)
    record = await store(bot).get_poll(1)
    assert [a.final_count for a in record.answers] == [1, 0, 2]
    assert record.voters == 2  # distinct people in a multiselect poll
    assert "Results of" in course.channel("polls").last_message.content


async def test_poll_closes_by_time_and_results_visibility(course, simcord_bot, simcord_env):
    _, message = await create_poll(course, duration_hours=1, hidden_results=True)
    await course.learner.vote(message, answer=1)
    private = await course.learner.slash(course.channel("general"), "poll results", poll=1)
    assert private.ephemeral
    assert "results so far" in private.response.embeds[0].footer.text
    public = await course.host.slash(course.channel("general"), "poll results", poll=1)
    assert not public.ephemeral

    await simcord_env.advance_time(3600)
    assert "Results of" in course.channel("polls").last_message.content
    after = await course.learner.slash(course.channel("general"), "poll results", poll=1)
    assert not after.ephemeral
    embed = after.response.embeds[0]
    assert "final results" in embed.footer.text
    assert "1 (100%)" in embed.description


async def test_list_and_export(course, simcord_bot):
    _, message = await create_poll(course)
    await course.learner.vote(message, answer=1)
    listing = await course.learner.slash(course.channel("general"), "poll list")
    assert listing.ephemeral
    field = listing.response.embeds[0].fields[0]
    assert field.name.startswith("#1 Which topic")
    assert "1 voted so far" in field.value

    refused = await course.learner.slash(course.channel("general"), "poll export")
    assert "Only course hosts" in refused.response.content
    exported = await course.host.slash(course.channel("general"), "poll export")
    reply = exported.response
    assert reply.ephemeral
    text = (await reply.attachments[0].read()).decode()
    lines = text.splitlines()
    assert lines[0].startswith("poll_id,schedule_id,week,question")
    assert len(lines) == 4
    assert lines[1].endswith(",1,SEO basics,🔍,1,no")


async def test_autocomplete_lists_open_polls(course, simcord_bot):
    await create_poll(course)
    await create_poll(course, question="Second poll?")
    choices = await course.host.autocomplete(course.channel("general"), "poll end", "poll", "second")
    assert [c["value"] for c in choices] == [2]


async def test_end_that_discord_refuses_keeps_the_poll_open(course, simcord_bot, simcord_env):
    await create_poll(course)
    simcord_env.inject_error("POST", "/channels/*/polls/*/expire", status=500)
    result = await end_poll(course)
    assert result.response.ephemeral
    assert "Discord did not let me close poll #1" in result.response.content
    assert (await store(simcord_bot).get_poll(1)).is_open
    assert not course.channel("polls").last_message.poll.is_finalised()


async def test_poll_message_deleted_falls_back_to_the_votes_seen(course, simcord_bot, simcord_env):
    cleaners = course.guild.create_role("Cleaners", permissions=discord.Permissions(manage_messages=True))
    cleaner = course.guild.add_member(simcord_env.create_user("cleaner"), roles=[cleaners])
    _, message = await create_poll(course)
    await course.learner.vote(message, answer=3)
    await course.learner2.vote(message, answer=3)
    await cleaner.delete(message)

    ended = await end_poll(course)
    assert "Poll #1 is closed" in ended.response.content
    results = course.channel("polls").last_message
    assert "the poll message was deleted" in results.embeds[0].footer.text
    record = await store(simcord_bot).get_poll(1)
    assert (record.counts_source, record.voters) == ("seen", 2)
    assert [a.final_count for a in record.answers] == [0, 0, 2]


async def test_results_that_cannot_be_posted_are_kept_retried_and_posted_once(course, simcord_bot, simcord_env):
    _, message = await create_poll(course)
    await course.learner.vote(message, answer=2)
    simcord_env.inject_error("POST", f"/channels/{course.channel('polls').id}/messages", status=500, times=1)
    ended = await end_poll(course)
    assert ended.response.ephemeral
    assert "could not post the results in" in ended.response.content
    assert "yet; I'll keep trying" in ended.response.content
    assert "`/poll results poll:1`" in ended.response.content
    assert course.channel("polls").last_message.id == message.id
    record = await store(simcord_bot).get_poll(1)
    assert not record.is_open and record.results_message_id is None
    assert [a.final_count for a in record.answers] == [0, 1, 0]
    shown = await course.learner.slash(course.channel("general"), "poll results", poll=1)
    assert not shown.ephemeral and "final results" in shown.response.embeds[0].footer.text

    await simcord_env.advance_time(120)  # the job queue tries again (a transient 500)
    posted = [m for m in course.channel("polls").history() if "Results of" in m.content]
    assert len(posted) == 1 and "final results" in posted[0].embeds[0].footer.text
    assert (await store(simcord_bot).get_poll(1)).results_message_id == posted[0].id
    assert not any("gave up" in m.content for m in course.channel("mod-log").history())


async def test_results_refused_for_good_are_reported_with_a_retry_that_posts_them(course, simcord_bot, simcord_env):
    await create_poll(course)
    simcord_env.inject_error("POST", f"/channels/{course.channel('polls').id}/messages", status=403, times=1)
    ended = await end_poll(course)
    assert "could not post the results in" in ended.response.content and "keep trying" not in ended.response.content
    [note] = [m for m in course.channel("mod-log").history() if "gave up" in m.content]
    assert "post the results of poll #1" in note.content
    await course.moderator.click(note, label="Retry")
    posted = [m for m in course.channel("polls").history() if "Results of" in m.content]
    assert len(posted) == 1
    assert (await store(simcord_bot).get_poll(1)).results_message_id == posted[0].id


async def test_poll_in_a_chosen_channel_pings_nobody(course, simcord_bot, simcord_env):
    question = f"@everyone which day suits <@&{course.hosts_role.id}> best?"
    result, _ = await create_poll(
        course, question=question, options="@here Monday; Tuesday", channel=course.channel("general")
    )
    assert "Poll #1 is up in" in result.response.content
    posted = course.channel("general").last_message
    assert posted.poll is not None and posted.poll.question == question
    assert course.channel("polls").last_message is None
    await course.learner.vote(posted, answer=1)
    await end_poll(course)
    results = course.channel("general").last_message
    assert "Results of" in results.content
    sent = [e for e in simcord_env.http_requests if e.method == "POST" and e.path.endswith("/messages")]
    assert len(sent) >= 2
    for entry in sent:
        assert (entry.json or {}).get("allowed_mentions", {}).get("parse") == [], entry
    for posted_message in course.channel("general").history():
        assert not posted_message.mention_everyone  # the bot may mention everyone, but never does


async def test_the_bot_receives_poll_votes(simcord_bot):
    assert simcord_bot.intents.guild_polls  # on_raw_poll_vote_add/remove need this intent


async def test_create_where_the_bot_cannot_post_says_so_and_stores_nothing(course, simcord_bot):
    polls = simcord_bot.get_channel(course.channel("polls").id)
    await polls.set_permissions(polls.guild.me, send_messages=False)
    result, message = await create_poll(course)
    assert result.ephemeral and "I can't post in" in result.response.content
    assert message is None
    assert await store(simcord_bot).recent_polls(course.guild.id) == []


async def test_list_wording_plurals_and_the_service_is_a_data_owner(course, simcord_bot):
    _, message = await create_poll(course)
    await course.learner.vote(message, answer=1)
    listing = await course.learner.slash(course.channel("general"), "poll list")
    value = listing.response.embeds[0].fields[0].value
    assert value.startswith("Open, closes <t:") and "open ·" not in value and "[open]" not in value
    assert "[go to the poll](" in value
    await end_poll(course)
    closed = await course.learner.slash(course.channel("general"), "poll list")
    value = closed.response.embeds[0].fields[0].value
    assert value.startswith("Closed · 1 voter · top: 🔍 SEO basics (1)")
    results = course.channel("polls").last_message
    assert results.content == "📊 The poll is closed. Results of “Which topic should the next live session cover?”"
    assert "1 voter" in results.embeds[0].footer.text or results.embeds[0].fields[0].value == "1"

    assert simcord_bot.services.polls in simcord_bot.services.data_owners()
    forgotten = await simcord_bot.services.polls.forget_member(course.guild.id, course.learner.id)
    assert forgotten.rows == 1
    assert [a.seen_count for a in (await store(simcord_bot).get_poll(1)).answers] == [0, 0, 0]
