"""One error handler: friendly replies, full errors in the log, the bot keeps running."""

from __future__ import annotations

import logging

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from simcord.env import Env

from bot.app import CourseBot
from bot.checks import require
from bot.demo.world import CourseWorld
from bot.errors import GENERIC_APOLOGY
from bot.guild_config import Channel
from bot.notify import send_safely
from bot.permissions import Role
from bot.persistent import CourseButton


class ProbeButton(CourseButton, template=r"probe:(?P<number>\d+)"):
    required_role = Role.MODERATOR

    def __init__(self, number: int) -> None:
        super().__init__(discord.ui.Button(label=f"Probe {number}", custom_id=f"probe:{number}"))
        self.number = number

    async def handle(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"probe {self.number} clicked", ephemeral=True)


class Probe(commands.Cog):
    """Test-only commands that exercise the foundation's error paths."""

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    @app_commands.command(name="announce", description="Post in #mod-queue")
    @require(Role.MODERATOR)
    async def announce(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        channel = await self.bot.guild_config.resolve_channel(interaction.guild, Channel.MOD_QUEUE)
        assert channel is not None
        await channel.send("an announcement")  # unguarded: a REST failure reaches the error handler
        await interaction.response.send_message("posted", ephemeral=True)

    @app_commands.command(name="announce-safely", description="Post in #mod-queue, reporting failures")
    @require(Role.MODERATOR)
    async def announce_safely(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        channel = await self.bot.guild_config.resolve_channel(interaction.guild, Channel.MOD_QUEUE)
        assert channel is not None
        if await send_safely(self.bot, channel, caller=interaction, content="hello queue"):
            await interaction.response.send_message("posted", ephemeral=True)

    @app_commands.command(name="probe", description="Post a moderator-only button")
    async def probe(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(ProbeButton(7))
        await interaction.response.send_message("probe", view=view)


@pytest.fixture
async def probe(simcord_bot: CourseBot, simcord_env: Env) -> Probe:
    cog = Probe(simcord_bot)
    await simcord_bot.add_cog(cog)
    simcord_bot.add_dynamic_items(ProbeButton)
    await simcord_bot.tree.sync()
    return cog


async def test_rest_failure_gives_a_friendly_reply_and_a_logged_error(
    course: CourseWorld, probe: Probe, simcord_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    simcord_env.inject_error("POST", "/channels/*/messages", status=500)
    with caplog.at_level(logging.ERROR, logger="coursebot.errors"):
        result = await course.moderator.slash(course.channel("general"), "announce")
    assert result.ephemeral
    assert result.response.content == GENERIC_APOLOGY
    assert any("error in /announce" in r.getMessage() and r.exc_info for r in caplog.records)
    assert [type(e).__name__ for e in simcord_env.errors] == ["CommandInvokeError"]
    # the bot keeps running: the same command works once Discord answers again
    again = await course.moderator.slash(course.channel("general"), "announce")
    assert again.response.content == "posted"
    assert course.channel("mod-queue").last_message.content == "an announcement"


async def test_role_only_moderator_may_use_moderator_commands(course: CourseWorld, probe: Probe) -> None:
    assert not course.moderator.member.guild_permissions.manage_messages  # role only, no permission
    result = await course.moderator.slash(course.channel("general"), "announce-safely")
    assert result.response.content == "posted"
    refused = await course.learner.slash(course.channel("general"), "announce-safely")
    assert refused.ephemeral
    assert refused.response.content.startswith("Only moderators can do that.")
    assert course.channel("mod-queue").last_message.content == "hello queue"  # only the moderator's post


async def test_missing_permission_is_reported_to_mod_log_and_caller(
    course: CourseWorld, probe: Probe, simcord_bot: CourseBot
) -> None:
    locked = course.guild.create_text_channel(
        "locked-queue",
        overwrites={course.guild.me: discord.PermissionOverwrite(view_channel=True, send_messages=False)},
    )
    await course.admin.slash(course.channel("general"), "setup channels", mod_queue=locked)
    result = await course.moderator.slash(course.channel("general"), "announce-safely")
    assert result.ephemeral
    assert f"I can't post in {locked.mention}" in result.response.content
    assert f"I can't post in {locked.mention}" in course.channel("mod-log").last_message.content


async def test_moderator_button_refuses_a_learner_and_survives_restart(
    course: CourseWorld, probe: Probe, simcord_env: Env
) -> None:
    await course.learner.slash(course.channel("general"), "probe")
    message = course.channel("general").last_message
    refused = await course.learner.click(message, custom_id="probe:7")
    assert refused.ephemeral
    assert refused.response.content.startswith("Only moderators can do that.")
    await simcord_env.restart_bot()
    clicked = await course.moderator.click(message, custom_id="probe:7")
    assert clicked.response.content == "probe 7 clicked"


async def test_a_refusal_is_a_completed_action_not_an_error(
    course: CourseWorld, probe: Probe, simcord_env: Env
) -> None:
    """Refused as a learner, by check and by a button's role: the user gets the reply and nothing reaches
    the error handlers (which SimCord and its preview count as failed actions)."""
    refused = await course.learner.slash(course.channel("general"), "announce-safely")
    assert refused.response.content.startswith("Only moderators can do that.")
    await course.moderator.slash(course.channel("general"), "probe")
    clicked = await course.learner.click(course.channel("general").last_message, custom_id="probe:7")
    assert clicked.response.content.startswith("Only moderators can do that.")
    assert simcord_env.errors == []
