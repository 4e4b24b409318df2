"""Posting that survives missing permissions, and the moderation log."""

from __future__ import annotations

import logging
from typing import Any, Protocol

import discord

from bot.guild_config import Channel, GuildConfig

log = logging.getLogger("coursebot.notify")


class CourseBot(Protocol):
    """What posting needs of the bot: its per-server configuration (keeps this module free of bot.app)."""

    @property
    def guild_config(self) -> GuildConfig: ...


def describe_missing_access(channel: discord.abc.GuildChannel, action: str = "post") -> str:
    return (
        f"I can't {action} in {channel.mention}: my role needs View Channel, Send Messages, Embed Links and "
        f"Attach Files there. A server admin can fix this in the channel's permission settings."
    )


async def send_safely(
    bot: CourseBot,
    channel: discord.abc.Messageable,
    *,
    caller: discord.Interaction | None = None,
    **kwargs: Any,
) -> discord.Message | None:
    """Send a message; on a permission error or a Discord outage, report it and return None.

    A missing permission is reported to #mod-log and, when given, to the `caller` (ephemeral).
    """
    try:
        return await channel.send(**kwargs)
    except discord.Forbidden:
        if not isinstance(channel, discord.abc.GuildChannel):
            log.warning("forbidden to send to %r", channel)
            return None
        text = describe_missing_access(channel)
        log.warning("%s (guild %s)", text, channel.guild.id)
        log_channel = await bot.guild_config.resolve_channel(channel.guild, Channel.MOD_LOG)
        if log_channel is not None and log_channel.id != channel.id:
            await mod_log(bot, channel.guild, text)
        if caller is not None:
            await tell(caller, text)
        return None
    except discord.HTTPException as error:
        log.error("could not send to %r: %s", channel, error)
        if caller is not None:
            await tell(caller, "Discord did not accept that post just now; please try again in a moment.")
        return None


async def tell(interaction: discord.Interaction, text: str, **kwargs: Any) -> None:
    """Reply to the caller only (ephemeral), whether or not the interaction was answered already.

    A reply Discord refuses is logged: there is nobody else to tell.
    """
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, **kwargs)
        else:
            await interaction.response.send_message(text, ephemeral=True, **kwargs)
    except discord.HTTPException:
        log.warning("could not tell user %s: %s", interaction.user.id, text, exc_info=True)


async def mod_log(
    bot: CourseBot, guild: discord.Guild, text: str, *, embed: discord.Embed | None = None
) -> discord.Message | None:
    """Write one line (and optionally an embed) to the server's moderation log, if it has one."""
    channel = await bot.guild_config.resolve_channel(guild, Channel.MOD_LOG)
    if channel is None:
        log.info("mod-log (guild %s, no channel): %s", guild.id, text)
        return None
    try:
        if embed is None:
            return await channel.send(text[:2000])
        return await channel.send(text[:2000], embed=embed)
    except discord.HTTPException as error:
        log.warning("could not write to mod-log in guild %s: %s (%s)", guild.id, error, text)
        return None
