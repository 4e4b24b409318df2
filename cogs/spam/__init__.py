"""The spam filter in the server: scanning posts and edits, the #mod-queue incident buttons, `/spam ...`."""

from __future__ import annotations

from bot.app import CourseBot
from cogs.spam.commands import SpamCommands
from cogs.spam.listener import SpamListener


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(SpamListener(bot))
    await bot.add_cog(SpamCommands(bot))
