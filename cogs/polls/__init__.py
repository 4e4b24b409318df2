"""Polls: native Discord polls and anonymous ones (the bot's buttons, votes nobody can trace) for hosts, votes
recorded, results with a chart, weekly schedules with a queue.

`commands` holds the slash commands, `timer` the one loop that closes polls and posts weekly ones, `actions`
the Discord side both use, `anonymous` the vote components of an anonymous poll's post, `buttons` the
confirmations (End, unschedule) and `render` the wording and embeds.
"""

from __future__ import annotations

from bot.app import CourseBot
from cogs.polls.actions import PollActions
from cogs.polls.anonymous import COMPONENTS
from cogs.polls.buttons import EndButton
from cogs.polls.commands import Polls
from cogs.polls.timer import PollTimer


async def setup(bot: CourseBot) -> None:
    actions = PollActions(bot)
    timer = PollTimer(bot, actions)
    await bot.add_cog(timer)
    await bot.add_cog(Polls(bot, actions, timer))
    bot.add_dynamic_items(*COMPONENTS, EndButton)
