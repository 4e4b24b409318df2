"""The stories feature's views: the browse pager and the withdraw confirmation (Withdraw / Cancel)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.core.errors import UserError
from bot.notify import tell
from bot.persistent import CourseView
from cogs.stories import flows

PAGER_TIMEOUT = 10 * 60  # below the 15 minutes in which an ephemeral reply can still be edited
CONFIRM_TIMEOUT = 5 * 60

# load(page) -> (embed, page actually shown, page count); it clamps the page to what exists now.
PageLoader = Callable[[int], Awaitable[tuple[discord.Embed, int, int]]]


class PagerView(CourseView):
    """Previous / Next buttons over pages that `load(page)` renders."""

    def __init__(self, user_id: int, load: PageLoader, *, page: int, pages: int, timeout: float = PAGER_TIMEOUT):
        super().__init__(timeout=timeout)
        self.user_id = user_id
        self.load = load
        self.page = page
        self.pages = pages
        self._sync()

    message: discord.InteractionMessage | None = None

    async def on_timeout(self) -> None:
        """Take the buttons away once they stop working."""
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=None)

    def _sync(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.user_id:
            await tell(interaction, "These pages belong to someone else: use `/story browse` for your own.")
            return False
        return True

    async def _turn(self, interaction: discord.Interaction[Any], page: int) -> None:
        embed, self.page, self.pages = await self.load(page)
        self._sync()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[Any], _button: discord.ui.Button[PagerView]) -> None:
        await self._turn(interaction, self.page - 1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], _button: discord.ui.Button[PagerView]) -> None:
        await self._turn(interaction, self.page + 1)


class WithdrawConfirm(CourseView):
    """Ephemeral, for the author who asked: Withdraw takes the story back (once), Cancel keeps it."""

    def __init__(self, user_id: int, number: int) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.user_id = user_id
        self.number = number

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.user_id:
            await tell(interaction, "This confirmation belongs to the author who asked for it.")
            return False
        return True

    async def _finish(self, interaction: discord.Interaction[Any], text: str) -> None:
        self.stop()
        await interaction.edit_original_response(content=text, view=None)

    @discord.ui.button(label="Withdraw", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction[Any], _button: discord.ui.Button[WithdrawConfirm]) -> None:
        self.stop()
        await interaction.response.edit_message(content=f"Withdrawing story #{self.number}…", view=None)
        try:
            reply = await flows.withdraw(interaction, self.number)
        except UserError as refused:  # decided or withdrawn meanwhile: say so on this message
            reply = str(refused)
        await self._finish(interaction, reply)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction[Any], _button: discord.ui.Button[WithdrawConfirm]) -> None:
        self.stop()
        await interaction.response.edit_message(content=f"Nothing changed: story #{self.number} stays.", view=None)
