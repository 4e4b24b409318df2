"""Learner stories: `/story share|mine|withdraw|browse|show|random` and moderators' `/stories queue|export`."""

from __future__ import annotations

import asyncio
import io
import logging
import math
from datetime import timedelta
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.app import CourseBot
from bot.checks import has_role, require
from bot.errors import UserError
from bot.permissions import Role
from bot.stories.embeds import list_embed, own_story_embeds, public_embeds, review_embeds
from bot.stories.export import render_export
from bot.stories.formatting import escape, truncate
from bot.stories.model import Story, StoryStatus
from bot.stories.ui import REVIEW_BUTTONS, PagerView, ShareStoryModal, review_view, story_count
from bot.stories.workflow import StoryService

log = logging.getLogger(__name__)

BROWSE_PAGE_SIZE = 10
REVIEW_RETRY_MINUTES = 10
SHARES_PER_HOUR = 5  # per learner: enough for anyone with stories, too few to flood the review queue
QUEUE_LINES = 20  # a line is up to ~200 characters; 20 fit an embed description


def _guild(interaction: discord.Interaction) -> discord.Guild:
    if interaction.guild is None:
        raise UserError("Stories live in the course server: use this command there.")
    return interaction.guild


class Stories(commands.Cog):
    """Learners share stories; moderators review them; everyone reads the published ones."""

    story = app_commands.Group(
        name="story", description="Share what worked in your marketing, and read others' stories", guild_only=True
    )
    stories = app_commands.Group(
        name="stories", description="Review and export learner stories (moderators)", guild_only=True
    )

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    @property
    def service(self) -> StoryService:
        return StoryService(self.bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*REVIEW_BUTTONS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*REVIEW_BUTTONS)
        self.retry_reviews.cancel()

    async def restore_state(self) -> None:
        """Retry review posts that never reached #mod-queue (also right after a restart)."""
        if await self._unposted_reviews():
            self._start_retrying()

    @commands.Cog.listener()
    async def on_story_review_unposted(self, story_id: int) -> None:
        self._start_retrying()

    def _start_retrying(self) -> None:
        if not self.retry_reviews.is_running():
            self.retry_reviews.start()

    @tasks.loop(minutes=REVIEW_RETRY_MINUTES)
    async def retry_reviews(self) -> None:
        try:
            posted = await self.service.catch_up_reviews()
        except Exception:
            log.exception("retrying story review posts failed")
            return
        if posted:
            log.info("posted %d story reviews that had not reached #mod-queue", posted)
        # the loop only runs while there is something to retry: an idle timer still costs every wake-up
        if not await self._unposted_reviews():
            self.retry_reviews.stop()

    async def _unposted_reviews(self) -> bool:
        later = discord.utils.utcnow() + timedelta(days=1)  # every pending story, however recent
        return bool(await self.service.store.pending_without_queue_post(submitted_before=later))

    @retry_reviews.before_loop
    async def _before_retry(self) -> None:
        await self.bot.wait_until_ready()

    # -- autocomplete --------------------------------------------------------------------------

    async def lesson_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=label, value=slug) for label, slug in await self.service.suggest_lessons(current)
        ]

    async def own_story_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        mine = await self.service.store.by_author(interaction.guild_id, interaction.user.id)
        open_ones = [s for s in mine if s.status in (StoryStatus.PENDING, StoryStatus.PUBLISHED)]
        typed = current.strip().lstrip("#")
        return [
            app_commands.Choice(name=f"#{s.number} {s.title} ({s.status.label})"[:100], value=s.number)
            for s in open_ones
            if not typed or str(s.number).startswith(typed) or typed.lower() in s.title.lower()
        ][:25]

    # -- learners ------------------------------------------------------------------------------

    @story.command(name="share", description="Share a story of what worked (and what did not) in your marketing")
    @app_commands.describe(lesson="The lesson your story relates to (optional)")
    @app_commands.autocomplete(lesson=lesson_autocomplete)
    @app_commands.checks.cooldown(SHARES_PER_HOUR, 3600, key=lambda i: (i.guild_id, i.user.id))
    async def share(self, interaction: discord.Interaction, lesson: str | None = None) -> None:
        _guild(interaction)
        slug = await self.service.check_lesson(lesson)
        await interaction.response.send_modal(ShareStoryModal(lesson_slug=slug))

    @story.command(name="mine", description="Your stories and where each one stands")
    async def mine(self, interaction: discord.Interaction) -> None:
        guild = _guild(interaction)
        stories = await self.service.store.by_author(guild.id, interaction.user.id)
        embed = list_embed(
            "Your stories",
            stories,
            for_author=True,
            empty="You have not shared a story yet. `/story share` opens the form.",
            footer="/story show number:N reads one · /story withdraw number:N takes one back",
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @story.command(name="withdraw", description="Take back one of your stories (its public post is removed)")
    @app_commands.describe(number="The story's number, as in /story mine")
    @app_commands.autocomplete(number=own_story_autocomplete)
    async def withdraw(self, interaction: discord.Interaction, number: app_commands.Range[int, 1]) -> None:
        guild = _guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(await self.service.withdraw(guild, interaction.user.id, number), ephemeral=True)

    @story.command(name="browse", description="Published stories, newest first")
    @app_commands.describe(lesson="Only stories about this lesson", author="Only stories credited to this member")
    @app_commands.autocomplete(lesson=lesson_autocomplete)
    async def browse(
        self, interaction: discord.Interaction, lesson: str | None = None, author: discord.Member | None = None
    ) -> None:
        guild = _guild(interaction)
        service = self.service
        slug = await service.check_lesson(lesson)
        author_id = author.id if author is not None else None
        heading = "Published stories"
        if slug:
            heading += f" on {await service.lesson_title(slug) or slug}"
        if author is not None:
            heading += f" by {author.display_name}"

        async def load(page: int) -> tuple[discord.Embed, int, int]:
            total = await service.store.count_published(guild.id, lesson_slug=slug, author_id=author_id)
            pages = max(1, math.ceil(total / BROWSE_PAGE_SIZE))
            page = max(0, min(page, pages - 1))
            shown = await service.store.published(
                guild.id, lesson_slug=slug, author_id=author_id, offset=page * BROWSE_PAGE_SIZE, limit=BROWSE_PAGE_SIZE
            )
            embed = list_embed(
                discord.utils.escape_markdown(heading)[:256],
                shown,
                lesson_titles=await service.lesson_titles(shown),
                empty="No published stories here yet. `/story share` adds yours!",
                footer=f"Page {page + 1} of {pages} · {story_count(total)} · /story show number:N reads one",
            )
            return embed, page, pages

        embed, page, pages = await load(0)
        if pages > 1:
            view = PagerView(interaction.user.id, load, page=page, pages=pages)
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
            view.message = await interaction.original_response()
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

    @story.command(name="show", description="Read one story by its number")
    @app_commands.describe(number="The story's number, e.g. 12")
    async def show(self, interaction: discord.Interaction, number: app_commands.Range[int, 1]) -> None:
        guild = _guild(interaction)
        story = await self.service.store.by_number(guild.id, number)
        if story is not None and story.is_published:
            await self._send_public(interaction, story)
            return
        if story is not None and story.status is StoryStatus.PENDING and await has_role(interaction, Role.MODERATOR):
            embeds = review_embeds(story, lesson_title=await self.service.lesson_title(story.lesson_slug))
            await self._send_embeds(interaction, embeds, view=review_view(story.id), ephemeral=True)
            return
        if story is not None and story.author_id == interaction.user.id:
            embeds = own_story_embeds(story, lesson_title=await self.service.lesson_title(story.lesson_slug))
            await self._send_embeds(interaction, embeds, ephemeral=True)
            return
        raise UserError(f"There is no published story #{number}. `/story browse` lists them.")

    @story.command(name="random", description="Read a random published story")
    async def random(self, interaction: discord.Interaction) -> None:
        guild = _guild(interaction)
        story = await self.service.store.random_published(guild.id)
        if story is None:
            raise UserError("No story has been published yet. Be the first: `/story share`!")
        await self._send_public(interaction, story)

    async def _send_public(self, interaction: discord.Interaction, story: Story) -> None:
        embeds = public_embeds(story, lesson_title=await self.service.lesson_title(story.lesson_slug))
        await self._send_embeds(interaction, embeds, ephemeral=False)

    async def _send_embeds(
        self,
        interaction: discord.Interaction,
        embeds: list[discord.Embed],
        *,
        ephemeral: bool,
        view: discord.ui.View | None = None,
    ) -> None:
        """The first page as the reply, further pages as follow-ups (a message holds 6,000 characters)."""
        if view is not None:
            await interaction.response.send_message(embed=embeds[0], view=view, ephemeral=ephemeral)
        else:
            await interaction.response.send_message(embed=embeds[0], ephemeral=ephemeral)
        for embed in embeds[1:]:
            await interaction.followup.send(embed=embed, ephemeral=ephemeral)

    # -- moderators ----------------------------------------------------------------------------

    @stories.command(name="queue", description="Stories waiting for review, oldest first")
    @require(Role.MODERATOR)
    async def queue(self, interaction: discord.Interaction) -> None:
        guild = _guild(interaction)
        store = self.service.store
        pending, total = await store.pending(guild.id, limit=QUEUE_LINES), await store.count_pending(guild.id)
        lines = [queue_line(story, guild.id) for story in pending]
        if total > len(pending):
            lines.append(f"… and {total - len(pending)} more.")
        embed = discord.Embed(
            title=f"Waiting for review: {story_count(total)}",
            description="\n".join(lines) or "Nothing is waiting for review. 🎉",
            colour=discord.Colour.gold(),
        )
        embed.set_footer(text="Review with the buttons in #mod-queue, or open one with /story show number:N")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @stories.command(name="export", description="Download every story with its status and dates")
    @app_commands.describe(format="csv for spreadsheets (default), json for programs")
    @require(Role.MODERATOR)
    async def export(self, interaction: discord.Interaction, format: Literal["csv", "json"] = "csv") -> None:
        guild = _guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        stories = await self.service.store.all_stories(guild.id)
        data = await asyncio.to_thread(render_export, stories, format)
        name = f"stories-{guild.id}-{discord.utils.utcnow():%Y%m%d}.{format}"
        await interaction.followup.send(
            f"{story_count(len(stories))} exported (anonymous stories without their author).",
            file=discord.File(io.BytesIO(data), filename=name),
            ephemeral=True,
        )


def queue_line(story: Story, guild_id: int) -> str:
    """A pending story for /stories queue: number, title, author, age, flag, and where to review it."""
    parts = [
        f"**#{story.number}** {escape(truncate(story.title, 80))}",
        f"by <@{story.author_id}>" + (" (anonymous)" if story.anonymous else ""),
        f"sent {discord.utils.format_dt(story.submitted_at, 'R')}",
    ]
    if story.screening.flagged:
        parts.append("⚠️ flagged by the spam filter")
    if story.queue_message_id is not None:
        parts.append(
            f"[review post](https://discord.com/channels/{guild_id}/{story.queue_channel_id}/{story.queue_message_id})"
        )
    else:
        parts.append(f"not in #mod-queue: `/story show number:{story.number}`")
    return " · ".join(parts)


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(Stories(bot))
