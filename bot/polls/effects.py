"""What poll transitions do on Discord, as jobs (bot.jobs) the store enqueues in the transition's own
transaction: post a claimed weekly poll (with the claim), close a poll at its end time (with the poll),
post its results (with the close). Keys name each effect once, so a repeated transition never repeats it and
a retry after a crash looks for what an earlier attempt did. Pure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.jobs.model import NewJob

WEEK = "poll.week"
CLOSE = "poll.close"
RESULTS = "poll.results"
KINDS = (WEEK, CLOSE, RESULTS)


def week_key(schedule_id: int, week: date) -> str:
    return f"poll:schedule:{schedule_id}:week:{week.isoformat()}"


def close_key(poll_id: int) -> str:
    return f"poll:{poll_id}:close"


def results_key(poll_id: int) -> str:
    return f"poll:{poll_id}:results"


def on_claimed(guild_id: int, schedule_id: int, week: date) -> NewJob:
    """A week was claimed: post its poll."""
    payload = {"schedule_id": schedule_id, "week": week.isoformat()}
    return NewJob(WEEK, week_key(schedule_id, week), payload, guild_id)


def on_posted(guild_id: int, poll_id: int, ends_at: datetime) -> NewJob:
    """A poll is up: close it when its time is up."""
    return NewJob(CLOSE, close_key(poll_id), {"poll_id": poll_id}, guild_id, due_at=ends_at)


HANDOFF = timedelta(minutes=1)
"""When a host's End runs the results job itself, the runner leaves it this long first (it runs it only if the
End flow did not: a crash in between)."""


def on_closed(guild_id: int, poll_id: int, due_at: datetime | None = None) -> NewJob:
    """A poll closed: post its results (at `due_at`, default now)."""
    return NewJob(RESULTS, results_key(poll_id), {"poll_id": poll_id}, guild_id, due_at=due_at)


def describe(kind: str, payload: dict[str, object]) -> str:
    """Completes "I gave up trying to …" in #mod-log."""
    if kind == WEEK:
        week = date.fromisoformat(str(payload.get("week")))
        return f"post weekly poll #{payload.get('schedule_id')} for {week:%A %d %B}"
    if kind == CLOSE:
        return f"close poll #{payload.get('poll_id')}"
    return f"post the results of poll #{payload.get('poll_id')}"
