"""Poll confirmations: a host's End (the anonymous poll's button and `/poll end`) and stopping a weekly poll
ask first, ephemerally, with Cancel; only the host who asked can confirm."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot import notify
from bot.app import CourseBot
from bot.core.errors import Conflict, UserError
from bot.core.text import person
from bot.permissions import Role
from bot.persistent import CourseButton, CourseView
from bot.polls.model import PollRecord
from cogs.polls import render
from cogs.polls.actions import PollActions
from cogs.polls.anonymous import END_TEMPLATE

CONFIRM_SECONDS = 300


class HostConfirm(CourseView):
    """Ephemeral, for the host who asked: `confirmed()` acts (once), Cancel changes nothing."""

    required_role = Role.HOST
    confirm_label = "Confirm"

    def __init__(self, host_id: int) -> None:
        super().__init__(timeout=CONFIRM_SECONDS)
        self.host_id = host_id
        self.confirm.label = self.confirm_label

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.host_id:
            await notify.tell(interaction, "This confirmation belongs to the host who asked for it.")
            return False
        return await super().interaction_check(interaction)

    def _disable(self) -> None:
        self.stop()
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True

    async def _finish(self, interaction: discord.Interaction[CourseBot], text: str) -> None:
        self._disable()
        await interaction.response.edit_message(content=text, view=self)

    async def confirmed(self, interaction: discord.Interaction[CourseBot]) -> None:
        raise NotImplementedError

    def cancelled_text(self) -> str:
        raise NotImplementedError

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction[CourseBot], _: discord.ui.Button[Any]) -> None:
        await self.confirmed(interaction)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction[CourseBot], _: discord.ui.Button[Any]) -> None:
        await self._finish(interaction, self.cancelled_text())


class UnscheduleConfirm(HostConfirm):
    """Stop it stops the schedule for good (once); Cancel leaves it running."""

    confirm_label = "Stop it"

    def __init__(self, guild_id: int, schedule_id: int, host_id: int, on_change: Callable[[], Awaitable[None]]) -> None:
        super().__init__(host_id)
        self.guild_id = guild_id
        self.schedule_id = schedule_id
        self.on_change = on_change

    async def confirmed(self, interaction: discord.Interaction[CourseBot]) -> None:
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

    def cancelled_text(self) -> str:
        return f"Nothing changed: weekly poll #{self.schedule_id} keeps running."


class EndConfirm(HostConfirm):
    """End it closes the poll now and posts its results (once); Cancel leaves it open."""

    confirm_label = "End it"

    def __init__(self, record: PollRecord, host_id: int) -> None:
        super().__init__(host_id)
        self.record = record

    async def confirmed(self, interaction: discord.Interaction[CourseBot]) -> None:
        self._disable()
        await interaction.response.edit_message(content=render.ending(self.record), view=self)
        try:
            record = await interaction.client.services.polls.poll_to_end(self.record.guild_id, self.record.id)
            text = await PollActions(interaction.client).end(record)
        except UserError as refused:  # closed meanwhile, or Discord would not end it just now
            text = str(refused)
        await interaction.edit_original_response(content=text, view=self)

    def cancelled_text(self) -> str:
        return f"Nothing changed: poll #{self.record.id} stays open."


async def ask_to_end(interaction: discord.Interaction[CourseBot], record: PollRecord) -> None:
    """The ephemeral question before a poll is ended, to the host who asked."""
    view = EndConfirm(record, interaction.user.id)
    await interaction.response.send_message(render.end_prompt(record), view=view, ephemeral=True)


class EndButton(CourseButton, template=END_TEMPLATE):
    """The "End poll" button of an anonymous poll's post: asks the host first."""

    required_role = Role.HOST

    def __init__(self, poll_id: int, old: str = "") -> None:
        super().__init__(
            discord.ui.Button(label="End poll", style=discord.ButtonStyle.danger, custom_id=f"{old}poll:end:{poll_id}")
        )
        self.poll_id, self.old = poll_id, bool(old)

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        assert interaction.guild_id is not None
        service = interaction.client.services.polls
        poll_id = await service.legacy_anonymous(self.poll_id, self.old)
        await ask_to_end(interaction, await service.poll_to_end(interaction.guild_id, poll_id))
