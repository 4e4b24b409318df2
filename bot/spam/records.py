"""Old name of `bot.spam.model`, kept while `bot.spam.tuning` still imports it from here."""

from __future__ import annotations

from bot.spam.model import SCALAR_SETTINGS, SpamSettings

__all__ = ["SCALAR_SETTINGS", "SpamSettings"]
