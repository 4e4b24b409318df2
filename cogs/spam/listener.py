"""Scanning posts and edits: a discord.Message becomes `MessageFacts`, the service decides, this does the
Discord effects (post the incident, delete the copies, tell the author)."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord.ext import commands

from bot.app import CourseBot
from bot.guild_config import Channel
from bot.spam import ages
from bot.spam.cards import author_notice
from bot.spam.model import MessageFacts, Report
from bot.spam.service import TextLookup
from cogs.spam.buttons import IncidentButton, publish
from cogs.spam.render import delete_copies, log_lines

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
        self._repost_task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(IncidentButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(IncidentButton)

    async def restore_state(self) -> None:
        """After a (re)start: read settings afresh, and post incidents that never reached #mod-queue."""
        self.bot.services.spam.restart()
        self._repost_task = asyncio.create_task(self._post_missing_incidents())

    async def _post_missing_incidents(self) -> None:
        await self.bot.wait_until_ready()  # guilds are known only once the bot is ready
        for incident in await self.bot.services.spam.unposted_incidents():
            guild = self.bot.get_guild(incident.guild_id)
            if guild is not None:
                await publish(self.bot, guild, incident)

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
        if report.delete:
            gone, problems = await delete_copies(guild, incident)
            spam = self.bot.services.spam
            await log_lines(self.bot, guild, *(spam.log_line(incident, p.rstrip(".")) for p in problems))
            done = await spam.auto_deleted(incident, gone)
            incident = done.incident
            await log_lines(self.bot, guild, done.log)
            if done.tell_author:
                await self._tell_author(guild, member, message, report)
        await publish(self.bot, guild, incident)
        return report

    @staticmethod
    async def _tell_author(
        guild: discord.Guild, member: discord.Member, message: discord.Message, report: Report
    ) -> None:
        """Best effort: members may close their DMs."""
        channel = guild.get_channel(report.incident.copies[-1].channel_id)
        text = author_notice(guild.name, channel.name if channel is not None else None, report.reasons)
        try:
            await member.send(text)
        except discord.HTTPException as error:
            log.info("could not DM %s about spam incident %s: %s", member.id, report.incident.id, error)
