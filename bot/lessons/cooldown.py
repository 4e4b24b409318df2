"""A per-learner, per-channel cooldown for posting lessons publicly, on the service's clock."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime, timedelta

from bot.core.clock import Clock

DEFAULT_COOLDOWN = timedelta(seconds=60)


class Cooldown:
    """Allows one use per key every `period`. `try_use` answers None (go ahead) or when to try again.

    Keys are kept only while they are cooling down, so memory stays small.
    """

    def __init__(self, period: timedelta, clock: Clock) -> None:
        self.period = period
        self._clock = clock
        self._until: dict[Hashable, datetime] = {}

    def retry_at(self, key: Hashable) -> datetime | None:
        """When `key` may be used again, or None if it may be used now."""
        now = self._clock.now()
        self._forget_expired(now)
        until = self._until.get(key)
        return until if until is not None and until > now else None

    def try_use(self, key: Hashable) -> datetime | None:
        """Use `key` if it is not cooling down (returns None); else return when it may be used again."""
        blocked = self.retry_at(key)
        if blocked is None:
            self._until[key] = self._clock.now() + self.period
        return blocked

    def reset(self, key: Hashable) -> None:
        """Give a use back (e.g. the post failed)."""
        self._until.pop(key, None)

    def forget(self, match: Callable[[tuple[object, ...]], bool]) -> int:
        """Drop the (tuple) keys `match` accepts, e.g. one server's or one member's; how many went."""
        gone = [key for key in self._until if isinstance(key, tuple) and match(key)]
        for key in gone:
            del self._until[key]
        return len(gone)

    def _forget_expired(self, now: datetime) -> None:
        if len(self._until) > 256:
            self._until = {key: until for key, until in self._until.items() if until > now}
