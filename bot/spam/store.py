"""What the spam service needs from storage (bot/storage/spam.py implements it with SQLite)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.jobs.model import NewJob
from bot.spam.model import (
    Copy,
    DecisionAction,
    DomainLists,
    Incident,
    IncidentStatus,
    ListName,
    NewIncident,
    SpamSettings,
    SpamStats,
)

Effects = Callable[[int], Sequence[NewJob]] | None
"""The jobs (bot.spam.effects) storing an incident causes, given its id; enqueued in the same transaction."""


class SpamStorage(Protocol):
    async def settings(self, guild_id: int) -> SpamSettings: ...

    async def update_settings(self, guild_id: int, by: int | None, now: datetime, **changes: Any) -> SpamSettings: ...

    async def reset_settings(self, guild_id: int, by: int | None, now: datetime) -> SpamSettings: ...

    async def domain_lists(self, guild_id: int) -> DomainLists: ...

    async def set_domain(
        self, guild_id: int, domain: str, which: ListName, by: int | None, now: datetime
    ) -> ListName | None: ...

    async def remove_domain(self, guild_id: int, domain: str) -> ListName | None: ...

    async def create_incident(self, new: NewIncident, effects: Effects = None) -> Incident: ...

    async def add_copy(
        self,
        incident_id: int,
        copy: Copy,
        *,
        score: float,
        reasons: Iterable[str],
        reason_codes: Iterable[str],
        domains: Iterable[str],
        effects: Effects = None,
    ) -> Incident: ...

    async def set_queue_post(self, incident_id: int, channel_id: int, message_id: int) -> None: ...

    async def get(self, incident_id: int) -> Incident | None: ...

    async def open_flood_incident(
        self, guild_id: int, author_id: int, flood_key: str, since: datetime
    ) -> Incident | None: ...

    async def incident_for_message(self, guild_id: int, message_id: int) -> Incident | None: ...

    async def listed_messages(self, guild_id: int, message_ids: Iterable[int]) -> set[int]: ...

    async def mark_deleted(
        self, incident_id: int, message_ids: Iterable[int], by: int | None, now: datetime
    ) -> None: ...

    async def decide(
        self,
        incident_id: int,
        moderator_id: int | None,
        action: DecisionAction,
        now: datetime,
        detail: str = "",
        *,
        expected: frozenset[IncidentStatus] | None = None,
        jobs: Sequence[NewJob] = (),
    ) -> Incident | None: ...

    async def stats(self, guild_id: int, since: datetime, days: int) -> SpamStats: ...

    async def forget_member(self, guild_id: int | None, user_id: int) -> tuple[int, list[tuple[int, int]]]: ...

    async def forget_guild(self, guild_id: int) -> int: ...

    async def purge_copies_before(self, cutoff: datetime) -> int: ...
