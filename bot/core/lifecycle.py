"""Data lifecycle: every feature that stores member data can forget one member and a whole server.

The privacy feature asks every `DataOwner` in turn (`/privacy forget-me`, `coursebot data forget-user`,
a server the bot left long enough ago) and removes the Discord posts they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class PostRef:
    """A message the bot posted that must go when its data goes."""

    channel_id: int
    message_id: int
    thread_id: int | None = None


@dataclass(frozen=True)
class Forgotten:
    """What one feature erased."""

    feature: str
    rows: int
    posts: tuple[PostRef, ...] = ()


@runtime_checkable
class DataOwner(Protocol):
    """A feature's service, seen by the privacy feature."""

    feature: str

    def stored_data(self) -> str:
        """One plain sentence for /privacy: what this feature keeps about members and for how long."""
        ...

    async def forget_member(self, guild_id: int | None, user_id: int) -> Forgotten:
        """Erase what this feature keeps about one member (in one server, or every server when None)."""
        ...

    async def forget_guild(self, guild_id: int) -> Forgotten:
        """Erase everything this feature keeps about one server."""
        ...


@runtime_checkable
class ExpiringData(Protocol):
    """A feature service that keeps some data only for a retention period; the privacy upkeep calls it."""

    feature: str

    async def purge_expired(self, now: datetime) -> int:
        """Erase what has outlived its retention period at `now`; returns the rows erased."""
        ...
