"""/privacy: what the bot stores, forgetting a member, purging servers the bot left."""

from __future__ import annotations

from bot.app import CourseBot
from cogs.privacy.commands import Privacy


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(Privacy(bot))
