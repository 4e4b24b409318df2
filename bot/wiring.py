"""Builds every feature's service once, at start, and hands each the ports it needs from the others.

Cogs and buttons reach services through `bot.services` (typed), never through `get_cog` by name.
Each feature adds its field to `Services` and its line to `build_services()`; nothing else here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from bot.config import Settings
from bot.core.clock import Clock
from bot.core.lifecycle import DataOwner
from bot.privacy.service import PrivacyService
from bot.spam.service import SpamService
from bot.storage.database import Database
from bot.storage.guilds import GuildSettingsStore
from bot.storage.privacy import SqlitePrivacyStore
from bot.storage.spam import SpamStore


@dataclass
class Services:
    """The use cases of every feature, built once per database."""

    spam: SpamService
    # Built after the features (below), from them: not constructor arguments.
    guild_settings: GuildSettingsStore = field(init=False)
    privacy: PrivacyService = field(init=False)

    def data_owners(self) -> list[DataOwner]:
        """Every feature service that keeps member data, for the privacy feature."""
        found = [getattr(self, f.name) for f in fields(self) if f.init]
        return [service for service in found if isinstance(service, DataOwner)]


def build_services(db: Database, clock: Clock, settings: Settings) -> Services:
    """Every service on one database and clock."""
    services = Services(
        spam=SpamService(SpamStore(db), clock, retention_days=settings.spam_copy_retention_days),
    )
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
