"""Lessons in Discord: slash commands (commands.py), persistent buttons and the lesson form (buttons.py),
and rendering (render.py). The use cases live in bot.lessons.service."""

from __future__ import annotations

from bot.app import CourseBot

from .commands import LessonsCog


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(LessonsCog(bot))
