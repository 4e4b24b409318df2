"""Server setup (`/setup`) and `/help`."""

from __future__ import annotations

from collections import defaultdict

import discord
from discord import app_commands
from discord.ext import commands

from bot import notify
from bot.app import CourseBot
from bot.checks import member_roles, require, required_role
from bot.core.limits import EMBED_FIELD_VALUE
from bot.core.text import quote_inline, truncate
from bot.errors import UserError
from bot.guild_config import BotRole, Channel
from bot.permissions import Role
from bot.timezones import is_timezone, suggest_timezones

BOT_CHANNEL_PERMISSIONS = (
    "view_channel",
    "send_messages",
    "embed_links",
    "attach_files",
    "read_message_history",
)


# Channels only moderators should read, and what @everyone would see in each.
STAFF_ONLY = {
    Channel.MOD_QUEUE: "the reviews there, including the names of authors who asked to be anonymous",
    Channel.MOD_LOG: "the moderation log there, with the names of everyone moderated",
}
TIMEZONE_ECHO = 60  # characters of a refused time zone name echoed back


def public_staff_warning(which: Channel, channel: discord.TextChannel) -> str | None:
    """A warning when a review or log channel is readable by @everyone, else None."""
    exposed = STAFF_ONLY.get(which)
    if exposed is None or not channel.permissions_for(channel.guild.default_role).view_channel:
        return None
    return (
        f"Warning: {channel.mention} is visible to @everyone, so every learner would see {exposed}. "
        f"The spam filter also skips review and log channels, so posts in {channel.mention} are no longer "
        "checked. Pick a channel only moderators can see, or hide this one from @everyone."
    )


def missing_channel_permissions(channel: discord.TextChannel) -> list[str]:
    perms = channel.permissions_for(channel.guild.me)
    return [name.replace("_", " ") for name in BOT_CHANNEL_PERMISSIONS if not getattr(perms, name)]


def chunk_lines(lines: list[str], limit: int) -> list[str]:
    """Join lines into blocks of at most `limit` characters (an embed field's limit)."""
    chunks: list[str] = []
    for line in lines:
        line = truncate(line, limit)
        if chunks and len(chunks[-1]) + 1 + len(line) <= limit:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return chunks


