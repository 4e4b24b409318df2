"""coursebot: the core of the course server bot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import CourseBot
    from bot.config import Settings

__all__ = ["create_bot"]


def create_bot(settings: Settings | None = None) -> CourseBot:
    """A ready CourseBot (see bot.app.create_bot)."""
    from bot.app import create_bot as _create_bot

    return _create_bot(settings)


def __getattr__(name: str) -> Any:
    if name == "CourseBot":
        from bot.app import CourseBot

        return CourseBot
    raise AttributeError(name)
