"""Errors whose message is for the user. Raise them anywhere in a service; adapters show them as is."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix or must be told: the message is shown to them (ephemeral) as is."""


class NotFound(UserError):
    """The thing the user named does not exist (or is not theirs to see)."""


class Conflict(UserError):
    """The state moved on (someone else decided first, already done): the message says what happened."""


class TryAgainLater(UserError):
    """A passing fault (database busy, Discord refused): nothing was lost, the user may retry shortly."""
