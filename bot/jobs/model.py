"""A job: one side effect to carry out (post, delete, DM, ban, ...), kept until it is done or given up on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

JsonDict = dict[str, Any]


class JobState(StrEnum):
    """pending (waiting for its due time) -> running (leased by a runner) -> done, or dead after the last attempt
    (a moderator may send a dead job back to pending with Retry)."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


@dataclass(frozen=True)
class NewJob:
    """A job about to be enqueued. `key` is unique: enqueueing the same key twice keeps the first job, so a
    repeated state change never repeats its effect. `due_at` None means now."""

    kind: str
    key: str
    payload: JsonDict = field(default_factory=dict)
    guild_id: int | None = None
    due_at: datetime | None = None
    max_attempts: int | None = None


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    key: str
    guild_id: int | None
    payload: JsonDict
    state: JobState
    due_at: datetime
    attempts: int  # attempts started so far, the one running included
    max_attempts: int
    last_error: str | None
    result: JsonDict  # what the job did so far (posted message ids ...), kept across attempts
    created_at: datetime
    lease_until: datetime | None = None
    finished_at: datetime | None = None

    @property
    def may_have_run_before(self) -> bool:
        """An earlier attempt started: it may have done part of the work (look before posting again)."""
        return self.attempts > 1


@dataclass(frozen=True)
class Failure:
    """How an attempt failed: `permanent` means retrying cannot help (a missing permission, a deleted
    channel); `retry_after` is the wait the other side asked for (Discord's 429)."""

    reason: str
    permanent: bool = False
    retry_after: float | None = None


MOD_LOG = "mod_log"
"""The shared job kind of a #mod-log line (payload: text); its handler is in cogs/jobs.py."""


def mod_log_job(guild_id: int, key: str, text: str) -> NewJob:
    """A #mod-log line as a job: `key` names the event it reports, so it is written once."""
    return NewJob(kind=MOD_LOG, key=f"{key}:mod_log", payload={"text": text}, guild_id=guild_id)
