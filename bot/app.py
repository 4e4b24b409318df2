"""The bot: construction, start-up (`setup_hook`) and the app command error handler."""

from __future__ import annotations

import importlib.util
import logging
import pkgutil
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings, load_settings
from bot.core.clock import CallableClock, Clock
from bot.core.text import plural
from bot.errors import answer_refusals, report_interaction_error
from bot.guild_config import GuildConfig
from bot.jobs.service import JobService
from bot.jobs_runner import JobRunner
from bot.storage.database import Database, open_database
from bot.wiring import Services, build_services

log = logging.getLogger("coursebot")

# Found by name, not imported: the cogs sit above the app (they import CourseBot) and are loaded as extensions.
_COGS_SPEC = importlib.util.find_spec("cogs")
assert _COGS_SPEC is not None and _COGS_SPEC.origin is not None, "the cogs package is missing"
COGS_DIR = Path(_COGS_SPEC.origin).parent


def discover_extensions(directory: Path = COGS_DIR) -> list[str]:
    """Every module or package in cogs/, as extension names, core first."""
    names = [f"cogs.{info.name}" for info in pkgutil.iter_modules([str(directory)]) if not info.name.startswith("_")]
    return sorted(names, key=lambda name: (name != "cogs.core", name))


# What the bot does in a server, and so the permissions its invite asks for (see README).
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,  # a discussion thread under each published story
    embed_links=True,
    attach_files=True,  # poll charts, exports
    read_message_history=True,
    send_polls=True,
    manage_messages=True,  # delete spam
    moderate_members=True,  # "Delete + timeout"
    ban_members=True,  # "Ban"
)


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(
        application_id, permissions=REQUIRED_PERMISSIONS, scopes=("bot", "applications.commands")
    )


def build_intents() -> discord.Intents:
    """Default intents plus the two privileged ones the bot needs (see README)."""
    intents = discord.Intents.default()
    intents.message_content = True  # the spam filter reads message text
    intents.members = True  # join dates for the spam filter, members for /help and reviews
    return intents


class CourseTree(app_commands.CommandTree["CourseBot"]):
    """Command tree whose commands answer refusals as replies and whose errors all go through the one reporter."""

    def add_command(self, command: Any, /, **kwargs: Any) -> None:
        super().add_command(command, **kwargs)
        if isinstance(command, app_commands.Command | app_commands.Group):
            answer_refusals(command)

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_interaction_error(interaction, error)


class CourseBot(commands.Bot):
    """The course server bot. Created by `create_bot()`; holds the database and per-server config."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=build_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=CourseTree,
        )
        self.settings = settings
        # discord.utils.utcnow is the time SimCord simulates in tests and the demo; the core only sees a Clock.
        self.clock: Clock = CallableClock(discord.utils.utcnow)
        self._db: Database | None = None
        self._services: Services | None = None
        self._guild_config: GuildConfig | None = None
        self.jobs = JobRunner(self)  # features register their job kinds in their cog's setup
        self.setup_count = 0

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the database is not open yet (setup_hook has not run)")
        return self._db

    @property
    def guild_config(self) -> GuildConfig:
        if self._guild_config is None:
            raise RuntimeError("the bot is not set up yet (setup_hook has not run)")
        return self._guild_config

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the services are not built yet (setup_hook has not run)")
        return self._services

    @property
    def job_service(self) -> JobService:
        return self.services.jobs

    async def open_database(self) -> Database:
        """Open the database and apply migrations, once per process (and again after close())."""
        if self._db is None or self._db.closed:
            self._db = await open_database(self.settings.database_path)
            self._services = build_services(self._db, self.clock, self.settings)
            self._guild_config = GuildConfig(self._services.guild_settings, self.settings.default_timezone)
        return self._db

    async def setup_hook(self) -> None:
        """Open storage, load cogs, restore each cog's state and sync commands. Safe to run again."""
        self.setup_count += 1
        await self.open_database()
        for name in discover_extensions():
            if name not in self.extensions:
                await self.load_extension(name)
        for cog in list(self.cogs.values()):
            restore = getattr(cog, "restore_state", None)
            if restore is not None:
                await restore()
        await self.jobs.start()  # recovers what a dead process left running, then runs what is due
        await self.sync_commands()
        log.info("ready to serve: %d cogs, schema version %d", len(self.cogs), await self.db.schema_version())

    async def sync_commands(self) -> list[Any]:
        if self.settings.dev_guild_id is not None:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            return await self.tree.sync(guild=guild)
        return await self.tree.sync()

    async def on_ready(self) -> None:
        assert self.user is not None
        log.info("logged in as %s (%s) in %s", self.user, self.user.id, plural(len(self.guilds), "server"))
        if self.settings.token:  # a real application: its invite link (the offline demo has none)
            log.info("invite link: %s", invite_url(self.application_id or self.user.id))

    async def close(self) -> None:
        self.jobs.stop()
        await super().close()
        if self._db is not None:
            await self._db.close()


def create_bot(settings: Settings | None = None) -> CourseBot:
    """A ready CourseBot; settings from the environment and `.env` when None."""
    return CourseBot(settings if settings is not None else load_settings())
