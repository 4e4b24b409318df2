"""The privacy commands and the upkeep that erases data when its time comes: parse, call the service, render."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import takedown
from bot.app import CourseBot
from bot.notify import tell
from bot.persistent import CourseView
from bot.render import embed

log = logging.getLogger(__name__)
Interaction = discord.Interaction[CourseBot]


class ForgetMeConfirm(CourseView):
    """Confirm / Cancel for /privacy forget-me; only the member who asked may press them."""

    def __init__(self, bot: CourseBot, guild_id: int, user_id: int) -> None:
        super().__init__(timeout=300)
        self.bot, self.guild_id, self.user_id = bot, guild_id, user_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.user_id:
            await tell(interaction, "Only the member who asked can confirm this.")
            return False
        return True

    @discord.ui.button(label="Erase my data", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Erasing your data…", view=None)
        report = await self.bot.services.privacy.forget_member(self.guild_id, self.user_id)
        await remove_pending_posts(self.bot)
        await interaction.edit_original_response(content=f"Done. {report.describe()}")

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Cancelled: nothing was erased.", view=None)


async def remove_pending_posts(bot: CourseBot) -> int:
    """Delete the bot posts whose data was erased; kept in the database until Discord confirms."""
    removed = 0
    for post in await bot.services.privacy.pending_removals():
        if await takedown.take_down(bot, post):
            await bot.services.privacy.removal_done(post)
            removed += 1
    return removed


class Privacy(commands.Cog):
    privacy = app_commands.Group(name="privacy", description="What this bot stores about you, and erasing it")

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    async def restore_state(self) -> None:
        if not self.upkeep.is_running():
            self.upkeep.start()

    async def cog_unload(self) -> None:
        self.upkeep.cancel()

    @tasks.loop(hours=6)
    async def upkeep(self) -> None:
        """Purge servers left longer ago than the grace period and data past its retention period; remove
        posts whose data was erased."""
        try:
            await self.bot.services.privacy.purge_departed()
            await self.bot.services.privacy.purge_expired()
            await remove_pending_posts(self.bot)
        except Exception:
            log.exception("privacy upkeep failed; it runs again later")

    @upkeep.before_loop
    async def _before_upkeep(self) -> None:
        await self.bot.wait_until_ready()

    @privacy.command(name="info", description="What this bot stores about members, and for how long")
    async def info(self, interaction: Interaction) -> None:
        card = self.bot.services.privacy.summary_card(self.bot.settings.course_name)
        await interaction.response.send_message(embed=embed(card), ephemeral=True)

    @privacy.command(name="forget-me", description="Erase everything this bot stores about you in this server")
    @app_commands.guild_only()
    async def forget_me(self, interaction: Interaction) -> None:
        assert interaction.guild_id is not None
        view = ForgetMeConfirm(self.bot, interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(
            "This erases your stories (published ones are taken down), your lesson progress and your poll votes "
            "in this server, and the text of your messages kept in decided spam reports. It cannot be undone.",
            view=view,
            ephemeral=True,
        )

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.bot.services.privacy.guild_left(guild.id)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.bot.services.privacy.guild_joined(guild.id)
