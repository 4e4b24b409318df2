"""Scanning posts and edits: a discord.Message becomes `MessageFacts`, the service decides and enqueues the
Discord effects (post the incident, delete the copies, tell the author: cogs/spam/jobs.py), run here at once."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.app import CourseBot
from bot.guild_config import Channel
from bot.spam import ages, effects
from bot.spam.model import MessageFacts, Report
from bot.spam.service import TextLookup
from cogs.spam.buttons import IncidentButton, update_post
from cogs.spam.jobs import SpamJobs

log = logging.getLogger(__name__)

SCANNED_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def scannable(message: discord.Message) -> discord.Member | None:
    """The author, when this is a member's own post in a server (not a bot, webhook or system message)."""
    author = message.author
    if (
        message.guild is None
        or message.webhook_id is not None
        or author.bot
        or author.system
        or message.type not in SCANNED_TYPES
        or not isinstance(author, discord.Member)
    ):
        return None
    return author


class SpamListener(commands.Cog):
    """Scans every post and edit; flags spam to #mod-queue with one-click actions."""

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(IncidentButton)
        SpamJobs(self.bot).register()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(IncidentButton)

    async def restore_state(self) -> None:
        """After a (re)start: read settings afresh (incident posts that never reached #mod-queue are jobs: the
        queue's runner posts them)."""
        self.bot.services.spam.restart()

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        member = scannable(message)
        if member is not None:
            await self.scan(message, member, edited=False)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        message = payload.message
        if payload.cached_message is not None and payload.cached_message.content == message.content:
            return  # an embed unfurled, a pin: the text is the same
        if "content" not in payload.data or message.edited_at is None:
            return  # not an edit by the author
        member = scannable(message)
        if member is not None:
            await self.scan(message, member, edited=True)

    async def _staff_channel(self, message: discord.Message) -> bool:
        """Posts in #mod-queue and #mod-log are moderators discussing spam, never spam themselves."""
        assert message.guild is not None
        for which in (Channel.MOD_QUEUE, Channel.MOD_LOG):
            channel = await self.bot.guild_config.resolve_channel(message.guild, which)
            if channel is not None and message.channel.id == channel.id:
                return True
        return False

    async def facts(self, message: discord.Message, member: discord.Member, *, edited: bool) -> MessageFacts:
        now = self.bot.clock.now()
        account_age, member_age = ages.member_ages(member, now)
        posted_at = (message.edited_at if edited else message.created_at) or now
        return MessageFacts(
            guild_id=member.guild.id,
            channel_id=message.channel.id,
            message_id=message.id,
            author_id=member.id,
            author_name=member.display_name,
            content=message.content,
            posted_at=posted_at,
            parent_channel_id=getattr(message.channel, "parent_id", None),
            role_ids=frozenset(role.id for role in member.roles),
            account_age_days=account_age,
            member_age_days=member_age,
            mention_count=len(message.raw_mentions) + len(message.raw_role_mentions),
            mentions_everyone=message.mention_everyone,  # the engine also counts @everyone written in the text
            edited=edited,
            staff_channel=await self._staff_channel(message),
        )

    def _text_lookup(self, guild: discord.Guild) -> TextLookup:
        async def text(channel_id: int, message_id: int) -> str | None:
            cached = discord.utils.get(self.bot.cached_messages, id=message_id)
            if cached is not None:
                return cached.content
            channel = guild.get_channel_or_thread(channel_id)
            try:
                if isinstance(channel, discord.abc.Messageable):
                    return (await channel.fetch_message(message_id)).content
            except discord.HTTPException:
                return None
            return None

        return text

    async def scan(self, message: discord.Message, member: discord.Member, *, edited: bool) -> Report | None:
        """Check one post or edit and do what the service says."""
        guild = member.guild
        report = await self.bot.services.spam.scan(
            await self.facts(message, member, edited=edited), self._text_lookup(guild)
        )
        if report is None:
            return None
        incident = report.incident
        if report.delete:  # the filter deletes first, so the post shows it done
            await self.bot.jobs.run_key(effects.auto_delete_key(incident.id, message.id))
        incident = await self.bot.services.spam.incident(guild.id, incident.id)
        await update_post(self.bot, guild, incident)
        return report
