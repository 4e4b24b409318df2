"""Fixtures: a CourseBot on a fresh database, a factory for "restarted" bots, and the course server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from discord import app_commands
from simcord.env import Env

from bot.app import CourseBot, create_bot
from bot.config import Settings
from bot.demo.world import CourseWorld, seed_course_server
from bot.errors import NotAllowed, UserError

USER_CAUSED = (UserError, NotAllowed, app_commands.CommandOnCooldown, app_commands.NoPrivateMessage)


def is_user_caused(error: BaseException) -> bool:
    """Errors the bot answers with a message to the user: replies, not bugs."""
    while isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, app_commands.TransformerError) and isinstance(error.__cause__, UserError):
        return True
    return isinstance(error, USER_CAUSED)


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
async def simcord_env(simcord_bot: CourseBot, request: pytest.FixtureRequest) -> AsyncIterator[Env]:
    """SimCord's fixture, except that user-caused errors (a refusal, a bad input) do not fail the test.

    Every other error the bot swallowed still fails it at teardown, as in SimCord's own fixture.
    """
    marker = request.node.get_closest_marker("simcord")
    env = Env(simcord_bot, **(marker.kwargs if marker else {}))
    await env.start()
    try:
        yield env
    finally:
        await env.shutdown()
        if env.check_errors:
            # as SimCord's plugin does: only errors the test has not read through `env.errors`
            pending = env.errors_since(env._errors_acknowledged)
            unexpected = [error for error in pending if not is_user_caused(error)]
            if unexpected:
                raise ExceptionGroup(f"bot raised {len(unexpected)} error(s) during the test", unexpected)


@pytest_asyncio.fixture
async def course(simcord_env: Env) -> CourseWorld:
    """The seeded course server (see bot.demo.world)."""
    return seed_course_server(simcord_env)
