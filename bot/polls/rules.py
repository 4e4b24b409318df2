"""Pure decisions of polls: the time of day and time zone of a schedule, the next run in a time zone
(DST-safe), missed weeks, when a poll that ran out is closed, and when the timer wakes next."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.text import quote_inline
from bot.timezones import is_timezone

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LATE_AFTER = timedelta(minutes=5)
"""A run started this long after its time counts as late (the bot was down), and says so."""
MAX_WEEKLY_HOURS = 168
"""A weekly poll must close within a week, so the weeks don't overlap."""
MAX_SLEEP = timedelta(hours=6)
"""The timer wakes at least this often, even with nothing due (a safety net; changes re-arm it)."""
RETRY_AFTER = timedelta(minutes=1)
"""How soon to look again when something due could not be done (or Discord has not finalised a poll)."""
FINALISE_GRACE = timedelta(minutes=10)
"""How long to wait for Discord to finalise the counts of a poll that ran out, before taking them as they are."""
MAX_TIME_INPUT = 16
"""Longer than any way of writing a time of day (`6:30 p.m.`): longer input is refused without echoing it."""
ECHO = 40
"""At most this much of a user's input is echoed in a refusal."""

_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?$", re.IGNORECASE)


class ScheduleInputError(ValueError):
    """A schedule option the user has to fix; the message says how."""


def parse_time_of_day(text: str) -> time:
    """`18:30`, `18.30`, `18h30`, `18`, `6pm`, `6:30 pm` → a naive time of day."""
    if len(text.strip()) > MAX_TIME_INPUT:
        raise ScheduleInputError(
            f"The time is {len(text.strip()):,} characters long; write just the time of day, "
            "for example `18:30` or `6:30pm`."
        )
    match = _TIME.match(text.strip())
    if match:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        ampm = (match["ampm"] or "").lower().replace(".", "")
        if ampm:  # 12am is midnight, 12pm noon; 13pm is nonsense
            hour = hour % 12 + (12 if ampm == "pm" else 0) if 1 <= hour <= 12 else -1
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return time(hour, minute)
    raise ScheduleInputError(
        f"I could not read the time “{quote_inline(text, ECHO)}”. "
        "Use 24-hour `HH:MM` (for example `18:30`) or `6:30pm`."
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


def timezone_problem(name: str) -> str | None:
    """Why `name` is not a time zone to schedule in, or None. Looked up in the zone list, never opened."""
    if is_timezone(name):
        return None
    return (
        f"I don't know the time zone “{quote_inline(name, ECHO)}”: that is not a time zone name. "
        "Pick one from the list, e.g. Europe/London."
    )


def weekly_duration_problem(hours: int, longest: int) -> str | None:
    """A weekly poll that would still be open when the next week's goes out (within Discord's `longest`)."""
    if MAX_WEEKLY_HOURS < hours <= longest:
        return f"A weekly poll must close within a week ({MAX_WEEKLY_HOURS} hours) so the weeks don't overlap."
    return None


def wait_for_final_counts(planned_end: datetime, finalised: bool, now: datetime) -> bool:
    """A poll that ran out by time: wait (and look again soon) while Discord has not finalised its counts,
    but no longer than FINALISE_GRACE after its planned end; then take the counts as they are."""
    return not finalised and now < planned_end + FINALISE_GRACE


def next_wake(due: datetime | None, now: datetime) -> datetime:
    """When the timer should wake next: at `due` (the earliest thing to do), at most MAX_SLEEP away, and
    never in the past (something due that failed this pass is tried again in RETRY_AFTER, not in a busy loop)."""
    target = min(due or now + MAX_SLEEP, now + MAX_SLEEP)
    return now + RETRY_AFTER if target <= now else target


def nth_run(slot: WeeklySlot, first: datetime, n: int) -> datetime:
    """The `n`-th run (1 = `first`) of a schedule whose next run is `first`."""
    due = first
    for _ in range(n - 1):
        _, due = next_run(slot, due)
    return due
