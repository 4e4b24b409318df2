"""What the spam filter keeps per server (settings, domain lists, incidents, copies, decisions, stats) and the
plain facts of a message the adapter hands the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from bot.core.cards import Card


class ListName(Enum):
    """A server's own domain lists."""

    ALLOW = "allow"
    BLOCK = "block"

    @property
    def label(self) -> str:
        return "trusted" if self is ListName.ALLOW else "blocked"


class IncidentStatus(Enum):
    """Where an incident stands after review. `open` until a moderator settles it."""

    OPEN = "open"
    DISMISSED = "dismissed"
    DELETED = "deleted"
    TIMED_OUT = "timed_out"
    BANNED = "banned"


class DecisionAction(Enum):
    """Something done about an incident, by a moderator or (auto_delete) by the filter."""

    AUTO_DELETE = "auto_delete"
    DISMISS = "dismiss"
    DELETE = "delete"
    TIMEOUT = "timeout"
    BAN = "ban"
    TRUST_DOMAIN = "trust_domain"
    BLOCK_DOMAIN = "block_domain"

    @property
    def settles(self) -> IncidentStatus | None:
        """The status this decision gives the incident (None: it leaves the status as it is)."""
        return _SETTLES.get(self)


_SETTLES = {
    DecisionAction.DISMISS: IncidentStatus.DISMISSED,
    DecisionAction.DELETE: IncidentStatus.DELETED,
    DecisionAction.TIMEOUT: IncidentStatus.TIMED_OUT,
    DecisionAction.BAN: IncidentStatus.BANNED,
}


SCALAR_SETTINGS = ("flag_threshold", "delete_threshold", "delete_enabled", "new_member_days", "timeout_minutes")
"""The SpamSettings fields that override one SpamConfig value each (None: the default)."""


@dataclass(frozen=True)
class SpamSettings:
    """A server's changes to the default filter settings; None means "use the default"."""

    guild_id: int
    flag_threshold: float | None = None
    delete_threshold: float | None = None
    delete_enabled: bool | None = None
    new_member_days: float | None = None
    timeout_minutes: int | None = None
    protected_names: tuple[str, ...] = ()
    exempt_role_ids: frozenset[int] = frozenset()
    exempt_channel_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class DomainLists:
    """A server's trusted (allow) and blocked domains, sorted."""

    allowed: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()

    def list_of(self, domain: str) -> ListName | None:
        if domain in self.allowed:
            return ListName.ALLOW
        if domain in self.blocked:
            return ListName.BLOCK
        return None


@dataclass(frozen=True)
class Copy:
    """One posting of the incident's message (a flood has several), with its text kept."""

    channel_id: int
    message_id: int
    content: str
    posted_at: datetime
    edited: bool = False
    deleted_at: datetime | None = None
    deleted_by: int | None = None  # None with deleted_at set: the filter deleted it

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class Decision:
    """Who did what about an incident, and when (moderator_id None: the filter)."""

    moderator_id: int | None
    action: DecisionAction
    detail: str
    decided_at: datetime


@dataclass(frozen=True)
class NewIncident:
    """What the filter found, before it is stored."""

    guild_id: int
    author_id: int
    author_name: str
    flood_key: str | None
    action: str  # "flag" or "delete"
    score: float
    reasons: tuple[str, ...]
    reason_codes: tuple[str, ...]
    domains: tuple[str, ...]
    account_age_days: float | None
    member_age_days: float | None
    first_copy: Copy


@dataclass(frozen=True)
class Incident:
    """A stored incident with every copy and decision, oldest first."""

    id: int
    guild_id: int
    number: int
    author_id: int
    author_name: str
    flood_key: str | None
    action: str
    score: float
    reasons: tuple[str, ...]
    reason_codes: tuple[str, ...]
    domains: tuple[str, ...]
    status: IncidentStatus
    account_age_days: float | None
    member_age_days: float | None
    created_at: datetime
    updated_at: datetime
    queue_channel_id: int | None
    queue_message_id: int | None
    copies: tuple[Copy, ...] = ()
    decisions: tuple[Decision, ...] = ()

    @property
    def live_copies(self) -> tuple[Copy, ...]:
        """Copies not deleted yet."""
        return tuple(c for c in self.copies if not c.deleted)

    @property
    def channel_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(c.channel_id for c in self.copies))

    def has_decision(self, action: DecisionAction) -> bool:
        return any(d.action is action for d in self.decisions)


@dataclass(frozen=True)
class DayCount:
    day: date
    flagged: int
    deleted: int


@dataclass(frozen=True)
class SpamStats:
    """Incidents created in the last `days` days, what was decided about them, and the top domains."""

    days: int
    incidents: int = 0
    flagged: int = 0
    auto_deleted: int = 0
    copies: int = 0
    open: int = 0
    reviewed: int = 0
    dismissed: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    top_domains: tuple[tuple[str, int], ...] = ()
    per_day: tuple[DayCount, ...] = ()

    @property
    def dismissed_share(self) -> float | None:
        """Share of reviewed incidents a moderator dismissed as not spam (None before any review)."""
        return self.dismissed / self.reviewed if self.reviewed else None


@dataclass(frozen=True)
class MessageFacts:
    """A member's post or edit, as the adapter read it from Discord (no Discord types)."""

    guild_id: int
    channel_id: int
    message_id: int
    author_id: int
    author_name: str
    content: str
    posted_at: datetime
    parent_channel_id: int | None = None  # the channel of a thread
    role_ids: frozenset[int] = frozenset()
    account_age_days: float | None = None
    member_age_days: float | None = None
    mention_count: int = 0
    mentions_everyone: bool = False
    edited: bool = False
    staff_channel: bool = False  # #mod-queue or #mod-log: moderators discussing spam


@dataclass(frozen=True)
class Report:
    """What the adapter must do after a scan: show `incident` in #mod-queue; when `delete` is set, delete its
    live copies and call `SpamService.auto_deleted`."""

    incident: Incident
    delete: bool
    reasons: tuple[str, ...]


CHART_FILE = "spam-stats.png"


@dataclass(frozen=True)
class Decided:
    """A decision stored: the incident as it now stands and the #mod-log line."""

    incident: Incident
    log: str


@dataclass(frozen=True)
class AutoDeleted:
    incident: Incident
    log: str | None  # None when nothing could be deleted
    tell_author: bool  # the first automatic deletion of the incident


@dataclass(frozen=True)
class Answer:
    """A command's reply (ephemeral) and, when something changed, its #mod-log line."""

    text: str | None = None
    card: Card | None = None
    log: str | None = None


@dataclass(frozen=True)
class StatsAnswer:
    card: Card
    chart: bytes
    file_name: str = CHART_FILE
