"""Stories end to end: a learner shares through the modal, moderators review with persistent buttons,
the story is published with a thread, the learner hears back, and withdraws."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
from simcord import InteractionResult

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.jobs.model import JobState
from bot.storage.stories import StoryStore
from bot.stories.model import Story, StoryStatus

STORY = {
    "title": "Giveaway on Instagram",
    "tried": "We ran a two-week giveaway for our bakery's followers.",
    "worked": "Comments tripled and 200 people followed us.",
    "did_not_work": "Most new followers never bought anything.",
}


async def share_story(
    course: CourseWorld, member: Any = None, *, anonymous: bool = False, **fields: str
) -> InteractionResult:
    """Open /story share and submit the modal as `member` (the learner by default)."""
    member = member or course.learner
    shown = await member.slash(course.channel("general"), "story share")
    assert shown.modal is not None
    values = {**STORY, **fields, "credit": "anonymous" if anonymous else "named"}
    return await member.submit_modal(shown, values)


async def stored(bot: CourseBot, course: CourseWorld, number: int) -> Story:
    story = await StoryStore(bot.db).by_number(course.guild.id, number)
    assert story is not None
    return story


async def withdraw_story(course: CourseWorld, number: int, member: Any = None) -> InteractionResult:
    """/story withdraw, then Withdraw on the confirmation; the result of that click."""
    member = member or course.learner
    asked = await member.slash(course.channel("general"), "story withdraw", number=number)
    assert asked.ephemeral and button_labels(asked.response.message) == ["Withdraw", "Cancel"]
    return await member.click(asked.response.message, label="Withdraw")


def said(result: InteractionResult) -> str:
    """What the clicked confirmation says now (it is edited in place)."""
    return result.response.message.content


def review_post(course: CourseWorld) -> discord.Message:
    message = course.channel("mod-queue").last_message
    assert message is not None and message.embeds
    return message


def dms(member: Any) -> list[discord.Message]:
    return member.user.dm_channel.history()


def button_labels(message: discord.Message) -> list[str]:
    return [child.label for row in message.components for child in row.children]  # type: ignore[union-attr]


async def let_see(bot: CourseBot, channel: Any, member: Any) -> None:
    """A server that shows #mod-queue to a learner too (a permission slip an admin could make)."""
    text_channel = bot.get_channel(channel.id)
    assert isinstance(text_channel, discord.TextChannel)
    await text_channel.set_permissions(member.member, view_channel=True)


async def test_share_review_after_restart_and_publish(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot, bot_factory: Callable[[], CourseBot]
) -> None:
    result = await share_story(course, title="Giveaway   on\nInstagram")
    assert result.ephemeral
    assert "received — a moderator will review it" in result.response.content
    assert "#1" in result.response.content

    story = await stored(simcord_bot, course, 1)
    assert story.status is StoryStatus.PENDING and story.title == "Giveaway on Instagram"
    assert story.author_id == course.learner.id and not story.anonymous

    post = review_post(course)
    assert post.id == story.queue_message_id
    embed = post.embeds[0]
    assert embed.title == "#1 · Giveaway on Instagram"
    assert "We ran a two-week giveaway" in (embed.description or "")
    assert button_labels(post) == ["Approve", "Decline", "Edit and approve"]

    # a learner who can see the queue still cannot approve
    await let_see(simcord_bot, course.channel("mod-queue"), course.learner2)
    refused = await course.learner2.click(post, label="Approve")
    assert refused.ephemeral and "Only moderators" in refused.response.content
    assert (await stored(simcord_bot, course, 1)).status is StoryStatus.PENDING

    # a new process on the same database: the buttons still work
    await simcord_env.restart_bot(bot_factory())
    bot: CourseBot = simcord_env.bot
    approved = await course.moderator.click(review_post(course), label="Approve")
    assert approved.followups[0].ephemeral
    assert "Published story #1" in approved.followups[0].content

    story = await stored(bot, course, 1)
    assert story.status is StoryStatus.PUBLISHED and story.decided_by == course.moderator.id
    assert story.decided_at is not None

    published = course.channel("stories").history()
    post_in_stories = next(m for m in published if m.id == story.post_message_id)
    public = post_in_stories.embeds[0]
    assert public.title == "#1 · Giveaway on Instagram"
    assert public.author.name == "Shared by Lee Learner"
    threads = course.channel("stories").threads
    assert [t.id for t in threads] == [story.thread_id]
    assert "Discuss story #1" in threads[0].history()[0].content

    # the review post now says who decided, and has no buttons left
    decided = review_post(course)
    status = next(f.value for f in decided.embeds[0].fields if f.name == "Status")
    assert f"Approved by <@{course.moderator.id}>" in (status or "")
    assert story.decided_at is not None and f"<t:{int(story.decided_at.timestamp())}:f>" in (status or "")
    assert decided.components == []

    # the learner is told by DM
    assert "was published" in dms(course.learner)[-1].content
    assert "in #stories" in dms(course.learner)[-1].content


