"""Polls: native Discord polls for hosts, votes recorded, results with a chart, weekly schedules with a queue.

`commands` holds the slash commands, `timer` the loop that closes polls and posts weekly ones, `actions`
the Discord side both use, `buttons` the unschedule confirmation and `render` the wording and embeds;
`anonymous` (anonymous polls) adds itself to the same `/poll` group.
"""

from __future__ import annotations

from bot.app import CourseBot
from cogs.polls.actions import PollActions
from cogs.polls.anonymous import setup_anonymous
from cogs.polls.commands import Polls
from cogs.polls.timer import PollTimer


async def setup(bot: CourseBot) -> None:
    actions = PollActions(bot)
    timer = PollTimer(bot, actions)
    await bot.add_cog(timer)
    await bot.add_cog(Polls(bot, actions, timer))
    await setup_anonymous(bot)  # `/poll anonymous` joins the /poll group added just above
