"""Stories as people meet them: races between a moderator and the author, user text that cannot turn into a
live link, inputs that are refused with a clear sentence, a retry button for one attempt only, no title left
behind after a withdrawal, a confirmation before withdrawing, anonymity that holds, #mod-log wording."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.app import CourseBot
from bot.core.text import person
from bot.demo.world import CourseWorld
from bot.stories.model import Story, StoryStatus
from tests.sim.test_stories_flow import (
    STORY,
    button_labels,
    review_post,
    said,
    share_story,
    stored,
    withdraw_story,
)
from tests.sim.test_stories_reading import link_features

TRICKY = "[1] Log in at [the official course portal](https://example.org) and [a](<https://example.org>) too"
LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")  # a masked link Discord would render


def everything_shown(message: discord.Message) -> str:
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or "", embed.author.name or "", embed.footer.text or ""]
        parts += [f"{field.name} {field.value}" for field in embed.fields]
    return "\n".join(parts)


async def test_withdraw_before_approval_refuses_the_approval(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    opened = await course.moderator.slash(course.channel("general"), "story show", number=1)
    assert button_labels(opened.response.message) == ["Approve", "Decline", "Edit and approve"]
    assert "moderators will not review it" in said(await withdraw_story(course, 1))

    late = await course.moderator.click(opened.response.message, label="Approve")
    assert late.ephemeral
    assert late.response.content == "Story #1 was withdrawn by its author; there is nothing to review."
    story = await stored(simcord_bot, course, 1)
    assert story.status is StoryStatus.WITHDRAWN and story.decided_by is None
    assert [m for m in course.channel("stories").history() if m.embeds] == []
    assert course.channel("stories").threads == []


async def test_withdraw_while_the_approval_is_being_published(
    course: CourseWorld, simcord_bot: CourseBot, monkeypatch: Any
) -> None:
    """The approval won, and the author withdraws after its post was made but before it was recorded."""
    await share_story(course)
    service = simcord_bot.services.stories
    record = service.published

    async def author_withdraws_first(story: Story, *where: Any) -> Story | None:
        withdrawal = await service.withdraw(story.guild_id, course.learner.id, story.number)
        assert withdrawal.post is None  # nothing recorded yet: the withdrawal cannot take the post down itself
        return await record(story, *where)

    monkeypatch.setattr(service, "published", author_withdraws_first)
    approved = await course.moderator.click(review_post(course), label="Approve")
    assert (
        "The author withdrew story #1 “Giveaway on Instagram” while it was being published; I took the post down"
        in (approved.followups[0].content)
    )
    story = await stored(simcord_bot, course, 1)
    assert story.status is StoryStatus.WITHDRAWN and story.post_message_id is None
    assert [m for m in course.channel("stories").history() if m.embeds] == []
    assert course.channel("stories").threads == []
    assert not any("Giveaway" in everything_shown(m) for m in course.channel("stories").history())
    assert not any("was published" in m.content for m in course.learner.user.dm_channel.history())


async def test_withdraw_after_approval_leaves_no_title_in_stories(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    await course.moderator.click(review_post(course), label="Approve")
    assert any("Giveaway on Instagram" in everything_shown(m) for m in course.channel("stories").history())
    assert "removed its post from #stories" in said(await withdraw_story(course, 1))
    for message in course.channel("stories").history():
        assert "Giveaway" not in everything_shown(message), message
    assert course.channel("stories").threads == []


async def test_withdraw_asks_first_and_cancel_keeps_the_story(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course)
    asked = await course.learner.slash(course.channel("general"), "story withdraw", number=1)
    assert asked.ephemeral and "Withdraw story #1 “Giveaway on Instagram”?" in asked.response.content
    assert (await stored(simcord_bot, course, 1)).status is StoryStatus.PENDING  # nothing happened yet
    kept = await course.learner.click(asked.response.message, label="Cancel")
    assert "Nothing changed: story #1 stays." in said(kept)
    assert (await stored(simcord_bot, course, 1)).status is StoryStatus.PENDING
    assert button_labels(review_post(course)) == ["Approve", "Decline", "Edit and approve"]


async def test_no_live_masked_link_in_stories_or_review(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course, title="[a](<https://example.org>) ads", tried=TRICKY, worked=TRICKY)
    review = review_post(course)
    assert LIVE_LINK.search(everything_shown(review)) is None
    assert "\\[the official course portal\\]\\(https://example.org\\)" in (review.embeds[0].description or "")
    await course.moderator.click(review, label="Approve")
    posts = [m for m in course.channel("stories").history() if m.type is discord.MessageType.default]
    assert posts
    for message in posts:
        assert LIVE_LINK.search(everything_shown(message)) is None, everything_shown(message)
    public = next(m for m in posts if m.embeds).embeds[0]
    assert "\\[a\\]\\(\\<https://example.org\\>\\)" in (public.description or "")


async def test_padded_titles_and_broken_characters_are_refused(course: CourseWorld, simcord_bot: CourseBot) -> None:
    padded = await share_story(course, title="Hi\u200b\u200b\u200b\u00ad")
    assert padded.ephemeral and "“Title” has 2 visible characters; it needs at least 5." in padded.response.content
    broken = await share_story(course, tried="We tried \ud83d a giveaway for our bakery followers")
    assert broken.ephemeral and "a character I can't read" in broken.response.content
    assert await simcord_bot.services.stories.store.by_author(course.guild.id, course.learner.id) == []
    assert course.channel("mod-queue").last_message is None


async def test_long_lesson_options_are_echoed_short(course: CourseWorld, simcord_bot: CourseBot) -> None:
    link_features(simcord_bot)
    long = "no-such-lesson-" + "x" * 3985
    for command in ("story share", "story browse"):
        result = await course.learner.slash(course.channel("general"), command, lesson=long)
        assert result.ephemeral and result.response.content.startswith("I don't know the lesson “no-such-lesson-")
        assert len(result.response.content) < 400


async def test_a_used_retry_button_does_not_send_a_second_story(course: CourseWorld, simcord_bot: CourseBot) -> None:
    rejected = await share_story(course, title="Hi")
    button = rejected.response.message
    reopened = await course.learner.click(button, label="Edit and send again")
    assert reopened.modal is not None
    sent = await course.learner.submit_modal(reopened, {**STORY, "credit": "named"})
    assert "received" in sent.response.content

    again = await course.learner.click(button, label="Edit and send again")
    assert again.modal is None and again.ephemeral
    assert "You already sent this form (story #1)" in again.response.content
    stories = await simcord_bot.services.stories.store.by_author(course.guild.id, course.learner.id)
    assert [s.number for s in stories] == [1]


async def test_an_older_retry_button_says_it_is_stale(course: CourseWorld, simcord_bot: CourseBot) -> None:
    first = await share_story(course, title="Hi")
    reopened = await course.learner.click(first.response.message, label="Edit and send again")
    assert reopened.modal is not None
    second = await course.learner.submit_modal(reopened, {**STORY, "title": "Yo", "credit": "named"})
    assert "Nothing was lost" in second.response.content

    old = await course.learner.click(first.response.message, label="Edit and send again")
    assert old.modal is None and "belongs to an earlier try" in old.response.content
    newest = await course.learner.click(second.response.message, label="Edit and send again")
    assert newest.modal is not None


async def test_anonymous_authors_own_lookups_are_private(course: CourseWorld, simcord_bot: CourseBot) -> None:
    await share_story(course, anonymous=True)
    await course.moderator.click(review_post(course), label="Approve")
    own = await course.learner.slash(course.channel("general"), "story show", number=1)
    assert own.ephemeral and own.response.embeds[0].author.name == "Shared by a learner"
    picked = await course.learner.slash(course.channel("general"), "story random")
    assert picked.ephemeral
    others = await course.learner2.slash(course.channel("general"), "story show", number=1)
    assert not others.ephemeral


async def test_mod_log_names_the_moderator_and_says_edited_and_approved(
    course: CourseWorld, simcord_bot: CourseBot
) -> None:
    await share_story(course, title="Giveaway on Instgram")
    shown = await course.moderator.click(review_post(course), label="Edit and approve")
    await course.moderator.submit_modal(shown, {**STORY, "title": "Giveaway on Instagram"})
    moderator = simcord_bot.get_guild(course.guild.id).get_member(course.moderator.id)  # type: ignore[union-attr]
    assert moderator is not None
    expected = f"{person(moderator.display_name, moderator.id)} edited and approved story #1 “Giveaway on Instagram”."
    assert expected in [m.content for m in course.channel("mod-log").history()]


async def test_forget_me_erases_stories_and_removes_their_posts(course: CourseWorld, simcord_bot: CourseBot) -> None:
    assert simcord_bot.services.stories in simcord_bot.services.data_owners()
    await share_story(course)
    await course.moderator.click(review_post(course), label="Approve")
    story = await stored(simcord_bot, course, 1)
    assert story.post_message_id is not None

    asked = await course.learner.slash(course.channel("general"), "privacy forget-me")
    assert asked.response is not None
    await course.learner.click(asked.response.message, label="Erase my data")
    erased = await stored(simcord_bot, course, 1)
    assert erased.author_id == 0 and erased.text.title == "" and erased.status is StoryStatus.WITHDRAWN
    assert not any(m.id == story.post_message_id for m in course.channel("stories").history())
    for message in course.channel("stories").history():  # nor the "started a thread" line with its title
        assert "Giveaway" not in everything_shown(message), message
    assert course.channel("stories").threads == []
    assert not any(m.id == story.queue_message_id for m in course.channel("mod-queue").history())
    assert "Stories" in simcord_bot.services.stories.stored_data()
