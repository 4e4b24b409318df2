"""Learner stories: `/story share|mine|withdraw|browse|show|random` and moderators' `/stories queue|export`.
Parse -> service -> render. Posting is the job queue's (cogs/stories/jobs.py)."""

from __future__ import annotations

import io
import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.app import CourseBot
from bot.checks import has_role, require
from bot.core import limits
from bot.core.errors import UserError
from bot.core.text import truncate
from bot.permissions import Role
from bot.stories.messages import withdraw_question
from bot.stories.service import StoryService
from cogs.stories.buttons import ShareStoryModal, review_view
from cogs.stories.render import reply_cards
from cogs.stories.views import PagerView, WithdrawConfirm

log = logging.getLogger(__name__)

Interaction = discord.Interaction[CourseBot]


def _guild(interaction: Interaction) -> discord.Guild:
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
        return self.bot.services.stories

    # -- autocomplete --------------------------------------------------------------------------

    async def lesson_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        choices = await self.service.lesson_choices(current)
        return [
            app_commands.Choice(name=truncate(label, limits.CHOICE_NAME), value=slug)
            for label, slug in choices[: limits.AUTOCOMPLETE_CHOICES]
            if len(slug) <= limits.CHOICE_VALUE
        ]

    async def own_story_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        choices = await self.service.open_story_choices(interaction.guild_id, interaction.user.id, current)
        return [
            app_commands.Choice(name=truncate(label, limits.CHOICE_NAME), value=number)
            for label, number in choices[: limits.AUTOCOMPLETE_CHOICES]
        ]

    # -- learners ------------------------------------------------------------------------------

    @story.command(name="share", description="Share a story of what worked (and what did not) in your marketing")
    @app_commands.describe(lesson="The lesson your story relates to (optional)")
    @app_commands.autocomplete(lesson=lesson_autocomplete)
    async def share(self, interaction: Interaction, lesson: str | None = None) -> None:
        slug = await self.service.open_share(_guild(interaction).id, interaction.user.id, lesson)
        await interaction.response.send_modal(ShareStoryModal(lesson_slug=slug))

    @story.command(name="mine", description="Your stories and where each one stands")
    async def mine(self, interaction: Interaction) -> None:
        card = await self.service.mine(_guild(interaction).id, interaction.user.id)
        await interaction.response.send_message(embed=render.embed(card), ephemeral=True)

    @story.command(name="withdraw", description="Take back one of your stories (its public post is removed)")
    @app_commands.describe(number="The story's number, as in /story mine")
    @app_commands.autocomplete(number=own_story_autocomplete)
    async def withdraw(self, interaction: Interaction, number: app_commands.Range[int, 1]) -> None:
        story = await self.service.withdrawable(_guild(interaction).id, interaction.user.id, number)
        await interaction.response.send_message(
            withdraw_question(story), view=WithdrawConfirm(interaction.user.id, number), ephemeral=True
        )

    @story.command(name="browse", description="Published stories, newest first")
    @app_commands.describe(lesson="Only stories about this lesson", author="Only stories credited to this member")
    @app_commands.autocomplete(lesson=lesson_autocomplete)
    async def browse(
        self, interaction: Interaction, lesson: str | None = None, author: discord.Member | None = None
    ) -> None:
        guild = _guild(interaction)
        service = self.service
        slug = await service.check_lesson(lesson)
        author_id = author.id if author is not None else None
        author_name = author.display_name if author is not None else None

        async def load(page: int) -> tuple[discord.Embed, int, int]:
            shown = await service.browse(guild.id, page, lesson_slug=slug, author_id=author_id, author_name=author_name)
            return render.embed(shown.card), shown.index, shown.count

        embed, page, pages = await load(0)
        if pages > 1:
            view = PagerView(interaction.user.id, load, page=page, pages=pages)
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
            view.message = await interaction.original_response()
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

    @story.command(name="show", description="Read one story by its number")
    @app_commands.describe(number="The story's number, e.g. 12")
    async def show(self, interaction: Interaction, number: app_commands.Range[int, 1]) -> None:
        guild = _guild(interaction)
        moderator = await has_role(interaction, Role.MODERATOR)
        shown = await self.service.show(guild.id, interaction.user.id, number, is_moderator=moderator)
        view = review_view(shown.review_story_id) if shown.review_story_id is not None else None
        await reply_cards(interaction, shown.cards, ephemeral=shown.ephemeral, view=view)

    @story.command(name="random", description="Read a random published story")
    async def random(self, interaction: Interaction) -> None:
        shown = await self.service.random(_guild(interaction).id, interaction.user.id)
        await reply_cards(interaction, shown.cards, ephemeral=shown.ephemeral)

    # -- moderators ----------------------------------------------------------------------------

    @stories.command(name="queue", description="Stories waiting for review, oldest first")
    @require(Role.MODERATOR)
    async def queue(self, interaction: Interaction) -> None:
        card = await self.service.queue(_guild(interaction).id)
        await interaction.response.send_message(embed=render.embed(card), ephemeral=True)

    @stories.command(name="export", description="Download every story with its status and dates")
    @app_commands.describe(format="csv for spreadsheets (default), json for programs")
    @require(Role.MODERATOR)
    async def export(self, interaction: Interaction, format: Literal["csv", "json"] = "csv") -> None:
        guild = _guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        export = await self.service.export(guild.id, format)
        await interaction.followup.send(
            export.summary, file=discord.File(io.BytesIO(export.data), filename=export.filename), ephemeral=True
        )
