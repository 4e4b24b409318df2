"""The sentences the stories feature says: to the author, to moderators, in #mod-log. Pure; user text is
quoted through bot.core.text."""

from __future__ import annotations

from bot.core.text import jump_url, neutralise, person
from bot.stories.cards import quote_title
from bot.stories.model import Story, StoryStatus, Withdrawal

ECHO = 100


def received(story: Story) -> str:
    credit = "anonymously, as “a learner”" if story.anonymous else "with your name"
    return (
        f"Thank you! Your story {quote_title(story)} was received — a moderator will review it. "
        f"Once approved it is published in #stories {credit}. You will hear back by DM (if your "
        "DMs are open) and in `/story mine`."
    )


def decision_log(story: Story, moderator_name: str, moderator_id: int) -> str:
    """The #mod-log line of a review decision."""
    verb = "edited and approved" if story.edited else "approved"
    if story.status is StoryStatus.DECLINED:
        verb = "declined"
    return f"{person(moderator_name, moderator_id)} {verb} story {quote_title(story)}."


def author_notice(story: Story, guild_name: str, what_happened: str) -> str:
    return (
        f"Your story {quote_title(story)} in {neutralise(guild_name, ECHO)} {what_happened}\n"
        "`/story mine` lists all your stories."
    )


def declined_notice(story: Story) -> str:
    return f"was not published. The moderators' reason: {neutralise(story.decline_reason or '')}"


def withdrawal_log(story: Story) -> str:
    return f"Story {quote_title(story)} was withdrawn by its author."


def withdraw_question(story: Story) -> str:
    after = " Its post and discussion thread in #stories will be removed." if story.is_published else ""
    return f"Withdraw story {quote_title(story)}? Its text will be erased.{after} This cannot be undone."


def withdrawn_reply(withdrawal: Withdrawal, removed: bool) -> str:
    """What the author hears once a story is withdrawn (and its post removed, or not)."""
    title = quote_title(withdrawal.story)
    if not withdrawal.was_published:
        return f"Withdrew story {title}: moderators will not review it."
    if removed:
        return f"Withdrew story {title} and removed its post from #stories."
    return f"Withdrew story {title}. I could not remove its post from #stories; the moderators have been told."


def author_dm(story: Story, event: str, guild_name: str) -> str | None:
    """The DM an author gets when their story was published or declined; None when there is nothing to say
    any more (withdrawn or erased since, or published without a post yet)."""
    if event == "published" and story.is_published and story.post_channel_id and story.post_message_id:
        url = jump_url(story.guild_id, story.post_channel_id, story.post_message_id)
        return author_notice(story, guild_name, f"was published in #stories: {url}")
    if event == "declined" and story.status is StoryStatus.DECLINED:
        return author_notice(story, guild_name, declined_notice(story))
    return None
