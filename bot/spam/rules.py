"""Pure decisions of the spam filter: a server's engine settings, who is exempt, what an incident may still
become, and how many posts of a member the filter has seen."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta

from bot.spam.actions import SETTLES_FROM
from bot.spam.config import SpamConfig
from bot.spam.model import SCALAR_SETTINGS, DecisionAction, DomainLists, Incident, MessageFacts, SpamSettings

MAX_COUNTED_MEMBERS = 50_000


def engine_config(settings: SpamSettings, lists: DomainLists) -> SpamConfig:
    """The engine settings for a server: the defaults with the server's changes and lists applied."""
    base = SpamConfig()
    changes: dict[str, object] = {
        "allowed_domains": base.allowed_domains | frozenset(lists.allowed),
        "blocked_domains": base.blocked_domains | frozenset(lists.blocked),
        "protected_names": tuple(dict.fromkeys((*base.protected_names, *settings.protected_names))),
        "exempt_role_ids": base.exempt_role_ids | settings.exempt_role_ids,
        "exempt_channel_ids": base.exempt_channel_ids | settings.exempt_channel_ids,
    }
    for name in SCALAR_SETTINGS:
        value = getattr(settings, name)
        if value is not None:
            changes[name] = value
    return base.with_changes(**changes)


def is_exempt(facts: MessageFacts, config: SpamConfig) -> bool:
    """Exempt members, roles and channels (a thread counts as its channel)."""
    return (
        facts.author_id in config.exempt_user_ids
        or facts.channel_id in config.exempt_channel_ids
        or (facts.parent_channel_id is not None and facts.parent_channel_id in config.exempt_channel_ids)
        or not facts.role_ids.isdisjoint(config.exempt_role_ids)
    )


def may_settle(incident: Incident, action: DecisionAction) -> bool:
    """Whether a settling decision can still be taken on the incident as it stands."""
    allowed = SETTLES_FROM.get(action)
    return allowed is None or incident.status in allowed


def flood_domains(registered: list[tuple[str, str | None]]) -> tuple[str, ...]:
    """The domains an incident lists: `(registered domain, invite code)` of each link, invites left out
    (they are judged by their code: trusting discord.gg would mean nothing)."""
    return tuple(dict.fromkeys(domain for domain, invite in registered if invite is None))


class MessageCounter:
    """How many posts of each member the filter has seen since it started (in memory, bounded: clean posts
    touch no disk)."""

    def __init__(self, since: datetime, max_members: int = MAX_COUNTED_MEMBERS) -> None:
        self.since = since
        self._max = max_members
        self._counts: OrderedDict[tuple[int, int], int] = OrderedDict()

    def seen_before(
        self, guild_id: int, member_id: int, member_age_days: float | None, now: datetime, *, count_this: bool
    ) -> int | None:
        """Posts seen before this one (an edit is not a new post); None when it can't know (they joined
        before the counting started)."""
        key = (guild_id, member_id)
        seen = self._counts.get(key, 0)
        if count_this:
            self._counts[key] = seen + 1
            self._counts.move_to_end(key)
            while len(self._counts) > self._max:
                self._counts.popitem(last=False)
        else:
            seen = max(0, seen - 1)
        if member_age_days is None or now - timedelta(days=member_age_days) < self.since:
            return None
        return seen

    def forget(self, guild_id: int | None, member_id: int) -> None:
        for key in [k for k in self._counts if k[1] == member_id and guild_id in (None, k[0])]:
            del self._counts[key]