class Core(commands.Cog):
    """Per-server setup and help."""

    setup_group = app_commands.Group(
        name="setup",
        description="Configure the bot for this server",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    @setup_group.command(name="channels", description="Choose the channels the bot posts in")
    @app_commands.describe(
        mod_queue="Where moderators review stories and flagged posts",
        stories="Where approved learner stories are published",
        polls="Where polls go by default",
        mod_log="Where moderation actions are logged",
    )
    @require(Role.ADMIN)
    async def setup_channels(
        self,
        interaction: discord.Interaction,
        mod_queue: discord.TextChannel | None = None,
        stories: discord.TextChannel | None = None,
        polls: discord.TextChannel | None = None,
        mod_log: discord.TextChannel | None = None,
    ) -> None:
        chosen = {
            Channel.MOD_QUEUE: mod_queue,
            Channel.STORIES: stories,
            Channel.POLLS: polls,
            Channel.MOD_LOG: mod_log,
        }
        changes = {which.column: channel.id for which, channel in chosen.items() if channel is not None}
        if not changes:
            raise UserError("Pick at least one channel to set (mod_queue, stories, polls or mod_log).")
        assert interaction.guild is not None
        await self.bot.guild_config.store.update(interaction.guild.id, self.bot.clock.now().isoformat(), **changes)
        lines = [f"{which.purpose.capitalize()}: {ch.mention}" for which, ch in chosen.items() if ch is not None]
        warnings = [
            f"I can't use {ch.mention} yet: missing {', '.join(missing)}."
            for ch in chosen.values()
            if ch is not None and (missing := missing_channel_permissions(ch))
        ]
        warnings += [
            warning
            for which, ch in chosen.items()
            if ch is not None and (warning := public_staff_warning(which, ch)) is not None
        ]
        await interaction.response.send_message("\n".join(["Saved.", *lines, *warnings]), ephemeral=True)
        await notify.mod_log(self.bot, interaction.guild, f"{interaction.user} set channels: " + "; ".join(lines))

    @setup_group.command(name="roles", description="Choose the moderator and host roles")
    @app_commands.describe(moderator="Members with this role moderate", host="Members with this role host")
    @require(Role.ADMIN)
    async def setup_roles(
        self,
        interaction: discord.Interaction,
        moderator: discord.Role | None = None,
        host: discord.Role | None = None,
    ) -> None:
        chosen = {BotRole.MODERATOR: moderator, BotRole.HOST: host}
        changes = {which.column: role.id for which, role in chosen.items() if role is not None}
        if not changes:
            raise UserError("Pick a moderator role, a host role, or both.")
        assert interaction.guild is not None
        if any(role is not None and role.is_default() for role in chosen.values()):
            raise UserError("@everyone can't be the moderator or host role: pick a role only some members have.")
        await self.bot.guild_config.store.update(interaction.guild.id, self.bot.clock.now().isoformat(), **changes)
        lines = [f"{which.default_name}: {role.mention}" for which, role in chosen.items() if role is not None]
        await interaction.response.send_message("\n".join(["Saved.", *lines]), ephemeral=True)
        await notify.mod_log(self.bot, interaction.guild, f"{interaction.user} set roles: " + "; ".join(lines))

    @setup_group.command(name="timezone", description="Set the server's time zone (used by weekly polls)")
    @app_commands.describe(name="An IANA time zone such as Europe/London")
    @require(Role.ADMIN)
    async def setup_timezone(self, interaction: discord.Interaction, name: str) -> None:
        if not is_timezone(name):
            shown = quote_inline(name, TIMEZONE_ECHO)
            raise UserError(f"“{shown}” is not a time zone I know. Pick one from the list, e.g. Europe/London.")
        assert interaction.guild is not None
        await self.bot.guild_config.store.update(interaction.guild.id, self.bot.clock.now().isoformat(), timezone=name)
        await interaction.response.send_message(f"Saved. Server time zone: {name}.", ephemeral=True)

    @setup_timezone.autocomplete("name")
    async def _timezone_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in suggest_timezones(current)]

    @setup_group.command(name="show", description="Show how the bot is set up in this server")
    @require(Role.ADMIN)
    async def setup_show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        settings = await self.bot.guild_config.get(guild.id)
        embed = discord.Embed(title=f"Setup of {guild.name}", colour=discord.Colour.blurple())
        for which in Channel:
            channel = await self.bot.guild_config.resolve_channel(guild, which)
            configured = getattr(settings, which.column) is not None
            if channel is None:
                value = f"not set, and no channel named #{which.default_name}"
            else:
                value = channel.mention + ("" if configured else f" (found by name #{which.default_name})")
                if missing := missing_channel_permissions(channel):
                    value += f"\nI am missing: {', '.join(missing)}"
                if public_staff_warning(which, channel) is not None:
                    value += "\nVisible to @everyone: learners can read it and the spam filter skips it."
            embed.add_field(name=which.purpose.capitalize(), value=value, inline=False)
        for role_kind in BotRole:
            role = await self.bot.guild_config.resolve_role(guild, role_kind)
            configured = getattr(settings, role_kind.column) is not None
            if role is None:
                value = f"not set, and no role named {role_kind.default_name}"
            else:
                value = role.mention + ("" if configured else " (found by name)")
            embed.add_field(name=f"{role_kind.default_name} role", value=value, inline=True)
        embed.add_field(name="Time zone", value=await self.bot.guild_config.timezone(guild.id), inline=True)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="help", description="What you can do with the course bot")
    async def help(self, interaction: discord.Interaction) -> None:
        held = await member_roles(interaction)
        grouped: dict[Role, list[str]] = defaultdict(list)
        for command in self.bot.tree.walk_commands():
            if isinstance(command, app_commands.Group):
                continue
            role = required_role(command)
            if role in held:
                grouped[role].append(f"`/{command.qualified_name}`: {command.description}")
        embed = discord.Embed(title="Course bot commands", colour=discord.Colour.blurple())
        for role in Role:
            for index, chunk in enumerate(chunk_lines(sorted(grouped.get(role, [])), EMBED_FIELD_VALUE)):
                name = f"For {role.label.lower()}" + (" (more)" if index else "")
                embed.add_field(name=name, value=chunk, inline=False)
        embed.set_footer(text=self.bot.settings.course_name)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(Core(bot))
