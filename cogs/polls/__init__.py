"""Polls: native Discord polls and anonymous ones (the bot's buttons, votes nobody can trace) for hosts, votes
recorded, results with a chart, weekly schedules with a queue.

`commands` holds the slash commands, `timer` the loop that claims weekly runs, `jobs` the job handlers that
post weekly polls, close polls and post results (on the one job queue), `actions` the Discord side they share,
`anonymous` the vote components of an anonymous poll's post, `buttons` the confirmations (End, unschedule) and
`render` the wording and embeds.
"""

from __future__ import annotations

from bot.app import CourseBot
from cogs.polls.actions import PollActions
from cogs.polls.anonymous import COMPONENTS
from cogs.polls.buttons import EndButton
from cogs.polls.commands import Polls
from cogs.polls.jobs import PollJobs
from cogs.polls.timer import PollTimer


async def setup(bot: CourseBot) -> None:
    actions = PollActions(bot)
    timer = PollTimer(bot)
    PollJobs(bot, actions).register()
    await bot.add_cog(timer)
    await bot.add_cog(Polls(bot, actions, timer))
    bot.add_dynamic_items(*COMPONENTS, EndButton)
