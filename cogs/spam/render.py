"""The incident card as an embed, shared by the listener, the buttons and the job handlers (cogs/spam/jobs.py
deletes copies; #mod-log lines are jobs)."""

from __future__ import annotations

import discord

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
