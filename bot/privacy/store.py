"""What the privacy service needs stored: servers the bot left, and bot posts waiting to be removed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.core.lifecycle import PostRef


class PrivacyStore(Protocol):
    async def mark_left(self, guild_id: int, at: datetime) -> None:
        """Record that the bot left `guild_id` (kept if already recorded: the first departure counts)."""
        ...

    async def mark_back(self, guild_id: int) -> bool:
        """The bot is in `guild_id` again: nothing is to be purged. True if a departure was recorded."""
        ...

    async def departed_before(self, moment: datetime) -> list[int]:
        """Servers the bot left before `moment`."""
        ...

    async def forget_departure(self, guild_id: int) -> None: ...

    async def queue_removals(self, posts: Sequence[PostRef]) -> None:
        """Remember bot posts to delete, so a crash before Discord answers does not leave them behind."""
        ...

    async def pending_removals(self, limit: int) -> list[PostRef]: ...

    async def removal_done(self, post: PostRef) -> None: ...

    async def forget_guild_settings(self, guild_id: int) -> int:
        """Remove the server's own settings (channels, roles, time zone); returns rows removed."""
        ...
