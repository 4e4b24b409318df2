"""The one error path of every interaction: refusals answered as normal replies, bugs logged and apologised for.

A refusal (a UserError, a missing role, a cooldown) is answered where it is raised, so Discord (and
SimCord's preview) sees a completed action, not a failed one: `answer_refusals()` does this for commands,
`answering()` for component and modal callbacks. Only real failures reach the tree's error handler.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.core.errors import UserError
from bot.notify import tell
from bot.permissions import Role

log = logging.getLogger("coursebot.errors")

GENERIC_APOLOGY = "Sorry, something went wrong on our side. The error was logged; please try again in a moment."


class NotAllowed(app_commands.CheckFailure):
    """The member lacks the bot role a command needs."""

    def __init__(self, role: Role) -> None:
        super().__init__(role.refusal)
        self.role = role


def describe_wait(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} seconds"
    return str(timedelta(seconds=seconds)).removeprefix("0:")


def user_message(error: BaseException) -> str | None:
    """The message for errors that are the user's to fix, or None for bugs and outages."""
    if isinstance(error, app_commands.TransformerError) and isinstance(error.__cause__, UserError):
        error = error.__cause__
    if isinstance(error, UserError | NotAllowed):
        return str(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: you can use this again in {describe_wait(error.retry_after)}."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works inside a server."
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"I am missing a permission here: {missing}. Ask a server admin to grant it."
    if isinstance(error, app_commands.MissingPermissions):
        missing = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"You need the {missing} permission for this."
    if isinstance(error, app_commands.TransformerError):
        return f"I could not understand {error.value!r} for that option."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    return None


__all__ = ["GENERIC_APOLOGY", "NotAllowed", "UserError", "answer_refusals", "answering", "report_interaction_error"]
Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Any]])


def _original(error: BaseException) -> BaseException:
    while isinstance(error, app_commands.CommandInvokeError) and error.original is not None:
        error = error.original
    return error


async def report_interaction_error(
    interaction: discord.Interaction, error: BaseException, *, where: str | None = None
) -> None:
    """Reply to the user (ephemeral) and log the full error with the interaction's context."""
    original = _original(error)
    message = user_message(original)
    if message is None:
        if isinstance(original, discord.Forbidden):
            message = (
                "I don't have the Discord permission to do that here. Ask a server admin to check my role's "
                "permissions in this channel."
            )
        else:
            message = GENERIC_APOLOGY
        command = interaction.command.qualified_name if interaction.command else None
        log.error(
            "error in %s (guild=%s channel=%s user=%s)",
            where or (f"/{command}" if command else f"component {interaction.data!r}"),
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
            exc_info=(type(original), original, original.__traceback__),
        )
    await tell(interaction, message)


def is_refusal(error: BaseException) -> bool:
    """True for errors that are the user's to fix: they get a reply, not an apology."""
    return user_message(_original(error)) is not None


def answering(handler: Handler) -> Handler:
    """Wrap an interaction handler (first argument or second after self: the interaction) so that a refusal is
    answered as a normal reply instead of escaping as an error."""

    @functools.wraps(handler)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return await handler(*args, **kwargs)
        except Exception as error:
            if not is_refusal(error):
                raise
            interaction = next(arg for arg in args if isinstance(arg, discord.Interaction))
            await tell(interaction, user_message(_original(error)) or GENERIC_APOLOGY)
            return None

    return wrapper  # type: ignore[return-value]


def answer_refusals(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> None:
    """Make `command` (every subcommand of a group) answer refusals (checks, transformers, the callback)
    itself, as a normal reply. Idempotent; CourseTree applies it to every command it is given."""
    commands = command.walk_commands() if isinstance(command, app_commands.Group) else [command]
    for each in commands:
        if isinstance(each, app_commands.Command) and not getattr(each, "_answers_refusals", False):
            each._invoke_with_namespace = answering(each._invoke_with_namespace)  # type: ignore[method-assign]
            each._answers_refusals = True  # type: ignore[attr-defined]
