"""Per-server configuration: which channels and roles the bot uses, found by setting or by name."""

from __future__ import annotations

from enum import Enum

import discord

from bot.permissions import Role, roles_for
from bot.storage.guilds import GuildSettings, GuildSettingsStore


class Channel(Enum):
    """A channel the bot posts in, with the settings column and the name it falls back to."""

    MOD_QUEUE = ("mod_queue_channel_id", "mod-queue", "moderator review queue")
    STORIES = ("stories_channel_id", "stories", "published stories")
    POLLS = ("polls_channel_id", "polls", "polls")
    MOD_LOG = ("mod_log_channel_id", "mod-log", "moderation log")

    def __init__(self, column: str, default_name: str, purpose: str) -> None:
        self.column = column
        self.default_name = default_name
        self.purpose = purpose


class BotRole(Enum):
    MODERATOR = ("moderator_role_id", "Moderators")
    HOST = ("host_role_id", "Hosts")

    def __init__(self, column: str, default_name: str) -> None:
        self.column = column
        self.default_name = default_name


class GuildConfig:
    """Resolves a server's settings into live channels, roles and bot roles for members."""

    def __init__(self, store: GuildSettingsStore, default_timezone: str = "UTC") -> None:
        self.store = store
        self.default_timezone = default_timezone

    async def get(self, guild_id: int) -> GuildSettings:
        return await self.store.get(guild_id)

    async def resolve_channel(self, guild: discord.Guild, which: Channel) -> discord.TextChannel | None:
        """The configured channel, else the text channel with the default name, else None."""
        settings = await self.store.get(guild.id)
        channel_id = getattr(settings, which.column)
        if channel_id is not None:
            channel = guild.get_channel(channel_id)
            if isinstance(channel, discord.TextChannel):
                return channel
        found = discord.utils.get(guild.text_channels, name=which.default_name)
        return found

    async def resolve_role(self, guild: discord.Guild, which: BotRole) -> discord.Role | None:
        settings = await self.store.get(guild.id)
        role_id = getattr(settings, which.column)
        if role_id is not None:
            role = guild.get_role(role_id)
            if role is not None:
                return role
        return discord.utils.get(guild.roles, name=which.default_name)

    async def timezone(self, guild_id: int) -> str:
        settings = await self.store.get(guild_id)
        return settings.timezone or self.default_timezone

    async def roles_of(self, member: discord.Member) -> frozenset[Role]:
        """The bot roles this member holds in their server."""
        moderator = await self.resolve_role(member.guild, BotRole.MODERATOR)
        host = await self.resolve_role(member.guild, BotRole.HOST)
        perms = member.guild_permissions
        return roles_for(
            manage_guild=perms.manage_guild,
            manage_messages=perms.manage_messages,
            role_ids=[r.id for r in member.roles],
            moderator_role_id=moderator.id if moderator else None,
            host_role_id=host.id if host else None,
        )
