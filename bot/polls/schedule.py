"""Weekly schedules: parsing the time of day, the next run in a time zone (DST-safe), missed-week planning."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LATE_AFTER = timedelta(minutes=5)
"""A run started this long after its time counts as late (the bot was down), and says so."""

_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?$", re.IGNORECASE)


class ScheduleInputError(ValueError):
    """A schedule option the user has to fix; the message says how."""


def parse_time_of_day(text: str) -> time:
    """`18:30`, `18.30`, `18h30`, `18`, `6pm`, `6:30 pm` → a naive time of day."""
    match = _TIME.match(text.strip())
    if match:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        ampm = (match["ampm"] or "").lower().replace(".", "")
        if ampm:  # 12am is midnight, 12pm noon; 13pm is nonsense
            hour = hour % 12 + (12 if ampm == "pm" else 0) if 1 <= hour <= 12 else -1
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return time(hour, minute)
    raise ScheduleInputError(
        f"I could not read the time “{text}”. Use 24-hour `HH:MM` (for example `18:30`) or `6:30pm`."
    )


@dataclass(frozen=True, slots=True)
class WeeklySlot:
    """Every `weekday` (0 = Monday) at `at`, local time in `timezone` (an IANA name)."""

    weekday: int
    at: time
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        return f"{WEEKDAYS[self.weekday]}s at {self.at:%H:%M} ({self.timezone})"


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall time `at` on `day` in `zone`.

    A wall time skipped by a DST gap (e.g. 02:30 on spring-forward day) is moved forward by the gap
    (03:30 local); a wall time that happens twice (fall-back overlap) takes the first occurrence.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def occurrence_on(slot: WeeklySlot, day: date) -> datetime:
    return local_instant(day, slot.at, slot.zone)


def next_run(slot: WeeklySlot, after: datetime) -> tuple[date, datetime]:
    """The first occurrence strictly after `after` (aware): its local date and its UTC instant."""
    zone = slot.zone
    local_day = after.astimezone(zone).date()
    day = local_day + timedelta(days=(slot.weekday - local_day.weekday()) % 7)
    # A week back covers offsets where the local date lags the instant; forward until strictly after.
    day -= timedelta(days=7)
    while True:
        instant = local_instant(day, slot.at, zone)
        if instant > after:
            return day, instant
        day += timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One week of a schedule: the local date (the week's key) and when it was due (UTC)."""

    day: date
    due: datetime


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What to do about the occurrences due by now: post one (maybe late), skip the rest."""

    post: Occurrence | None
    skipped: tuple[Occurrence, ...] = field(default_factory=tuple)
    next_day: date | None = None
    next_due: datetime | None = None


def plan_due(slot: WeeklySlot, first_due: datetime, now: datetime, duration_hours: int) -> CatchUp:
    """Plan every occurrence from `first_due` up to `now`.

    The most recent one is posted if its poll would still be open (`due + duration > now`); every other
    occurrence is skipped. Returns the next occurrence after `now` too.
    """
    due: list[Occurrence] = []
    instant = first_due
    day = instant.astimezone(slot.zone).date()
    while instant <= now:
        due.append(Occurrence(day, instant))
        day, instant = next_run(slot, instant)
    post: Occurrence | None = None
    skipped = list(due)
    if due and due[-1].due + timedelta(hours=duration_hours) > now:
        post = skipped.pop()
    return CatchUp(post, tuple(skipped), day, instant)


def remaining_hours(due: datetime, duration_hours: int, now: datetime) -> int:
    """Whole hours (at least 1) for a late poll so that it closes near its planned end."""
    left = (due + timedelta(hours=duration_hours) - now).total_seconds() / 3600
    return max(1, min(duration_hours, math.ceil(left - 1e-9)))


def is_late(due: datetime, now: datetime) -> bool:
    return now - due > LATE_AFTER