async def test_second_moderator_is_told_who_decided(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    other = course.guild.add_member(
        course.env.create_user("mod2", global_name="Second Mod"), roles=[course.moderators_role]
    )
    # the second moderator opens the story (ephemeral, with the same review buttons) before it is decided
    opened = await other.slash(course.channel("general"), "story show", number=1)
    assert opened.ephemeral and button_labels(opened.response.message) == ["Approve", "Decline", "Edit and approve"]

    await course.moderator.click(review_post(course), label="Approve")
    late = await other.click(opened.response.message, label="Approve")
    assert late.ephemeral
    assert late.response.content.startswith(f"Story #1 was already approved by <@{course.moderator.id}>")
    story = await stored(simcord_bot, course, 1)
    assert story.decided_by == course.moderator.id
    assert len([m for m in course.channel("stories").history() if m.embeds]) == 1


async def test_decline_with_reason_reaches_learner(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    asked = await course.moderator.click(review_post(course), label="Decline")
    assert asked.modal is not None

    too_short = await course.moderator.submit_modal(asked, {"reason": "no"})
    assert too_short.ephemeral and "at least 5" in too_short.response.content
    assert (await stored(simcord_bot, course, 1)).status is StoryStatus.PENDING
    # the retry button reopens the modal with the reason typed so far
    again = await course.moderator.click(too_short.response.message, label="Edit and send again")
    assert again.modal is not None
    done = await course.moderator.submit_modal(again, {"reason": "Please say what the *results* were."})
    assert "Declined story #1" in done.followups[0].content

    story = await stored(simcord_bot, course, 1)
    assert story.status is StoryStatus.DECLINED
    assert story.decline_reason == "Please say what the *results* were."
    assert story.decided_by == course.moderator.id

    post = review_post(course)
    fields = {f.name: f.value for f in post.embeds[0].fields}
    assert (fields["Status"] or "").startswith(f"Declined by <@{course.moderator.id}>")
    assert fields["Reason"] == "Please say what the \\*results\\* were."
    assert post.components == []

    dm = dms(course.learner)[-1].content
    assert "was not published" in dm and "Please say what the \\*results\\* were." in dm

    mine = await course.learner.slash(course.channel("general"), "story mine")
    assert mine.ephemeral
    listing = mine.response.embeds[0].description or ""
    assert "**#1** Giveaway on Instagram" in listing
    assert "declined" in listing and "Please say what the \\*results\\* were." in listing


async def test_decision_is_in_story_mine_when_dms_are_closed(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    await share_story(course)
    simcord_env.inject_error(
        "POST", f"/channels/{course.learner.user.dm_channel.id}/messages", status=403, code=50007, times=None
    )
    approved = await course.moderator.click(review_post(course), label="Approve")
    assert "Published story #1" in approved.followups[0].content
    assert dms(course.learner) == []
    mine = await course.learner.slash(course.channel("general"), "story mine")
    assert "published" in (mine.response.embeds[0].description or "")


async def test_edit_and_approve_publishes_edited_text(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course, anonymous=True, title="Giveaway on Instgram")
    shown = await course.moderator.click(review_post(course), label="Edit and approve")
    assert shown.modal is not None
    prefilled = {c["component"]["custom_id"]: c["component"].get("value") for c in shown.modal["components"]}
    assert prefilled["title"] == "Giveaway on Instgram"
    assert prefilled["tried"] == STORY["tried"]

    done = await course.moderator.submit_modal(shown, {**STORY, "title": "Giveaway on Instagram"})
    assert "Published story #1 “Giveaway on Instagram”" in done.followups[0].content
    story = await stored(simcord_bot, course, 1)
    assert story.edited and story.title == "Giveaway on Instagram" and story.is_published

    public = next(m for m in course.channel("stories").history() if m.id == story.post_message_id).embeds[0]
    assert public.title == "#1 · Giveaway on Instagram"
    assert public.author.name == "Shared by a learner"
    assert "Lee" not in str(public.to_dict()) and str(course.learner.id) not in str(public.to_dict())
    status = next(f.value for f in review_post(course).embeds[0].fields if f.name == "Status")
    assert (status or "").startswith("Approved with edits by")


async def test_invalid_story_explains_itself_and_keeps_the_text(course: CourseWorld, simcord_bot: CourseBot) -> None:
    result = await share_story(course, title="Hi", worked="   !!!   ")
    assert result.ephemeral
    text = result.response.content
    assert "“Title” is 2 characters long; it needs at least 5." in text
    assert "“What worked” has no words in it." in text
    assert await StoryStore(simcord_bot.db).by_author(course.guild.id, course.learner.id) == []
    assert course.channel("mod-queue").last_message is None

    reopened = await course.learner.click(result.response.message, label="Edit and send again")
    assert reopened.modal is not None
    values = {c["component"]["custom_id"]: c["component"].get("value") for c in reopened.modal["components"][:4]}
    assert values == {**STORY, "title": "Hi", "worked": "   !!!   "}
    fixed = await course.learner.submit_modal(reopened, {**STORY, "credit": "named"})
    assert "received" in fixed.response.content
    assert (await stored(simcord_bot, course, 1)).title == STORY["title"]


async def test_everyone_in_a_story_pings_nobody(course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot) -> None:
    await share_story(
        course,
        title="@everyone look **here**",
        tried=f"@everyone @here <@{course.moderator.id}> <@&{course.moderators_role.id}> ```\nbroken",
    )
    await course.moderator.click(review_post(course), label="Approve")
    story = await stored(simcord_bot, course, 1)
    sent = [entry for entry in simcord_env.http_requests if entry.method == "POST" and entry.path.endswith("/messages")]
    assert sent
    for entry in sent:
        body = entry.json if isinstance(getattr(entry, "json", None), dict) else {}
        mentions = body.get("allowed_mentions")
        assert mentions is not None and mentions.get("parse") == [], entry
    for message in [*course.channel("stories").history(), *course.channel("mod-queue").history()]:
        assert not message.mention_everyone
        assert message.mentions == [] and message.role_mentions == []
    public = next(m for m in course.channel("stories").history() if m.id == story.post_message_id).embeds[0]
    assert "@everyone" not in (public.title or "") and "\\*\\*here\\*\\*" in (public.title or "")
    assert "@everyone" not in (public.description or "") and "\\`\\`\\`" in (public.description or "")


async def test_queue_post_failure_keeps_the_story(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    simcord_env.inject_error("POST", "/channels/*/messages", status=500, times=None)
    result = await share_story(course)
    assert "received" in result.response.content  # the reply is an interaction callback, not a channel post
    job = await simcord_bot.services.jobs.by_key("story:1:review")
    assert job is not None and job.state is JobState.PENDING and "outage (500)" in (job.last_error or "")
    story = await stored(simcord_bot, course, 1)
    assert story.status is StoryStatus.PENDING and story.queue_message_id is None
    assert course.channel("mod-queue").last_message is None

    queue = await course.moderator.slash(course.channel("general"), "stories queue")
    assert queue.ephemeral
    listing = queue.response.embeds[0]
    assert listing.title == "Waiting for review: 1 story"
    assert "**#1** Giveaway on Instagram" in (listing.description or "")
    assert "not in #mod-queue" in (listing.description or "")

    # once Discord accepts posts again, the job queue puts the review in #mod-queue
    simcord_env.backend.faults.clear()
    await simcord_env.advance_time(11 * 60)
    story = await stored(simcord_bot, course, 1)
    assert story.queue_message_id is not None
    assert review_post(course).id == story.queue_message_id


async def test_missing_queue_permission_is_reported_to_mod_log(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    queue = simcord_bot.get_channel(course.channel("mod-queue").id)
    assert isinstance(queue, discord.TextChannel)
    me = queue.guild.me
    await queue.set_permissions(me, send_messages=False)
    await share_story(course)
    log_lines = [m.content for m in course.channel("mod-log").history()]
    assert any(
        "I gave up trying to post story #1 for review in #mod-queue" in line
        and "/stories queue" in line
        and "lacks a permission" in line
        for line in log_lines
    ), log_lines
    assert (await stored(simcord_bot, course, 1)).status is StoryStatus.PENDING


async def test_withdraw_published_removes_post_and_thread(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    await course.moderator.click(review_post(course), label="Approve")
    story = await stored(simcord_bot, course, 1)
    assert any(m.id == story.post_message_id for m in course.channel("stories").history())

    choices = await course.learner.autocomplete(course.channel("general"), "story withdraw", "number", "")
    assert [c["value"] for c in choices] == [1]
    others = await course.learner2.slash(course.channel("general"), "story withdraw", number=1)
    assert "You have no story #1" in others.response.content

    done = await withdraw_story(course, 1)
    assert done.response.ephemeral
    assert "removed its post from #stories" in said(done)
    assert not any(m.id == story.post_message_id for m in course.channel("stories").history())
    assert course.channel("stories").threads == []
    story = await stored(simcord_bot, course, 1)
    assert story.status is StoryStatus.WITHDRAWN and story.withdrawn_at is not None

    again = await course.learner.slash(course.channel("general"), "story withdraw", number=1)
    assert "is withdrawn; there is nothing to withdraw" in again.response.content
    shown = await course.learner2.slash(course.channel("general"), "story show", number=1)
    assert shown.ephemeral and "There is no published story #1" in shown.response.content


async def test_withdraw_pending_closes_the_review(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    done = await withdraw_story(course, 1)
    assert "moderators will not review it" in said(done)
    post = review_post(course)
    assert post.components == []
    assert "Withdrawn by the author" in str(post.embeds[0].to_dict())
    queue = await course.moderator.slash(course.channel("general"), "stories queue")
    assert "Nothing is waiting for review" in (queue.response.embeds[0].description or "")


async def test_failed_publish_is_retried_and_posted_once(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    await share_story(course)
    simcord_env.inject_error("POST", f"/channels/{course.channel('stories').id}/messages", status=500)
    failed = await course.moderator.click(review_post(course), label="Approve")
    assert failed.followups[0].ephemeral
    assert "Approved story #1" in failed.followups[0].content
    assert "I keep trying" in failed.followups[0].content
    story = await stored(simcord_bot, course, 1)
    assert story.status is StoryStatus.PUBLISHED and story.post_message_id is None
    assert review_post(course).components == []  # decided: nobody approves it twice
    assert dms(course.learner) == []

    await simcord_env.advance_time(60)  # the queue tries again after its backoff
    story = await stored(simcord_bot, course, 1)
    assert story.post_message_id is not None and story.thread_id is not None
    assert [m.id for m in course.channel("stories").history() if m.embeds] == [story.post_message_id]
    assert [t.id for t in course.channel("stories").threads] == [story.thread_id]
    assert any("was published" in m.content for m in dms(course.learner))


async def test_click_that_discord_refuses_leaves_the_story_pending(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    await share_story(course)
    simcord_env.inject_error("POST", "/interactions/*/callback", status=500)
    failed = await course.moderator.click(review_post(course), label="Approve")
    assert failed.ephemeral and "something went wrong" in failed.response.content
    story = await stored(simcord_bot, course, 1)
    assert story.status is StoryStatus.PENDING and story.decided_by is None
    assert button_labels(review_post(course)) == ["Approve", "Decline", "Edit and approve"]

    retried = await course.moderator.click(review_post(course), label="Approve")
    assert "Published story #1" in retried.followups[0].content
    assert (await stored(simcord_bot, course, 1)).is_published


async def test_review_buttons_work_after_a_restart_of_the_same_bot(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot
) -> None:
    await share_story(course)
    await simcord_env.restart_bot()  # setup_hook runs again; the cog stays loaded
    approved = await course.moderator.click(review_post(course), label="Approve")
    assert "Published story #1" in approved.followups[0].content
    story = await stored(simcord_bot, course, 1)
    assert story.is_published and any(m.id == story.post_message_id for m in course.channel("stories").history())


async def test_share_modal_uses_discords_limits(course: CourseWorld) -> None:
    shown = await course.learner.slash(course.channel("general"), "story share")
    assert shown.modal is not None and shown.modal["title"] == "Share your story"
    inputs = {c["component"]["custom_id"]: c["component"] for c in shown.modal["components"][:4]}
    assert {key: field.get("max_length") for key, field in inputs.items()} == {
        "title": 100,
        "tried": 4000,
        "worked": 4000,
        "did_not_work": 4000,
    }
    credit = shown.modal["components"][4]["component"]
    assert [option["value"] for option in credit["options"]] == ["named", "anonymous"]


async def test_story_mine_shows_pending_and_withdrawn(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    await share_story(course, anonymous=True, title="Email newsletter")
    await withdraw_story(course, 1)
    mine = await course.learner.slash(course.channel("general"), "story mine")
    assert mine.ephemeral
    lines = (mine.response.embeds[0].description or "").splitlines()
    assert lines[0].startswith("**#2** Email newsletter · anonymous · waiting for review")
    assert lines[1].startswith("**#1** Giveaway on Instagram · withdrawn")
    others = await course.learner2.slash(course.channel("general"), "story mine")
    assert "You have not shared a story yet" in (others.response.embeds[0].description or "")


async def test_review_post_missed_before_a_restart_is_posted_after_it(
    course: CourseWorld, simcord_env: Any, simcord_bot: CourseBot, bot_factory: Callable[[], CourseBot]
) -> None:
    simcord_env.inject_error("POST", f"/channels/{course.channel('mod-queue').id}/messages", status=500, times=None)
    await share_story(course)
    assert (await stored(simcord_bot, course, 1)).queue_message_id is None
    simcord_env.backend.faults.clear()
    await simcord_env.restart_bot(bot_factory())  # a new process: the retry starts from the database
    await simcord_env.advance_time(11 * 60)
    story = await stored(simcord_env.bot, course, 1)
    assert story.queue_message_id is not None and review_post(course).id == story.queue_message_id
    approved = await course.moderator.click(review_post(course), label="Approve")
    assert "Published story #1" in approved.followups[0].content
