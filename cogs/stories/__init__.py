"""Learner stories on Discord: the cog (commands.py), the components (buttons.py), the posting (render.py,
flows.py). The use cases live in bot.stories.service, reached as `bot.services.stories`."""

from __future__ import annotations

from bot.app import CourseBot
from cogs.stories.buttons import PERSISTENT_BUTTONS, review_view
from cogs.stories.commands import Stories
from cogs.stories.jobs import StoryJobs


async def setup(bot: CourseBot) -> None:
    bot.add_dynamic_items(*PERSISTENT_BUTTONS)
    StoryJobs(bot, review_view).register()  # the review post, publishing, DMs, take-downs (bot.stories.effects)
    await bot.add_cog(Stories(bot))


async def teardown(bot: CourseBot) -> None:
    bot.remove_dynamic_items(*PERSISTENT_BUTTONS)
