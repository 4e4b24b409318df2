"""Bases for buttons and views that report errors the one way, and persistent (restart-proof) buttons."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from bot.checks import ensure_role
from bot.errors import report_interaction_error
from bot.permissions import Role


class CourseView(discord.ui.View):
    """A View whose errors reach the user as a short ephemeral message and the log in full."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await report_interaction_error(interaction, error, where=f"{type(self).__name__} item {item!r}")


class CourseModal(discord.ui.Modal):
    """A Modal whose errors are reported like every other interaction error."""

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await report_interaction_error(interaction, error, where=f"modal {type(self).__name__}")


class CourseButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.compile(r"(?!)")):
    """A persistent button: its custom_id carries what it acts on, so it works after any restart.

    Subclass with `template=r"feature:action:(?P<id>\\d+)"`, build the button in `__init__`, set
    `required_role`, and implement `handle()`. Register with `bot.add_dynamic_items(...)` in `cog_load`.
    Named groups of the template that are all digits arrive as ints.
    """

    required_role: ClassVar[Role] = Role.LEARNER

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CourseButton:
        values = {key: int(value) if value.isdigit() else value for key, value in match.groupdict().items()}
        return cls(**values)  # type: ignore[arg-type]

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if self.required_role is not Role.LEARNER and not await ensure_role(interaction, self.required_role):
                return
            await self.handle(interaction)
        except Exception as error:
            await report_interaction_error(interaction, error, where=f"button {self.custom_id}")

    async def handle(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError
