"""Poll components: the confirmation (Confirm / Cancel) before a weekly poll is stopped for good."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot import notify
from bot.app import CourseBot
from bot.core.errors import Conflict
from bot.core.text import person
from bot.permissions import Role
from bot.persistent import CourseView
from cogs.polls import render

CONFIRM_SECONDS = 300


class UnscheduleConfirm(CourseView):
    """Ephemeral, for the host who asked: Confirm stops the schedule (once), Cancel leaves it running."""

    required_role = Role.HOST

    def __init__(self, guild_id: int, schedule_id: int, host_id: int, on_change: Callable[[], Awaitable[None]]) -> None:
        super().__init__(timeout=CONFIRM_SECONDS)
        self.guild_id = guild_id
        self.schedule_id = schedule_id
        self.host_id = host_id
        self.on_change = on_change

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.host_id:
            await notify.tell(interaction, "This confirmation belongs to the host who asked for it.")
            return False
        return await super().interaction_check(interaction)

    async def _finish(self, interaction: discord.Interaction[CourseBot], text: str) -> None:
        self.stop()
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        await interaction.response.edit_message(content=text, view=self)

    @discord.ui.button(label="Stop it", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction[CourseBot], _: discord.ui.Button[Any]) -> None:
        try:
            stopped = await interaction.client.services.polls.unschedule(self.guild_id, self.schedule_id)
        except Conflict as lost:  # stopped meanwhile (another confirmation): say so on this one
            await self._finish(interaction, str(lost))
            return
        await self._finish(interaction, render.unscheduled(stopped))
        await self.on_change()
        if interaction.guild is not None:
            who = person(interaction.user.display_name, interaction.user.id)
            await notify.mod_log(interaction.client, interaction.guild, f"🗑️ {who} stopped weekly poll #{stopped.id}.")

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction[CourseBot], _: discord.ui.Button[Any]) -> None:
        await self._finish(interaction, f"Nothing changed: weekly poll #{self.schedule_id} keeps running.")
