"""Lesson slash commands: `/lesson show|search|list|random`, `/progress`, and moderators' `/lessons ...`.
Each one parses its options, calls the lesson service once and renders the result."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import CourseBot
from bot.checks import require
from bot.core import limits
from bot.lessons.card import choice_name
from bot.lessons.model import Lesson
from bot.lessons.service import LessonService
from bot.permissions import Role

from . import render
from .buttons import (
    DYNAMIC_ITEMS,
    lesson_controls,
    log_action,
    member,
    outline_controls,
    read_next_controls,
    removal_controls,
    search_controls,
)
from .forms import LessonModal

Interaction = discord.Interaction[CourseBot]


class LessonsCog(commands.Cog, name="Lessons"):
    """Learners read, search and track lessons; moderators edit the course."""

    lesson = app_commands.Group(name="lesson", description="Read the course's lessons", guild_only=True)
    manage = app_commands.Group(name="lessons", description="Manage the course's lessons", guild_only=True)

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    @property
    def service(self) -> LessonService:
        return self.bot.services.lessons

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def restore_state(self) -> None:
        """Load the lesson files when the database has no lessons yet (a fresh install)."""
        await self.service.load_if_empty()

    # -- autocomplete ---------------------------------------------------------------------------------

    async def topic_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        refs = await self.service.suggest(current, limits.AUTOCOMPLETE_CHOICES)
        return [app_commands.Choice(name=choice_name(ref), value=ref.slug) for ref in refs]

    async def module_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        modules = await self.service.module_choices(current, limits.AUTOCOMPLETE_CHOICES)
        return [app_commands.Choice(name=name, value=name) for name in modules]

    # -- learners -------------------------------------------------------------------------------------

    @lesson.command(name="show", description="Post a lesson in this channel")
    @app_commands.describe(topic="Start typing a topic; spelling mistakes are fine", private="Show it only to you")
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def show(
        self, interaction: Interaction, topic: app_commands.Range[str, 1, 100], private: bool = False
    ) -> None:
        await self.post(interaction, await self.service.resolve(topic), private=private)

    @lesson.command(name="random", description="Post a lesson you have not read yet, picked at random")
    @app_commands.describe(private="Show it only to you")
    async def random(self, interaction: Interaction, private: bool = False) -> None:
        await self.post(interaction, await self.service.random(*member(interaction)), private=private)

    async def post(self, interaction: Interaction, lesson: Lesson, *, private: bool) -> None:
        """Post publicly (one per learner per channel per cooldown) or privately (any time)."""
        guild_id, user_id = member(interaction)
        channel_id = interaction.channel_id or 0
        view = await self.service.show(guild_id, channel_id, user_id, lesson, private=private)
        try:
            await interaction.response.send_message(
                embed=render.lesson_embed(view), view=lesson_controls(view), ephemeral=private
            )
        except discord.HTTPException:
            self.service.release_post(guild_id, channel_id, user_id)
            raise

    @lesson.command(name="search", description="Search every lesson for words or a question")
    @app_commands.describe(query="What you want to know, in plain words")
    async def search(self, interaction: Interaction, query: app_commands.Range[str, 1, 200]) -> None:
        result = await self.service.search(query)
        if result.card is not None:
            await interaction.response.send_message(
                embed=render.card_embed(result.card), view=search_controls(result), ephemeral=True
            )
        else:
            await interaction.response.send_message(
                render.content(result.text), view=search_controls(result), ephemeral=True
            )

    @lesson.command(name="list", description="The course outline, with the lessons you have done ticked")
    @app_commands.describe(module="Only this module")
    @app_commands.autocomplete(module=module_autocomplete)
    async def outline(self, interaction: Interaction, module: str | None = None) -> None:
        view = await self.service.outline_of(*member(interaction), module)
        await interaction.response.send_message(
            embed=render.outline_embed(view), view=outline_controls(view), ephemeral=True
        )

    @app_commands.command(name="progress", description="How much of the course you have done, and what to read next")
    @app_commands.guild_only()
    async def progress(self, interaction: Interaction) -> None:
        view = await self.service.progress(*member(interaction))
        await interaction.response.send_message(
            embed=render.progress_embed(view), view=read_next_controls(view.next_lesson), ephemeral=True
        )

    # -- moderators -----------------------------------------------------------------------------------

    @manage.command(name="add", description="Write a new lesson (opens a form)")
    @require(Role.MODERATOR)
    async def add(self, interaction: Interaction) -> None:
        await interaction.response.send_modal(LessonModal())

    @manage.command(name="edit", description="Change a lesson's title, module, text, tags or source")
    @app_commands.describe(topic="The lesson to edit")
    @app_commands.autocomplete(topic=topic_autocomplete)
    @require(Role.MODERATOR)
    async def edit(self, interaction: Interaction, topic: str) -> None:
        slug, values = await self.service.edit_form(topic)
        await interaction.response.send_modal(LessonModal(slug=slug, values=values))

    @manage.command(name="remove", description="Remove a lesson from the course (asks first)")
    @app_commands.describe(topic="The lesson to remove")
    @app_commands.autocomplete(topic=topic_autocomplete)
    @require(Role.MODERATOR)
    async def remove(self, interaction: Interaction, topic: str) -> None:
        lesson, question = await self.service.removal_question(topic)
        await interaction.response.send_message(
            render.content(question), view=removal_controls(lesson.slug), ephemeral=True
        )

    @manage.command(name="reload", description="Load the lesson files again (checked first)")
    @app_commands.describe(remove_missing="Also remove lessons that are not in the files (default: keep them)")
    @require(Role.MODERATOR)
    async def reload(self, interaction: Interaction, remove_missing: bool = False) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        result = await self.service.reload(remove_missing=remove_missing)
        await interaction.followup.send(render.content(result.text), ephemeral=True)
        if result.log:
            await log_action(interaction, result.log)

    @manage.command(name="export", description="Download the course as a zip of lesson files")
    @require(Role.MODERATOR)
    async def export(self, interaction: Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        export = await self.service.export()
        await interaction.followup.send(
            render.content(export.text),
            file=discord.File(io.BytesIO(export.data), filename=export.filename),
            ephemeral=True,
        )
        await log_action(interaction, export.log)
