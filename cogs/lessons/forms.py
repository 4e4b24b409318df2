"""The moderators' lesson form (add and edit) and the retry view that reopens it with what was typed."""

from __future__ import annotations

from typing import Any

import discord

from bot.lessons.rules import FORM_BODY_MAX
from bot.permissions import Role
from bot.persistent import CourseModal, CourseView

from . import render
from .buttons import lesson_controls, lessons, log_action


class LessonModal(CourseModal):
    """Title, module, body, tags and source of a lesson; `slug` set when editing."""

    required_role = Role.MODERATOR

    def __init__(self, *, slug: str | None = None, values: dict[str, str] | None = None) -> None:
        heading = "Add a lesson" if slug is None else "Edit lesson"
        super().__init__(title=heading, custom_id=f"lessons:modal:{slug or 'new'}")
        self.slug = slug
        values = values or {}

        def text_input(key: str, label: str, **kwargs: Any) -> discord.ui.TextInput[Any]:
            item: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=label, custom_id=key, default=values.get(key) or None, **kwargs
            )
            self.add_item(item)
            return item

        self.inputs = {
            "title": text_input("title", "Title", max_length=200),
            "module": text_input(
                "module", "Module (a week or unit)", max_length=100, placeholder="Week 1: The digital shift"
            ),
            "body": text_input(
                "body", "Lesson text (Markdown)", style=discord.TextStyle.paragraph, max_length=FORM_BODY_MAX
            ),
            "tags": text_input(
                "tags", "Tags, separated by commas", required=False, max_length=400, placeholder="seo, search"
            ),
            "source": text_input(
                "source", "Source of the facts", required=False, max_length=300, placeholder="Course team"
            ),
        }

    def values(self) -> dict[str, str]:
        return {key: item.value for key, item in self.inputs.items()}

    async def on_submit(self, interaction: discord.Interaction) -> None:
        values = self.values()
        service = lessons(interaction)
        saved = await service.save_form(self.slug, values, editor=interaction.user.display_name)
        if saved.lesson is None:
            await interaction.response.send_message(
                render.content(service.form_problems_text(saved.problems)),
                view=RetryFormView(self.slug, values),
                ephemeral=True,
            )
            return
        view = await service.view(saved.lesson)
        await interaction.response.send_message(
            render.content(saved.reply),
            embed=render.lesson_embed(view),
            view=lesson_controls(view),
            ephemeral=True,
        )
        await log_action(interaction, saved.log)


class RetryFormView(CourseView):
    """Offered when a form's lesson had problems: reopens it with everything typed still there."""

    required_role = Role.MODERATOR

    def __init__(self, slug: str | None, values: dict[str, str]) -> None:
        super().__init__(timeout=900)
        self.slug, self.values = slug, values

    @discord.ui.button(label="Fix and try again", style=discord.ButtonStyle.primary)
    async def retry(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(LessonModal(slug=self.slug, values=self.values))
