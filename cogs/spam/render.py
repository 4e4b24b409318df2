"""The spam filter's Discord effects shared by the listener and the buttons: the incident card as an embed,
deleting an incident's copies, #mod-log lines."""

from __future__ import annotations

import discord

from bot import notify
from bot.app import CourseBot
from bot.render import embed
from bot.spam.cards import Resolver
from bot.spam.model import Incident


def resolver(guild: discord.Guild) -> Resolver:
    """Names for the mentions quoted in an incident (shown as plain text, never pinging)."""

    def resolve(kind: str, ident: int) -> str | None:
        if kind == "#":
            channel = guild.get_channel(ident)
            return channel.name if channel else None
        if kind == "@&":
            role = guild.get_role(ident)
            return role.name if role else None
        member = guild.get_member(ident)
        return member.display_name if member else None

    return resolve


async def incident_embed(bot: CourseBot, guild: discord.Guild, incident: Incident) -> discord.Embed:
    return embed(await bot.services.spam.incident_card(incident, resolver(guild)))


async def delete_copies(guild: discord.Guild, incident: Incident) -> tuple[list[int], list[str]]:
    """Delete every copy still up; returns the ids gone (also those already deleted) and the problems."""
    gone: list[int] = []
    problems: list[str] = []
    for copy in incident.live_copies:
        channel = guild.get_channel_or_thread(copy.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            gone.append(copy.message_id)
            continue
        try:
            await channel.get_partial_message(copy.message_id).delete()
        except discord.NotFound:
            gone.append(copy.message_id)
        except discord.Forbidden:
            problems.append(f"I can't delete messages in <#{copy.channel_id}>: my role needs Manage Messages there.")
        except discord.HTTPException as error:
            problems.append(f"Discord refused to delete a message in <#{copy.channel_id}> ({error.status}).")
        else:
            gone.append(copy.message_id)
    return gone, problems


async def log_lines(bot: CourseBot, guild: discord.Guild, *lines: str | None) -> None:
    for line in lines:
        if line:
            await notify.mod_log(bot, guild, line)
