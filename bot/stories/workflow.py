"""What happens to a story on Discord: submission, the review post, decisions, publishing, withdrawal.

The cog and the buttons call this; every step that talks to Discord survives failures (a story is
stored first, and a failed post is reported rather than lost).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.errors import UserError
from bot.guild_config import Channel
from bot.notify import mod_log, send_safely, tell
from bot.storage.stories import StoryStore
from bot.stories.embeds import public_embeds, review_embeds
from bot.stories.formatting import escape, truncate
from bot.stories.model import NewStory, Story, StoryStatus, StoryText
from bot.stories.screening import screen_story
from bot.stories.validation import validate_reason, validate_story

if TYPE_CHECKING:
    from bot.app import CourseBot

log = logging.getLogger(__name__)

THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week


def _lesson_store(bot: CourseBot) -> Any:
    """The lessons feature's store, or None while that feature is not installed."""
    try:
        from bot.storage.lessons import LessonStore
    except ImportError:
        return None
    return LessonStore(bot.db)


def _quote_title(story: Story) -> str:
    return f"#{story.number} “{escape(truncate(story.title, 100))}”"


class StoryService:
    """Story actions for one bot; cheap to create, holds no state besides the bot."""

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot
        self.store = StoryStore(bot.db)

    # -- lessons -------------------------------------------------------------------------------

    async def suggest_lessons(self, query: str) -> list[tuple[str, str]]:
        """(label, slug) pairs for the `lesson:` autocomplete, best match first."""
        lessons = _lesson_store(self.bot)
        if lessons is None:
            return []
        found = await lessons.suggest(query, limit=25)
        return [(truncate(f"{ref.title} ({ref.module})" if ref.module else ref.title, 100), ref.slug) for ref in found]

    async def lesson_title(self, slug: str | None) -> str | None:
        if not slug:
            return None
        lessons = _lesson_store(self.bot)
        lesson = await lessons.get(slug) if lessons is not None else None
        return str(lesson.title) if lesson is not None else None

    async def lesson_titles(self, stories: Iterable[Story]) -> dict[str, str]:
        slugs = {story.lesson_slug for story in stories if story.lesson_slug}
        titles = {slug: await self.lesson_title(slug) for slug in slugs}
        return {slug: title for slug, title in titles.items() if title}

    async def check_lesson(self, slug: str | None) -> str | None:
        """The lesson slug if it names a lesson; a UserError that says what to do otherwise."""
        if slug is None or not slug.strip():
            return None
        slug = slug.strip()
        lessons = _lesson_store(self.bot)
        if lessons is None:
            raise UserError("There are no lessons to link yet: leave the lesson option empty.")
        if await lessons.get(slug) is None:
            matches = await lessons.suggest(slug, limit=1)
            hint = f" Did you mean “{escape(matches[0].title)}”?" if matches else ""
            raise UserError(
                f"I don't know the lesson “{escape(slug)}”.{hint} Pick one from the list, or leave it empty."
            )
        return slug

    # -- submission ----------------------------------------------------------------------------

    async def submit(
        self,
        interaction: discord.Interaction,
        fields: Mapping[str, str | None],
        *,
        anonymous: bool,
        lesson_slug: str | None,
    ) -> Story:
        """Validate, screen and store a story, then tell the learner, then post it for review.

        StoryValidationError leaves nothing stored (the caller offers to edit the text again).
        """
        guild = interaction.guild
        if guild is None:
            raise UserError("Stories are shared inside the course server.")
        text = validate_story(fields)
        screening = await screen_story(text)
        story = await self.store.add(
            NewStory(
                guild_id=guild.id,
                author_id=interaction.user.id,
                author_name=interaction.user.display_name,
                text=text,
                anonymous=anonymous,
                submitted_at=discord.utils.utcnow(),
                lesson_slug=lesson_slug,
                screening=screening,
            )
        )
        credit = "anonymously, as “a learner”" if anonymous else "with your name"
        try:
            await interaction.response.send_message(
                f"Thank you! Your story {_quote_title(story)} was received — a moderator will review it. "
                f"Once approved it is published in #stories {credit}. You will hear back by DM (if your "
                "DMs are open) and in `/story mine`.",
                ephemeral=True,
            )
        except discord.HTTPException:
            log.warning("story #%s stored, but the learner could not be told", story.number, exc_info=True)
        await self.post_for_review(guild, story, report_failure=True)
        return story

    async def _send_pages(
        self, channel: discord.abc.Messageable, embeds: list[discord.Embed], view: discord.ui.View | None = None
    ) -> discord.Message | None:
        """The first embed (with the view) and each further page as its own message."""
        if view is not None:
            first = await send_safely(self.bot, channel, embed=embeds[0], view=view)
        else:
            first = await send_safely(self.bot, channel, embed=embeds[0])
        if first is not None:
            for embed in embeds[1:]:
                await send_safely(self.bot, channel, embed=embed)
        return first

    async def post_for_review(self, guild: discord.Guild, story: Story, *, report_failure: bool) -> bool:
        """Post the review embed with its buttons in #mod-queue; remember where. False when it failed."""
        from bot.stories.ui import review_view

        channel = await self.bot.guild_config.resolve_channel(guild, Channel.MOD_QUEUE)
        message = None
        if channel is not None:
            embeds = review_embeds(story, lesson_title=await self.lesson_title(story.lesson_slug))
            message = await self._send_pages(channel, embeds, review_view(story.id))
        if message is None:
            where = "#mod-queue could not be posted to" if channel else "this server has no #mod-queue channel"
            log.warning("story #%s (guild %s) is not in the review queue: %s", story.number, guild.id, where)
            self.bot.dispatch("story_review_unposted", story.id)  # the cog retries until it is posted
            if report_failure:
                await mod_log(
                    self.bot,
                    guild,
                    f"Story #{story.number} is waiting for review, but {where}. "
                    "Moderators can see it with `/stories queue` and review it with `/story show`.",
                )
            return False
        await self.store.set_queue_post(story.id, message.channel.id, message.id)
        return True

    async def catch_up_reviews(self) -> int:
        """Post the review of every pending story that never reached #mod-queue; returns how many did.

        Stories younger than a minute are left alone: their first post may still be under way.
        """
        posted = 0
        settled = discord.utils.utcnow() - timedelta(minutes=1)
        for story in await self.store.pending_without_queue_post(submitted_before=settled):
            guild = self.bot.get_guild(story.guild_id)
            if guild is not None and await self.post_for_review(guild, story, report_failure=False):
                posted += 1
        return posted

    # -- review --------------------------------------------------------------------------------

    async def _story_here(self, interaction: discord.Interaction, story_id: int) -> Story:
        story = await self.store.get(story_id)
        if story is None or story.guild_id != interaction.guild_id:
            raise UserError("That story no longer exists.")
        return story

    async def pending_story(self, interaction: discord.Interaction, story_id: int) -> Story | None:
        """The story if it still waits for review; otherwise tell the moderator who decided it."""
        story = await self._story_here(interaction, story_id)
        if story.status is StoryStatus.PENDING:
            return story
        await self._say(interaction, already_decided(story))
        return None

    async def approve(
        self, interaction: discord.Interaction, story_id: int, edited: Mapping[str, str | None] | None = None
    ) -> None:
        """Publish a pending story in #stories (with the moderator's edits, if any) and tell its author."""
        guild = interaction.guild
        assert guild is not None
        text: StoryText | None = validate_story(edited) if edited is not None else None
        if await self.pending_story(interaction, story_id) is None:
            return
        # acknowledge before deciding: a click that Discord no longer accepts leaves the story pending
        await interaction.response.defer()
        decision = await self.store.approve(story_id, interaction.user.id, discord.utils.utcnow(), text)
        if not decision.done:  # another moderator was a moment faster
            await self._say(interaction, already_decided(decision.story))
            return
        story = decision.story
        lesson_title = await self.lesson_title(story.lesson_slug)
        posted = await self._publish(guild, story, lesson_title)
        if posted is None:
            await self.store.reopen(story.id)
            await interaction.followup.send(
                f"I could not post story {_quote_title(story)} in #stories (is there such a channel, and may I "
                "post and create threads there? `/setup channels` picks it). It is still waiting for review: "
                "try again once that is fixed.",
                ephemeral=True,
            )
            return
        story = await self._reload(story)
        await self._show_decision(interaction, story, lesson_title)
        await interaction.followup.send(
            f"Published story {_quote_title(story)}: {posted.jump_url}. I told the author.", ephemeral=True
        )
        await self.notify_author(guild, story, f"was published in #stories: {posted.jump_url}")
        await mod_log(self.bot, guild, f"{interaction.user.mention} approved story {_quote_title(story)}.")

    async def decline(self, interaction: discord.Interaction, story_id: int, raw_reason: str | None) -> None:
        """Decline a pending story with a reason that the author is told."""
        guild = interaction.guild
        assert guild is not None
        reason = validate_reason(raw_reason)
        if await self.pending_story(interaction, story_id) is None:
            return
        await interaction.response.defer()  # before deciding, as in approve()
        decision = await self.store.decline(story_id, interaction.user.id, discord.utils.utcnow(), reason)
        if not decision.done:
            await self._say(interaction, already_decided(decision.story))
            return
        story = decision.story
        await self._show_decision(interaction, story, await self.lesson_title(story.lesson_slug))
        await interaction.followup.send(f"Declined story {_quote_title(story)}. I told the author.", ephemeral=True)
        await self.notify_author(guild, story, f"was not published. The moderators' reason: {escape(reason)}")
        await mod_log(self.bot, guild, f"{interaction.user.mention} declined story {_quote_title(story)}.")

    async def _reload(self, story: Story) -> Story:
        fresh = await self.store.get(story.id)
        return fresh if fresh is not None else story

    async def _publish(self, guild: discord.Guild, story: Story, lesson_title: str | None) -> discord.Message | None:
        """Post the story in #stories with a discussion thread holding any further pages."""
        channel = await self.bot.guild_config.resolve_channel(guild, Channel.STORIES)
        if channel is None:
            return None
        embeds = public_embeds(story, lesson_title=lesson_title)
        message = await send_safely(self.bot, channel, embed=embeds[0])
        if message is None:
            return None
        thread: discord.Thread | None = None
        thread_name = truncate(discord.utils.escape_mentions(f"#{story.number} {story.title}"), 100)
        try:
            thread = await message.create_thread(
                name=thread_name,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException:
            log.warning("could not open a thread for story #%s in guild %s", story.number, guild.id, exc_info=True)
        if thread is not None:
            await send_safely(
                self.bot,
                thread,
                content=f"Discuss story #{story.number} here: what would you try, what worked for you? Be kind.",
            )
            for embed in embeds[1:]:
                await send_safely(self.bot, thread, embed=embed)
        await self.store.set_published_post(story.id, channel.id, message.id, thread.id if thread else None)
        return message

    async def _show_decision(self, interaction: discord.Interaction, story: Story, lesson_title: str | None) -> None:
        """Update the clicked review message, and the #mod-queue post when the click came from elsewhere."""
        embeds = review_embeds(story, lesson_title=lesson_title)
        clicked = interaction.message
        try:
            await interaction.edit_original_response(embed=embeds[0], view=None)
        except discord.HTTPException:
            log.warning("could not update the review message of story #%s", story.number, exc_info=True)
        if clicked is None or clicked.id != story.queue_message_id:
            await self.refresh_review_post(story, lesson_title)

    async def refresh_review_post(self, story: Story, lesson_title: str | None = None) -> None:
        """Show the story's current status on its #mod-queue post (buttons gone once decided)."""
        if story.queue_channel_id is None or story.queue_message_id is None:
            return
        from bot.stories.ui import review_view

        channel = self.bot.get_channel(story.queue_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        view = review_view(story.id) if story.status is StoryStatus.PENDING else None
        embeds = review_embeds(story, lesson_title=lesson_title or await self.lesson_title(story.lesson_slug))
        try:
            await channel.get_partial_message(story.queue_message_id).edit(embed=embeds[0], view=view)
        except discord.HTTPException:
            log.warning("could not update the review post of story #%s", story.number, exc_info=True)

    async def notify_author(self, guild: discord.Guild, story: Story, what_happened: str) -> bool:
        """DM the author about their story; closed DMs are fine (they see it in /story mine)."""
        user = guild.get_member(story.author_id) or self.bot.get_user(story.author_id)
        try:
            if user is None:
                user = await self.bot.fetch_user(story.author_id)
            await user.send(
                f"Your story {_quote_title(story)} in {escape(guild.name)} {what_happened}\n"
                "`/story mine` lists all your stories."
            )
        except discord.HTTPException:
            log.info("could not DM the author of story #%s (guild %s)", story.number, guild.id)
            return False
        return True

    # -- withdrawal ----------------------------------------------------------------------------

    async def withdraw(self, guild: discord.Guild, author_id: int, number: int) -> str:
        """Withdraw one of the author's own stories; returns what to tell them."""
        story = await self.store.by_number(guild.id, number)
        if story is None or story.author_id != author_id:
            raise UserError(f"You have no story #{number}. `/story mine` lists yours.")
        if story.status not in (StoryStatus.PENDING, StoryStatus.PUBLISHED):
            raise UserError(f"Story #{number} is {story.status.label}; there is nothing to withdraw.")
        withdrawn = await self.store.withdraw(story.id, discord.utils.utcnow())
        if withdrawn is None:
            raise UserError(f"Story #{number} was decided just now; look at `/story mine` and try again.")
        removed = await self._remove_post(withdrawn) if story.status is StoryStatus.PUBLISHED else False
        await self.refresh_review_post(withdrawn)
        await mod_log(self.bot, guild, f"Story {_quote_title(withdrawn)} was withdrawn by its author.")
        if story.status is StoryStatus.PENDING:
            return f"Withdrew story {_quote_title(withdrawn)}: moderators will not review it."
        if removed:
            return f"Withdrew story {_quote_title(withdrawn)} and removed its post from #stories."
        return (
            f"Withdrew story {_quote_title(withdrawn)}. I could not remove its post from #stories; "
            "the moderators have been told."
        )

    async def _remove_post(self, story: Story) -> bool:
        """Delete the published post and its discussion thread. False if the post could not be removed."""
        channel = self.bot.get_channel(story.post_channel_id) if story.post_channel_id else None
        removed = story.post_message_id is None
        if isinstance(channel, discord.TextChannel) and story.post_message_id is not None:
            try:
                await channel.get_partial_message(story.post_message_id).delete()
                removed = True
            except discord.NotFound:
                removed = True
            except discord.HTTPException:
                log.warning("could not delete the post of story #%s", story.number, exc_info=True)
        thread = self.bot.get_channel(story.thread_id) if story.thread_id else None
        if isinstance(thread, discord.Thread):
            try:
                await thread.delete()
            except discord.HTTPException:
                log.warning("could not delete the thread of story #%s", story.number, exc_info=True)
        if not removed and channel is not None and isinstance(channel, discord.TextChannel):
            await mod_log(
                self.bot,
                channel.guild,
                f"Story #{story.number} was withdrawn but I could not delete its post in {channel.mention}: "
                "please remove it by hand.",
            )
        return removed

    # -- helpers -------------------------------------------------------------------------------

    async def _say(self, interaction: discord.Interaction, text: str) -> None:
        await tell(interaction, text)


def already_decided(story: Story) -> str:
    """What a moderator hears when clicking on a story someone already dealt with."""
    when = discord.utils.format_dt(story.decided_at, "R") if story.decided_at else ""
    if story.status is StoryStatus.WITHDRAWN:
        return f"Story #{story.number} was withdrawn by its author; there is nothing to review."
    verb = "approved" if story.status is StoryStatus.PUBLISHED else "declined"
    return f"Story #{story.number} was already {verb} by <@{story.decided_by}> {when}.".replace("  ", " ")
