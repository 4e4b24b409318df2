"""Who may do what: the roles a member holds in the bot, from Discord permissions and configured roles."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


class Role(Enum):
    """A member's standing in the bot. Everyone is a learner."""

    LEARNER = "learner"
    MODERATOR = "moderator"
    HOST = "host"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "learner": "Learners",
            "moderator": "Moderators",
            "host": "Hosts",
            "admin": "Server managers",
        }[self.value]

    @property
    def refusal(self) -> str:
        """The polite sentence shown to a member who lacks this role."""
        return {
            Role.LEARNER: "This is not available to you.",
            Role.MODERATOR: "Only moderators can do that. If you think you should be one, ask a server admin.",
            Role.HOST: "Only course hosts can do that. Ask a host or a server admin if you need it done.",
            Role.ADMIN: "Only members with the Manage Server permission can do that.",
        }[self]


def roles_for(
    *,
    manage_guild: bool,
    manage_messages: bool,
    role_ids: Iterable[int],
    moderator_role_id: int | None,
    host_role_id: int | None,
) -> frozenset[Role]:
    """The bot roles a member holds.

    Moderator: the configured moderator role, or Manage Messages. Host: the configured host role.
    Admin: Manage Server (which also makes one a moderator and a host).
    """
    ids = set(role_ids)
    held = {Role.LEARNER}
    if manage_guild:
        held |= {Role.ADMIN, Role.HOST, Role.MODERATOR}
    if manage_messages or (moderator_role_id is not None and moderator_role_id in ids):
        held.add(Role.MODERATOR)
    if host_role_id is not None and host_role_id in ids:
        held.add(Role.HOST)
    return frozenset(held)
