"""A member's account and membership ages in days, as the engine reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class HasAges(Protocol):
    """What a Discord member tells about its age."""

    @property
    def created_at(self) -> datetime: ...

    @property
    def joined_at(self) -> datetime | None: ...


def age_days(since: datetime | None, now: datetime) -> float | None:
    """Days from `since` to `now` (never negative); None when `since` is unknown."""
    return None if since is None else max(0.0, (now - since).total_seconds() / 86_400)


def member_ages(member: HasAges, now: datetime) -> tuple[float | None, float | None]:
    """The account age and the membership age in days (None when Discord did not say when they joined).

    The cog looks this up through the module, so tests can stand in their own ages here.
    """
    return age_days(member.created_at, now), age_days(member.joined_at, now)
