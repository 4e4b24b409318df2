"""coursebot: the core of the course server bot.

`create_bot` is imported lazily so that the pure parts (e.g. `bot.spam.engine`) load without discord.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import CourseBot
    from bot.config import Settings

__all__ = ["create_bot"]


def create_bot(settings: Settings | None = None) -> CourseBot:
    """A ready CourseBot (see bot.app.create_bot)."""
    from bot.app import create_bot as _create_bot

    return _create_bot(settings)
