"""Builds every feature's service once, at start, and hands each the ports it needs from the others.

Cogs and buttons reach services through `bot.services` (typed), never through `get_cog` by name.
Each feature adds its field to `Services` and its line to `build_services()`; nothing else here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from bot.config import Settings
from bot.core.clock import Clock
from bot.core.lifecycle import DataOwner
from bot.jobs.service import JobService
from bot.lessons.service import LessonService
from bot.polls.service import PollService
from bot.privacy.service import PrivacyService
from bot.spam import lists as spam_lists
from bot.spam.service import SpamService
from bot.storage.database import Database
from bot.storage.guilds import GuildSettingsStore
from bot.storage.jobs import JobStore
from bot.storage.lessons import LessonStore
from bot.storage.polls import PollStore
from bot.storage.privacy import SqlitePrivacyStore
from bot.storage.spam import SpamStore
from bot.storage.stories import StoryStore
from bot.stories.service import StoryService


@dataclass
class Services:
    """The use cases of every feature, built once per database."""

    lessons: LessonService
    polls: PollService
    stories: StoryService
    spam: SpamService
    # Built after the features (below), from them: not constructor arguments.
    guild_settings: GuildSettingsStore = field(init=False)
    jobs: JobService = field(init=False)  # the durable queue of Discord side effects (bot/jobs)
    privacy: PrivacyService = field(init=False)

    def data_owners(self) -> list[DataOwner]:
        """Every feature service that keeps member data, for the privacy feature."""
        found = [getattr(self, f.name) for f in fields(self) if f.init] + [self.jobs]
        return [service for service in found if isinstance(service, DataOwner)]


def build_services(db: Database, clock: Clock, settings: Settings) -> Services:
    """Every service on one database and clock."""
    job_store = JobStore(db, clock)  # features enqueue their side effects inside their own transactions
    spam_lists.set_data_dir(settings.data_dir)  # refreshed phishing lists live there, not in the install
    lessons = LessonService(LessonStore(db, clock), clock, lessons_dir=settings.lessons_dir)
    spam = SpamService(SpamStore(db, job_store), clock, retention_days=settings.spam_copy_retention_days)
    services = Services(
        lessons=lessons,
        polls=PollService(PollStore(db, job_store), clock),
        # Stories screen their text with the spam filter and name lessons through the lessons feature.
        stories=StoryService(StoryStore(db, job_store), clock, screener=spam, catalog=lessons),
        spam=spam,
    )
    services.jobs = JobService(job_store, clock)
    _add_shared(services, db, clock, settings)
    return services


def _add_shared(services: Services, db: Database, clock: Clock, settings: Settings) -> None:
    services.guild_settings = GuildSettingsStore(db)
    services.privacy = PrivacyService(
        SqlitePrivacyStore(db, services.guild_settings),
        services.data_owners(),
        clock,
        grace_days=settings.departed_guild_grace_days,
        copy_retention_days=settings.spam_copy_retention_days,
    )
