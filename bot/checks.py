"""The one permission check, used by every command (`require`) and every button (`ensure_role`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.errors import NotAllowed
from bot.notify import tell
from bot.permissions import Role

if TYPE_CHECKING:
    from bot.app import CourseBot

T = TypeVar("T")
ROLE_ATTRIBUTE = "__coursebot_role__"


async def member_roles(interaction: discord.Interaction) -> frozenset[Role]:
    """The caller's bot roles; outside a server only LEARNER."""
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return frozenset({Role.LEARNER})
    bot: CourseBot = interaction.client  # type: ignore[assignment]
    return await bot.guild_config.roles_of(member)


async def has_role(interaction: discord.Interaction, role: Role) -> bool:
    return role in await member_roles(interaction)


def require(role: Role) -> Callable[[T], T]:
    """App command check: only members holding `role` may run the command (also tells /help)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        if not await has_role(interaction, role):
            raise NotAllowed(role)
        return True

    def decorator(func: T) -> T:
        target: Any = func.callback if isinstance(func, app_commands.Command) else func
        setattr(target, ROLE_ATTRIBUTE, role)
        return app_commands.check(predicate)(func)

    return decorator


def required_role(command: app_commands.Command[Any, ..., Any]) -> Role:
    """The role `require` put on a command (LEARNER when none)."""
    role = getattr(command.callback, ROLE_ATTRIBUTE, None)
    return role if isinstance(role, Role) else Role.LEARNER


async def ensure_role(interaction: discord.Interaction, role: Role) -> bool:
    """For buttons and modals: True if allowed, else a polite ephemeral refusal and False."""
    if await has_role(interaction, role):
        return True
    await tell(interaction, role.refusal)
    return False
