"""The moderator actions on a spam incident, named once: the buttons, their custom_ids, which are enabled,
the dispatch and the stored decision all come from `SpamAction`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.spam.model import DecisionAction, Incident, IncidentStatus, ListName


class Look(Enum):
    """How a button looks; the adapter maps it to Discord's button style."""

    SUCCESS = "success"
    DANGER = "danger"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class ActionSpec:
    label: str
    look: Look
    row: int
    decision: DecisionAction | None  # what is stored when it is done (None: nothing by itself)
    on_incident: bool  # a button of the incident post (else of the ban confirmation)
    slow: bool = False  # deletes messages: acknowledge first, Discord waits only 3 seconds


class SpamAction(Enum):
    """One button; its value is the custom_id part: `spam:<value>:<incident id>`."""

    DISMISS = "dismiss"
    DELETE = "delete"
    TIMEOUT = "timeout"
    BAN = "ban"
    TRUST = "trust"
    BLOCK = "block"
    CONFIRM_BAN = "confirmban"
    CANCEL_BAN = "cancelban"

    @property
    def spec(self) -> ActionSpec:
        return _SPECS[self]

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def decision(self) -> DecisionAction | None:
        return self.spec.decision

    @property
    def list_name(self) -> ListName | None:
        """The server list a domain action puts a domain on."""
        return {SpamAction.TRUST: ListName.ALLOW, SpamAction.BLOCK: ListName.BLOCK}.get(self)

    def custom_id(self, incident_id: int) -> str:
        return f"{PREFIX}:{self.value}:{incident_id}"

    def enabled(self, incident: Incident) -> bool:
        """Whether the button still makes sense for the incident as it stands."""
        status = incident.status
        if self is SpamAction.DISMISS:
            return status is IncidentStatus.OPEN
        if self is SpamAction.DELETE:
            return bool(incident.live_copies) and status in SETTLES_FROM[DecisionAction.DELETE]
        if self is SpamAction.TIMEOUT:
            return status in SETTLES_FROM[DecisionAction.TIMEOUT]
        if self in (SpamAction.BAN, SpamAction.CONFIRM_BAN):
            return status is not IncidentStatus.BANNED
        if self in (SpamAction.TRUST, SpamAction.BLOCK):
            return bool(incident.domains)
        return True

    @classmethod
    def incident_buttons(cls) -> tuple[SpamAction, ...]:
        return tuple(action for action in cls if action.spec.on_incident)


PREFIX = "spam"

_SPECS = {
    SpamAction.DISMISS: ActionSpec("Dismiss (not spam)", Look.SUCCESS, 0, DecisionAction.DISMISS, True),
    SpamAction.DELETE: ActionSpec("Delete", Look.DANGER, 0, DecisionAction.DELETE, True, slow=True),
    SpamAction.TIMEOUT: ActionSpec("Delete + timeout", Look.DANGER, 0, DecisionAction.TIMEOUT, True, slow=True),
    SpamAction.BAN: ActionSpec("Ban", Look.DANGER, 0, None, True),
    SpamAction.TRUST: ActionSpec("Trust domain", Look.SECONDARY, 1, DecisionAction.TRUST_DOMAIN, True),
    SpamAction.BLOCK: ActionSpec("Block domain", Look.SECONDARY, 1, DecisionAction.BLOCK_DOMAIN, True),
    SpamAction.CONFIRM_BAN: ActionSpec("Yes, ban", Look.DANGER, 0, DecisionAction.BAN, False, slow=True),
    SpamAction.CANCEL_BAN: ActionSpec("Cancel", Look.SECONDARY, 0, None, False),
}

CUSTOM_ID_TEMPLATE = rf"{PREFIX}:(?P<action>{'|'.join(re.escape(a.value) for a in SpamAction)}):(?P<incident_id>\d+)"
"""The DynamicItem template: every action, from the enum."""

# The statuses from which a settling decision may be taken: one conditional UPDATE checks it, so of two
# moderators acting at once exactly one wins.
_NOT_SETTLED = frozenset({IncidentStatus.OPEN})
SETTLES_FROM: dict[DecisionAction, frozenset[IncidentStatus]] = {
    DecisionAction.DISMISS: _NOT_SETTLED,
    DecisionAction.DELETE: frozenset({IncidentStatus.OPEN, IncidentStatus.DISMISSED}),
    DecisionAction.TIMEOUT: frozenset({IncidentStatus.OPEN, IncidentStatus.DISMISSED, IncidentStatus.DELETED}),
    DecisionAction.BAN: frozenset(set(IncidentStatus) - {IncidentStatus.BANNED}),
}
