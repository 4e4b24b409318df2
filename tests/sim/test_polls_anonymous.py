"""SimCord: anonymous polls (`/poll create anonymous:True`) as a host, learners and a moderator would use
them: vote with buttons, change your mind, nobody can see who voted what (not even in the database), closing
by time with the results chart, a host's End (asked first), a restart in the middle, a select for several
answers, hidden results, and the same /poll list, results and export as native polls."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from bot.app import CourseBot
from bot.polls.model import PollRecord

QUESTION = "Which topic should the next live session cover?"
OPTIONS = "🔍 SEO basics; Paid social | Email newsletters"


async def create(course: Any, bot: CourseBot, **options: Any) -> tuple[Any, Any]:
    options.setdefault("question", QUESTION)
    options.setdefault("options", OPTIONS)
    result = await course.host.slash(course.channel("general"), "poll create", anonymous=True, **options)
    return result, course.channel("polls").last_message


async def poll(bot: CourseBot, poll_id: int = 1) -> PollRecord:
    found = await bot.services.polls.store.get_poll(poll_id)
    assert found is not None and found.anonymous
    return found


async def end(course: Any, post: Any) -> Any:
    """The host's End poll asks first (only to them); they confirm."""
    asked = await course.host.click(post, label="End poll")
    assert asked.ephemeral and asked.response.content.startswith("End anonymous poll #1 (")
    return await course.host.click(asked.response.message, label="End it")


async def stored_values(bot: CourseBot) -> list[str]:
    values: list[str] = []
    for table in ("polls", "poll_answers", "poll_ballots", "poll_votes"):
        for row in await bot.db.fetchall(f"SELECT * FROM {table}"):
            values.extend(str(value) for value in row)
    return values


def labels(message: Any) -> list[str | None]:
    return [getattr(child, "label", None) for row in message.components for child in row.children]


async def test_learners_vote_change_their_mind_and_the_poll_closes_with_a_chart(
    course, simcord_bot, simcord_env, bot_factory
):
    created, post = await create(course, simcord_bot, duration_hours=2)
    assert created.ephemeral
    assert "Anonymous poll #1 is up in" in created.response.content
    assert labels(post) == ["SEO basics", "Paid social", "Email newsletters", "My vote", "End poll"]
    assert "No one, moderators included" in post.embeds[0].fields[0].value

    voted = await course.learner.click(post, label="Paid social")
    assert voted.ephemeral
    assert voted.response.content.startswith("Your vote: **Paid social**. You can change it until the poll closes.")
    await course.learner2.click(post, label="Paid social")
    changed = await course.learner2.click(post, label="Email newsletters")
    assert changed.response.content.startswith("Changed. Your vote: **Email newsletters**.")
    post = course.channel("polls").last_message
    assert "`██████░░░░░░` 1 (50%) · **Paid social**" in post.embeds[0].description
    assert "2 voters so far" in post.embeds[0].footer.text

    # a moderator cannot see who voted: not on Discord, not in the database
    mine = await course.moderator.click(post, label="My vote")
    assert mine.response.content == "You haven't voted in this poll yet."
    refused = await course.moderator.click(post, label="End poll")
    assert "Only course hosts" in refused.response.content
    stored = await stored_values(simcord_bot)
    for member in (course.learner, course.learner2, course.moderator):
        assert not any(str(member.id) in value for value in stored)
        assert not any(member.name in value for value in stored)

    # the bot restarts in the middle: the votes and the buttons survive
    bot = bot_factory()
    await simcord_env.restart_bot(bot)
    still = await course.learner.click(post, label="My vote")
    assert still.response.content.startswith("Your vote: **Paid social**.")

    await simcord_env.advance_time(2 * 3600)
    results = course.channel("polls").last_message
    assert results.id != post.id
    assert "The anonymous poll is closed. Results of “Which topic" in results.content
    embed = results.embeds[0]
    assert "`░░░░░░░░░░░░` 0 (0%) · 🔍 SEO basics" in embed.description
    assert "1 (50%) · **Paid social**" in embed.description
    assert "1 (50%) · **Email newsletters**" in embed.description
    assert "2 voters" in embed.footer.text
    assert embed.image.url == "attachment://poll-1.png"
    image = Image.open(io.BytesIO(await results.attachments[0].read()))
    assert (image.format, image.size) == ("PNG", (1200, 600))

    closed_post = await course.channel("polls").last_message.channel.fetch_message(post.id)
    assert closed_post.components == []
    assert "Closed · 2 voters" in closed_post.embeds[0].footer.text
    closed = await poll(bot)
    assert (closed.is_open, closed.voter_count, [a.count for a in closed.answers]) == (False, 2, [0, 1, 1])
    assert closed.results_message_id == results.id
    assert await bot.db.fetchval("SELECT secret FROM polls WHERE id = 1") is None
    assert await bot.db.fetchall("SELECT * FROM poll_ballots") == []


