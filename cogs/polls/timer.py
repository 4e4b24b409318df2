"""The poll timer: wakes when a weekly schedule is due and claims its week (the store enqueues the job that
posts it in the same transaction; bot/jobs_runner.py runs it, cogs/polls/jobs.py), and notes the weeks missed
while the bot was down. Closing polls and posting results are jobs with a due time, not the timer's. And the
vote events of native polls."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import discord
from discord.ext import commands, tasks

from bot import notify
from bot.app import CourseBot
from cogs.polls import render

log = logging.getLogger("coursebot.polls")


class PollTimer(commands.Cog):
    """Claims the weeks due; records the votes Discord reports."""

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    async def restore_state(self) -> None:
        """Jobs for polls and weeks that lack one (from before the queue), then the loop; its first pass catches
        up on the weeks missed while down."""
        added = await self.bot.services.polls.recover_jobs()
        if added:
            log.info("polls: %d job(s) enqueued for polls and weeks that had none", added)
        if not self.due_loop.is_running():
            self.due_loop.start()

    async def cog_unload(self) -> None:
        self.due_loop.cancel()

    @tasks.loop(hours=6)
    async def due_loop(self) -> None:
        # Each pass runs as its own short task and the loop only sleeps: the loop never holds a database
        # call across its sleep, and a test clock (SimCord) sees the pass finish and moves on at once.
        try:
            self._sleep_until(await asyncio.create_task(self._due_pass()))
        except Exception:
            log.exception("the poll pass failed; trying again in a minute")
            self._sleep_until(self.bot.services.polls.retry_wake())

    @due_loop.before_loop
    async def _before_loop(self) -> None:
        await self.bot.wait_until_ready()

    async def _due_pass(self) -> datetime:
        service = self.bot.services.polls
        for run in await service.due_weeks():
            guild = self.bot.get_guild(run.schedule.guild_id)
            if guild is None:
                continue
            for occurrence in run.skipped:
                await notify.mod_log(self.bot, guild, render.week_skipped(run.schedule, occurrence))
        return await service.next_wake()

    async def rearm(self) -> None:
        """Re-plan the sleep after a change (a schedule added, paused or resumed)."""
        self._sleep_until(await self.bot.services.polls.next_wake())

    def _sleep_until(self, target: datetime) -> None:
        """Make the loop's next iteration fall at `target` (the service chose it), re-planning a sleep under way.

        A relative tasks.Loop wakes at (last iteration + interval): recover the last iteration from its plan."""
        loop = self.due_loop
        planned = loop.next_iteration
        if not loop.is_running() or planned is None:
            return
        current = timedelta(hours=loop.hours or 0, minutes=loop.minutes or 0, seconds=loop.seconds or 0)
        loop.change_interval(seconds=max((target - (planned - current)).total_seconds(), 0.0))

    @commands.Cog.listener()
    async def on_raw_poll_vote_add(self, payload: discord.RawPollVoteActionEvent) -> None:
        await self.bot.services.polls.vote_added(payload.message_id, payload.user_id, payload.answer_id)

    @commands.Cog.listener()
    async def on_raw_poll_vote_remove(self, payload: discord.RawPollVoteActionEvent) -> None:
        await self.bot.services.polls.vote_removed(payload.message_id, payload.user_id, payload.answer_id)
