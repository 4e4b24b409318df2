"""Moderators' input to the spam filter: `/spam settings` options turned into stored changes, and domains
typed into `/spam allow|block|unlist`, each with their checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.errors import UserError
from bot.spam.config import SpamConfig
from bot.spam.domains import decode_host, has_known_suffix
from bot.spam.records import SCALAR_SETTINGS, SpamSettings

_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,62}$")


@dataclass(frozen=True)
class SettingsRequest:
    """What a moderator asked for; None leaves a setting as it is. Roles and channels are ids."""

    flag_threshold: float | None = None
    delete_threshold: float | None = None
    delete_enabled: bool | None = None
    new_member_days: float | None = None
    timeout_minutes: int | None = None
    exempt_role: int | None = None
    unexempt_role: int | None = None
    exempt_channel: int | None = None
    unexempt_channel: int | None = None
    protect_name: str | None = None
    unprotect_name: str | None = None


@dataclass(frozen=True)
class SettingsChange:
    """The settings to store (only those that differ) and notes for the moderator."""

    changes: dict[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return ", ".join(name.replace("_", " ") for name in self.changes)


def plan_change(current: SpamSettings, request: SettingsRequest) -> SettingsChange:
    """The changes the request makes to `current`; a UserError when it asks for something unusable."""
    defaults = SpamConfig()
    changes: dict[str, object] = {}
    notes: list[str] = []
    for name in SCALAR_SETTINGS:
        value = getattr(request, name)
        if value is not None and value != getattr(current, name):
            changes[name] = value

    flag = changes.get("flag_threshold", current.flag_threshold) or defaults.flag_threshold
    delete = changes.get("delete_threshold", current.delete_threshold) or defaults.delete_threshold
    assert isinstance(flag, float | int) and isinstance(delete, float | int)
    if flag > delete:
        raise UserError(f"The flag threshold ({flag:g}) must not be above the delete threshold ({delete:g}).")

    roles = _toggle(current.exempt_role_ids, request.exempt_role, request.unexempt_role)
    if roles != current.exempt_role_ids:
        changes["exempt_role_ids"] = roles
    channels = _toggle(current.exempt_channel_ids, request.exempt_channel, request.unexempt_channel)
    if channels != current.exempt_channel_ids:
        changes["exempt_channel_ids"] = channels

    names = list(current.protected_names)
    if request.protect_name is not None:
        name = request.protect_name.strip().lower()
        if not _NAME.match(name):
            raise UserError(
                "A protected name is 2 to 63 letters, digits, dots and dashes, e.g. `mycourse` or `mycourse.org`."
            )
        if name in names or name in defaults.protected_names:
            notes.append(f"`{name}` is already protected.")
        else:
            names.append(name)
    if request.unprotect_name is not None:
        name = request.unprotect_name.strip().lower()
        if name not in names:
            shipped = " (it ships with the bot and stays)" if name in defaults.protected_names else ""
            notes.append(f"`{name}` was not one of this server's protected names{shipped}.")
        names = [n for n in names if n != name]
    if tuple(names) != current.protected_names:
        changes["protected_names"] = tuple(names)
    return SettingsChange(changes, tuple(notes))


def _toggle(current: frozenset[int], add: int | None, remove: int | None) -> frozenset[int]:
    updated = set(current)
    if add is not None:
        updated.add(add)
    if remove is not None:
        updated.discard(remove)
    return frozenset(updated)


def normalise_domain(text: str) -> str:
    """A domain typed by a moderator (`https://www.Example.com/x` -> `example.com`), or a UserError."""
    value = text.strip().lower()
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    value = decode_host(value.removeprefix("www."))
    if not value or " " in value or not has_known_suffix(value):
        raise UserError(f"{text.strip()[:100]!r} is not a domain I can use: give one like `example.com`.")
    return value