async def test_a_click_after_closing_says_it_has_closed(course, simcord_bot):
    _, post = await create(course, simcord_bot)
    await course.learner.click(post, label="SEO basics")
    simcord_bot.jobs.stop()  # the post keeps its buttons a moment: closed by another path before this click
    await simcord_bot.services.polls.finish(await poll(simcord_bot))
    late = await course.learner2.click(post, label="SEO basics")
    assert late.ephemeral
    assert "This poll has closed, so votes are no longer counted." in late.response.content
    mine = await course.learner.click(post, label="My vote")
    assert "no longer linked to anyone" in mine.response.content


async def test_host_ends_the_poll_and_a_second_end_is_told(course, simcord_bot):
    _, post = await create(course, simcord_bot)
    await course.learner.click(post, label="SEO basics")
    ended = await end(course, post)
    assert ended.response.ephemeral
    assert ended.response.content == "Anonymous poll #1 is closed; the results are posted in " + (
        f"<#{course.channel('polls').id}>."
    )
    results = course.channel("polls").last_message
    assert "1 (100%) · **🔍 SEO basics**" in results.embeds[0].description
    assert (await poll(simcord_bot)).voter_count == 1
    assert await simcord_bot.services.polls.finish(await poll(simcord_bot)) is None


async def test_several_answers_with_a_select_and_hidden_results(course, simcord_bot, simcord_env):
    _, post = await create(course, simcord_bot, multiselect=True, hidden_results=True, duration_hours=1)
    assert labels(post) == [None, "My vote", "End poll"]  # the select, then the buttons
    custom_id = "poll:pick:1"
    voted = await course.learner.select(post, ["1", "3"], custom_id=custom_id)
    assert voted.response.content.startswith("Your votes: **🔍 SEO basics**, **Email newsletters**.")
    await course.learner2.select(post, ["3"], custom_id=custom_id)
    post = course.channel("polls").last_message
    assert "(50%)" not in post.embeds[0].description and "(100%)" not in post.embeds[0].description
    assert "results are hidden until the poll closes" in post.embeds[0].footer.text

    await simcord_env.advance_time(3600)
    results = course.channel("polls").last_message
    description = results.embeds[0].description
    assert "1 (50%) · 🔍 SEO basics" in description
    assert "2 (100%) · **Email newsletters**" in description
    assert "shares are of voters" in results.embeds[0].footer.text


async def test_learner_cannot_create_and_bad_input_posts_nothing(course, simcord_bot):
    refused = await course.learner.slash(
        course.channel("general"), "poll create", question="Mine?", options="a; b", anonymous=True
    )
    assert "Only course hosts" in refused.response.content
    bad, _ = await create(course, simcord_bot, options="Only one")
    assert bad.ephemeral
    assert "at least 2 answers" in bad.response.content
    assert course.channel("polls").last_message is None
    assert await simcord_bot.db.fetchall("SELECT * FROM polls") == []


async def test_a_poll_that_ran_out_while_the_bot_was_down_closes_at_start(
    course, simcord_bot, simcord_env, bot_factory
):
    _, post = await create(course, simcord_bot, duration_hours=1)
    await course.learner.click(post, label="Email newsletters")
    simcord_bot.get_cog("PollTimer").due_loop.cancel()  # the bot goes down ...
    simcord_bot.jobs.stop()
    await simcord_env.advance_time(2 * 3600)  # ... and the poll's end passes
    assert course.channel("polls").last_message.id == post.id
    assert (await poll(simcord_bot)).is_open

    bot = bot_factory()
    await simcord_env.restart_bot(bot)
    await simcord_env.settle()
    results = course.channel("polls").last_message
    assert results.id != post.id
    assert "1 (100%) · **Email newsletters**" in results.embeds[0].description
    assert not (await poll(bot)).is_open
