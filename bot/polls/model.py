"""Plain records of polls and schedules: what the store returns, and what the service asks it to record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum

from bot.polls.options import AnswerSpec
from bot.polls.rules import Occurrence, WeeklySlot


class Cast(Enum):
    """What storing an anonymous ballot did."""

    NEW = "new"
    CHANGED = "changed"
    CLOSED = "closed"  # the poll closed (or ran out of time) first
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """An answer of a posted poll: Discord's final count once ended, and the votes the bot saw."""

    answer_id: int
    text: str
    emoji: str | None
    final_count: int | None
    seen_count: int

    @property
    def count(self) -> int:
        return self.final_count if self.final_count is not None else self.seen_count

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.text}" if self.emoji else self.text


@dataclass(frozen=True, slots=True)
class PollRecord:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    question: str
    multiselect: bool
    hidden_results: bool
    duration_hours: int
    schedule_id: int | None
    week: date | None
    created_by: int
    created_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    voters: int | None
    counts_source: str | None
    results_message_id: int | None
    answers: tuple[AnswerRecord, ...]
    seen_voters: int = 0
    anonymous: bool = False
    """Voted with the bot's buttons, ballots keyed by a hash (bot.polls.anonymous); else a native poll."""

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def counts_hidden(self) -> bool:
        """An open anonymous poll whose host hid the counts until it closes: no one sees them, hosts included."""
        return self.anonymous and self.hidden_results and self.is_open

    @property
    def voter_count(self) -> int:
        return self.voters if self.voters is not None else self.seen_voters

    def jump_url(self) -> str | None:
        if self.message_id is None:
            return None
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    id: int
    guild_id: int
    channel_id: int
    question: str
    answers: tuple[AnswerSpec, ...]
    weekday: int
    time_of_day: time
    timezone: str
    duration_hours: int
    multiselect: bool
    paused: bool
    next_run_at: datetime
    created_by: int
    created_at: datetime
    removed_at: datetime | None
    queued: int = 0
    anonymous: bool = False
    hidden_results: bool = False

    @property
    def slot(self) -> WeeklySlot:
        return WeeklySlot(self.weekday, self.time_of_day, self.timezone)


@dataclass(frozen=True, slots=True)
class QueueItem:
    id: int
    schedule_id: int
    question: str
    answers: tuple[AnswerSpec, ...]
    added_by: int
    added_at: datetime
    used_week: date | None


@dataclass(frozen=True, slots=True)
class Claim:
    """A week of a schedule claimed for posting: what to ask (a queued question, else the schedule's)."""

    schedule: ScheduleRecord
    week: date
    due: datetime
    question: str
    answers: tuple[AnswerSpec, ...]
    queue_id: int | None


@dataclass(frozen=True, slots=True)
class NewPoll:
    """A poll to record: a native one just posted (its message), an anonymous one about to be (None)."""

    guild_id: int
    channel_id: int
    message_id: int | None
    question: str
    answers: tuple[AnswerSpec, ...]
    multiselect: bool
    hidden_results: bool
    duration_hours: int
    created_by: int
    created_at: datetime
    ends_at: datetime
    schedule_id: int | None = None
    week: date | None = None
    anonymous: bool = False


@dataclass(frozen=True, slots=True)
class NewSchedule:
    guild_id: int
    channel_id: int
    question: str
    answers: tuple[AnswerSpec, ...]
    weekday: int
    time_of_day: time
    timezone: str
    duration_hours: int
    multiselect: bool
    next_run_at: datetime
    created_by: int
    created_at: datetime
    anonymous: bool = False
    hidden_results: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart to attach: its file name and how to draw it (CPU work: adapters run it off the event loop)."""

    name: str
    render: Callable[[], bytes]


@dataclass(frozen=True, slots=True)
class Export:
    """A file for the caller: its name, bytes, and one sentence to send with it."""

    name: str
    data: bytes
    summary: str


@dataclass(frozen=True, slots=True)
class WeekRun:
    """What a due schedule needs done now: weeks to log as skipped and, maybe, a claimed week to post.

    `spec_hours` is how long this week's poll stays open (less than the schedule's when posted late)."""

    schedule: ScheduleRecord
    skipped: tuple[Occurrence, ...]
    claim: Claim | None
    spec_hours: int
    late: bool
