"""What only Discord can do for polls: post one (native, or anonymous with the bot's buttons), read and end it,
close it with Discord's counts. Posting a weekly poll and the results is done by the job queue
(cogs/polls/jobs.py), which the store fed in the same transaction as the claim or the close.

The service decides and records; this module does the Discord side and tells the service what happened.
"""

from __future__ import annotations

import logging
from datetime import date

import discord

from bot import notify
from bot import render as bot_render
from bot.app import CourseBot
from bot.core.errors import TryAgainLater
from bot.jobs.model import JobState
from bot.polls import effects
from bot.polls.model import PollRecord
from bot.polls.options import PollSpec
from bot.polls.service import PollService
from cogs.polls import render
from cogs.polls.anonymous import poll_view

log = logging.getLogger("coursebot.polls")

Messageable = discord.TextChannel | discord.Thread


class PollActions:
    """The Discord side of polls for one bot."""

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

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
    ) -> PollRecord | None:
        """Post a host's poll now and record it; None when Discord refused (send_safely told the caller why)."""
        if anonymous:  # recorded first (its buttons carry its number), forgotten again if the post failed
            record = await self.record(channel, spec, created_by, hidden_results)
            text, embed, view = self.anonymous_post(record, content)
            sent = await notify.send_safely(self.bot, channel, caller=caller, content=text, embed=embed, view=view)
            if sent is None:
                await self.service.anonymous_discarded(record.id)
                return None
            return await self.service.anonymous_posted(record.id, sent.id)
        poll = render.native_poll(spec)
        sent = await notify.send_safely(self.bot, channel, caller=caller, content=content, poll=poll)
        if sent is None:
            return None
        return await self.record(channel, spec, created_by, hidden_results, sent=sent)

    async def record(
        self,
        channel: discord.TextChannel,
        spec: PollSpec,
        created_by: int,
        hidden_results: bool,
        schedule_id: int | None = None,
        week: date | None = None,
        *,
        sent: discord.Message | None = None,
    ) -> PollRecord:
        """Record a poll: a native one once `sent` is posted (with Discord's end time), an anonymous one
        (`sent` None) before its post, since its buttons carry its number."""
        return await self.service.record_poll(
            spec,
            guild_id=channel.guild.id,
            channel_id=channel.id,
            message_id=sent.id if sent is not None else None,
            created_by=created_by,
            expires_at=sent.poll.expires_at if sent is not None and sent.poll is not None else None,
            hidden_results=hidden_results,
            schedule_id=schedule_id,
            week=week,
            anonymous=sent is None,
        )

    def anonymous_post(self, record: PollRecord, content: str) -> tuple[str, discord.Embed, discord.ui.View]:
        """What an anonymous poll's post is made of: its content, embed and components."""
        content = f"{content}\n🕶️ Anonymous: your vote is yours alone.".strip()
        return content, bot_render.embed(self.service.post_card(record)), poll_view(record)

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
        """Close the poll with Discord's final counts (an anonymous poll on its ballots); the store enqueues
        its results in the same transaction (a host's End, not `by_time`, posts them itself at once). None if
        it was closed already or Discord has not finalised it yet (the close job looks again shortly)."""
        itself = not by_time
        if record.anonymous:
            return await self.service.finish(record, posts_results_itself=itself)
        message = message or await self.fetch_message(record)
        if message is None or message.poll is None:  # the poll message is gone: keep what the bot saw
            return await self.service.finish(record, posts_results_itself=itself)
        if by_time and await self.service.wait_for_final_counts(record, message.poll.is_finalised()):
            return None
        counts, voters = await self.counts(record, message)
        return await self.service.finish(record, counts, voters, posts_results_itself=itself)

    async def end(self, record: PollRecord) -> str:
        """A host's End (after they confirmed): close now, post the results at once; what to tell the host."""
        message = None
        if not record.anonymous:
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
        if await self.close(record, by_time=False, message=message) is None:
            return render.poll_ended(record, None)
        job = await self.bot.jobs.run_key(effects.results_key(record.id))  # the queue retries it if it fails
        closed = await self.service.store.get_poll(record.id)
        return render.poll_ended(record, closed, given_up=job is not None and job.state is JobState.DEAD)
