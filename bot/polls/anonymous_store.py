"""What the anonymous-poll service needs from storage (bot/storage/anonymous_polls.py implements it), and
the rows it returns. No member id ever crosses this interface: voters are keys (see bot.polls.anonymous)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from bot.core.lifecycle import PostRef


@dataclass(frozen=True, slots=True)
class AnonymousAnswer:
    """One answer; `count` is the final total once closed, else the ballots so far."""

    position: int
    text: str
    emoji: str | None
    count: int

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.text}" if self.emoji else self.text


@dataclass(frozen=True, slots=True)
class AnonymousPoll:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    question: str
    multiselect: bool
    hidden_results: bool
    created_by: int
    created_at: datetime
    ends_at: datetime
    closed_at: datetime | None
    voters: int  # final once closed, else ballots so far
    answers: tuple[AnonymousAnswer, ...]
    results_message_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class NewAnonymousPoll:
    guild_id: int
    channel_id: int
    question: str
    answers: tuple[tuple[str, str | None], ...]  # (text, emoji) in order
    multiselect: bool
    hidden_results: bool
    created_by: int
    created_at: datetime
    ends_at: datetime


class Cast(Enum):
    """What storing a ballot did."""

    NEW = "new"
    CHANGED = "changed"
    CLOSED = "closed"  # the poll closed (or ran out of time) first
    MISSING = "missing"


class AnonymousPollStore(Protocol):
    async def add_poll(self, poll: NewAnonymousPoll, secret: bytes) -> int: ...

    async def set_message(self, poll_id: int, message_id: int) -> None: ...

    async def discard(self, poll_id: int) -> None:
        """Remove a poll whose post never went up."""
        ...

    async def get_poll(self, poll_id: int) -> AnonymousPoll | None: ...

    async def secret(self, poll_id: int) -> bytes | None:
        """The poll's key while it is open; None once closed (or unknown)."""
        ...

    async def cast(self, poll_id: int, voter_key: str, positions: tuple[int, ...], now: datetime) -> Cast:
        """Store or replace one ballot, only while the poll is open and before its end time."""
        ...

    async def ballot(self, poll_id: int, voter_key: str) -> tuple[int, ...] | None: ...

    async def close(self, poll_id: int, now: datetime) -> bool:
        """Close an open poll: totals kept, secret and ballots deleted, in one transaction. False if it was
        already closed (another close won)."""
        ...

    async def due(self, now: datetime) -> list[int]: ...

    async def next_due(self) -> datetime | None: ...

    async def set_results_message(self, poll_id: int, message_id: int) -> None: ...

    async def closed_polls(self, guild_id: int) -> list[AnonymousPoll]: ...

    async def forget_guild(self, guild_id: int) -> tuple[int, tuple[PostRef, ...]]:
        """Delete every anonymous poll of a server; returns rows deleted and the bot's posts of them."""
        ...
