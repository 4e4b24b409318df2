"""The one poll timer (native and anonymous polls, weekly runs): wake, ask the service what is due, do it, ask
when to wake next. And the vote events of native polls."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import discord
from discord.ext import commands, tasks

from bot.app import CourseBot
from cogs.polls.actions import PollActions

log = logging.getLogger("coursebot.polls")


class PollTimer(commands.Cog):
    """Closes polls whose time is up and posts weekly polls; records the votes Discord reports."""

    def __init__(self, bot: CourseBot, actions: PollActions) -> None:
        self.bot = bot
        self.actions = actions
        actions.on_change = self.rearm

    async def restore_state(self) -> None:
        """Start the loop; its first pass catches up on polls that ended and weeks missed while down."""
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
        await self.actions.run_due()
        return await self.bot.services.polls.next_wake()

    async def rearm(self) -> None:
        """Re-plan the sleep after a change (a poll posted, a schedule added, paused or resumed)."""
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
