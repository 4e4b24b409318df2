"""Builds every feature's service once, at start, and hands each the ports it needs from the others.

Cogs and buttons reach services through `bot.services` (typed), never through `get_cog` by name.
Each feature adds its field to `Services` and its line to `build_services()`; nothing else here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.core.clock import Clock
from bot.storage.database import Database


@dataclass
class Services:
    """The use cases of every feature, built once per database."""


def build_services(db: Database, clock: Clock, settings: Settings) -> Services:
    """Every service on one database and clock."""
    return Services()
