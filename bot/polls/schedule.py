"""Old name of the weekly-schedule rules, now in bot.polls.rules (kept for modules not yet moved over)."""

from bot.polls.rules import (
    WEEKDAYS,
    CatchUp,
    Occurrence,
    ScheduleInputError,
    WeeklySlot,
    is_late,
    local_instant,
    next_run,
    parse_time_of_day,
    plan_due,
    remaining_hours,
)

__all__ = [
    "WEEKDAYS",
    "CatchUp",
    "Occurrence",
    "ScheduleInputError",
    "WeeklySlot",
    "is_late",
    "local_instant",
    "next_run",
    "parse_time_of_day",
    "plan_due",
    "remaining_hours",
]
