"""Errors users see, and the one place that turns any interaction error into a reply and a log line."""

from __future__ import annotations

import logging
from datetime import timedelta

import discord
from discord import app_commands

from bot.notify import tell
from bot.permissions import Role

log = logging.getLogger("coursebot.errors")

GENERIC_APOLOGY = "Sorry, something went wrong on our side. The error was logged; please try again in a moment."


class UserError(Exception):
    """An error whose message is meant for the user, shown to them as is (ephemeral)."""


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
