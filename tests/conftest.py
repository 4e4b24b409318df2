"""Fixtures: a CourseBot on a fresh database, a factory for "restarted" bots, and the course server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import CourseBot, create_bot
from bot.config import Settings
from bot.demo.world import CourseWorld, seed_course_server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(token=None, database_path=tmp_path / "coursebot.db")


@pytest_asyncio.fixture
async def bot_factory(settings: Settings) -> AsyncIterator[Callable[[], CourseBot]]:
    """Makes bots on the same database (a process restart); closes every database at teardown."""
    made: list[CourseBot] = []

    def make() -> CourseBot:
        bot = create_bot(settings)
        made.append(bot)
        return bot

    yield make
    for bot in made:
        if bot._db is not None:
            await bot._db.close()


@pytest.fixture
def simcord_bot(bot_factory: Callable[[], CourseBot]) -> CourseBot:
    return bot_factory()


@pytest_asyncio.fixture
async def course(simcord_env) -> CourseWorld:  # type: ignore[no-untyped-def]
    """The seeded course server (see bot.demo.world)."""
    return seed_course_server(simcord_env)
