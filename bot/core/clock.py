"""Time the core owns: services ask a Clock, so tests (and SimCord's simulated time) drive it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Gives the current time, aware and in UTC."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class CallableClock:
    """A clock read from a function returning a (possibly naive UTC) datetime, e.g. discord.utils.utcnow,
    which SimCord replaces with its simulated time in tests and the demo."""

    def __init__(self, read: Callable[[], datetime]) -> None:
        self._read = read

    def now(self) -> datetime:
        moment = self._read()
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ManualClock:
    """A clock that moves only when told: for unit tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        self._now += timedelta(seconds=seconds, **delta)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment
