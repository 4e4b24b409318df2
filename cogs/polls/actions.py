"""What only Discord can do for polls: post a poll (native, or anonymous with the bot's buttons), read and end
it, post results, run a claimed week.

The service decides and records; this module does the Discord side and tells the service what happened.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date

import discord

from bot import notify
from bot import render as bot_render
from bot.app import CourseBot
from bot.core.errors import TryAgainLater
from bot.guild_config import Channel
from bot.polls.model import PollRecord, WeekRun
from bot.polls.options import PollSpec
from bot.polls.service import PollService
from cogs.polls import render
from cogs.polls.anonymous import poll_view

log = logging.getLogger("coursebot.polls")

Messageable = discord.TextChannel | discord.Thread


class PollActions:
    """The Discord side of polls for one bot. `on_change` re-arms the timer after a poll is posted."""

    def __init__(self, bot: CourseBot, on_change: Callable[[], Awaitable[None]] | None = None) -> None:
        self.bot = bot
        self.on_change = on_change

    @property
    def service(self) -> PollService:
        return self.bot.services.polls

    async def post_poll(
        self,
        channel: discord.TextChannel,
        spec: PollSpec,
        *,
        content: str,
        created_by: int,
        hidden_results: bool = False,
        anonymous: bool = False,
        caller: discord.Interaction[CourseBot] | None = None,
        schedule_id: int | None = None,
        week: date | None = None,
    ) -> PollRecord | None:
        """Post the poll and record it; None when Discord refused (send_safely told whom it should)."""
        if anonymous:
            return await self._post_anonymous(
                channel, spec, content, created_by, hidden_results, caller, schedule_id=schedule_id, week=week
            )
        sent = await notify.send_safely(
            self.bot, channel, caller=caller, content=content, poll=render.native_poll(spec)
        )
        if sent is None:
            return None
        record = await self.service.record_poll(
            spec,
            guild_id=channel.guild.id,
            channel_id=channel.id,
            message_id=sent.id,
            created_by=created_by,
            expires_at=sent.poll.expires_at if sent.poll is not None else None,
            hidden_results=hidden_results,
            schedule_id=schedule_id,
            week=week,
        )
        if self.on_change is not None:
            await self.on_change()
        return record

    async def _post_anonymous(
        self,
        channel: discord.TextChannel,
        spec: PollSpec,
        content: str,
        created_by: int,
        hidden_results: bool,
        caller: discord.Interaction[CourseBot] | None,
        *,
        schedule_id: int | None,
        week: date | None,
    ) -> PollRecord | None:
        """Recorded first (its buttons carry its number), then posted; forgotten again if the post failed."""
        record = await self.service.record_poll(
            spec,
            guild_id=channel.guild.id,
            channel_id=channel.id,
            message_id=None,
            created_by=created_by,
            hidden_results=hidden_results,
            schedule_id=schedule_id,
            week=week,
            anonymous=True,
        )
        sent = await notify.send_safely(
            self.bot,
            channel,
            caller=caller,
            content=f"{content}\n🕶️ Anonymous: your vote is yours alone.",
            embed=bot_render.embed(self.service.post_card(record)),
            view=poll_view(record),
        )
        if sent is None:
            await self.service.anonymous_discarded(record.id)
            return None
        record = await self.service.anonymous_posted(record.id, sent.id)
        if self.on_change is not None:
            await self.on_change()
        return record

    async def fetch_message(self, record: PollRecord) -> discord.Message | None:
        channel = self.bot.get_channel(record.channel_id)
        if not isinstance(channel, Messageable) or record.message_id is None:
            return None
        try:
            return await channel.fetch_message(record.message_id)
        except (discord.NotFound, discord.Forbidden):  # deleted, or no longer readable: use the votes seen
            return None

    async def counts(self, record: PollRecord, message: discord.Message) -> tuple[dict[int, int], int]:
        """Counts per answer and the number of voters, as Discord has them."""
        assert message.poll is not None
        counts = {answer.id: answer.vote_count for answer in message.poll.answers}
        if not record.multiselect:
            return counts, sum(counts.values())
        voters: set[int] = set()
        for answer in message.poll.answers:
            if answer.vote_count:
                voters.update([user.id async for user in answer.voters(limit=None)])
        return counts, len(voters)

    async def live(self, record: PollRecord) -> PollRecord:
        """An open poll with Discord's counts of right now (the votes seen when its message is gone; an
        anonymous poll's ballots, which the record has already)."""
        if not record.is_open or record.anonymous:
            return record
        message = await self.fetch_message(record)
        if message is None or message.poll is None:
            return record
        counts, voters = await self.counts(record, message)
        return self.service.with_live_counts(record, counts, voters)

    async def close(
        self, record: PollRecord, *, by_time: bool, message: discord.Message | None = None
    ) -> PollRecord | None:
        """Read the final counts from Discord, close the poll and post the results.

        The closed poll (`results_message_id` None if the results could not be posted), or None if it was
        closed already or Discord has not finalised it yet (the service looks again shortly)."""
        if record.anonymous:
            return await self._close_anonymous(record)
        message = message or await self.fetch_message(record)
        if message is not None and message.poll is not None:
            if by_time and await self.service.wait_for_final_counts(record, message.poll.is_finalised()):
                return None
            counts, voters = await self.counts(record, message)
            final = await self.service.finish(record, counts, voters)
        else:  # the poll message is gone: keep what the bot saw
            final = await self.service.finish(record)
        if final is None:
            return None
        return await self.post_results(final, message)

    async def _close_anonymous(self, record: PollRecord) -> PollRecord | None:
        """Totals kept, secret and ballots deleted; the post shows it closed (no buttons), results go under it."""
        final = await self.service.finish(record)
        if final is None:
            return None
        channel = self.bot.get_channel(final.channel_id)
        message = None
        if isinstance(channel, Messageable) and final.message_id is not None:
            message = channel.get_partial_message(final.message_id)
            try:
                await message.edit(embed=bot_render.embed(self.service.post_card(final)), view=None)
            except discord.HTTPException:
                log.warning("anonymous poll #%s: could not mark the post closed", final.id)
        return await self.post_results(final, message)

    async def end(self, record: PollRecord) -> str:
        """A host's End (after they confirmed): close now and post the results; what to tell the host."""
        if record.anonymous:
            return render.poll_ended(record, await self.close(record, by_time=False))
        message = await self.fetch_message(record)
        if message is not None and message.poll is not None and not message.poll.is_finalised():
            try:
                message = await message.end_poll()
            except discord.HTTPException as error:
                log.warning("poll #%s: could not end it on Discord: %s", record.id, error)
                raise TryAgainLater(
                    f"Discord did not let me close poll #{record.id} just now, so it stays open. "
                    "Please try again in a moment."
                ) from None
        return render.poll_ended(record, await self.close(record, by_time=False, message=message))

    async def post_results(
        self, record: PollRecord, message: discord.Message | discord.PartialMessage | None
    ) -> PollRecord:
        """Post the final results in the poll's channel; when that fails, say so in #mod-log."""
        channel = self.bot.get_channel(record.channel_id)
        if not isinstance(channel, Messageable):
            log.warning("poll #%s: channel %s is gone, no results posted", record.id, record.channel_id)
            return record
        embed, file = await render.with_chart(*self.service.results(record))
        sent = await notify.send_safely(
            self.bot,
            channel,
            content=self.service.closed_text(record),
            embed=embed,
            file=file,
            reference=message.to_reference(fail_if_not_exists=False) if message else None,
        )
        if sent is not None:
            return await self.service.results_posted(record, sent.id)
        await notify.mod_log(self.bot, channel.guild, render.results_not_posted(record, channel.mention))
        return record

    async def run_due(self) -> None:
        """Post every week due (late if the bot was down but its poll would still be open), log the weeks
        skipped, then close every poll whose time is up."""
        for run in await self.service.due_weeks():
            try:
                await self._run_week(run)
            except Exception:
                log.exception("weekly poll #%s failed to fire", run.schedule.id)
        for record in await self.service.polls_due():
            try:
                await self.close(record, by_time=True)
            except Exception:
                log.exception("poll #%s failed to close", record.id)

    async def _run_week(self, run: WeekRun) -> None:
        schedule, claim = run.schedule, run.claim
        guild = self.bot.get_guild(schedule.guild_id)
        if guild is None:
            if claim is not None:
                await self.service.week_failed(claim)
            log.warning("weekly poll #%s: server %s is not available", schedule.id, schedule.guild_id)
            return
        for occurrence in run.skipped:
            await notify.mod_log(self.bot, guild, render.week_skipped(schedule, occurrence))
        if claim is None:
            return
        channel = guild.get_channel(schedule.channel_id)
        if not isinstance(channel, discord.TextChannel):
            channel = await self.bot.guild_config.resolve_channel(guild, Channel.POLLS)
        record = None
        if channel is not None:
            record = await self.post_poll(
                channel,
                self.service.week_spec(run),
                content=render.week_heading(claim, run.late),
                created_by=schedule.created_by,
                hidden_results=schedule.hidden_results,
                anonymous=schedule.anonymous,
                schedule_id=schedule.id,
                week=claim.week,
            )
        if record is None:
            await self.service.week_failed(claim)
            where = channel.mention if channel else "its channel (deleted)"
            await notify.mod_log(self.bot, guild, render.week_failed(schedule, claim, where))
        elif run.late:
            await notify.mod_log(self.bot, guild, render.week_late(schedule, claim, record))
