"""The components of an anonymous poll's post: vote buttons (a select for several answers), "My vote" and
"End poll" (handled in cogs/polls/buttons.py: it asks first).

Anonymous polls are posted by `/poll create anonymous:True` and by anonymous weekly schedules
(cogs/polls/actions.py), closed by the one poll timer. All state is in the database (bot.polls.anonymous);
the custom_ids carry the poll number, so every component works after any restart. Posts made before
anonymous polls joined the polls table carry `apoll:` ids with their old number, still understood.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot import notify, render
from bot.app import CourseBot
from bot.core import limits
from bot.core.text import truncate
from bot.errors import report_interaction_error
from bot.persistent import CourseButton
from bot.polls.model import PollRecord
from bot.polls.service import PollService

log = logging.getLogger("coursebot.polls")

END_TEMPLATE = r"(?P<old>a?)poll:end:(?P<poll_id>\d+)"
"""The End button's custom_id (its handler, `EndButton`, lives in cogs/polls/buttons.py)."""


def _service(interaction: discord.Interaction) -> PollService:
    client = interaction.client
    assert isinstance(client, CourseBot)
    return client.services.polls


def _emoji(text: str | None) -> str | discord.PartialEmoji | None:
    if text is not None and text.startswith("<"):
        return discord.PartialEmoji.from_str(text)
    return text


class VoteButton(CourseButton, template=r"(?P<old>a?)poll:vote:(?P<poll_id>\d+):(?P<answer>\d+)"):
    """One answer of a single-answer poll; clicking again on another answer changes the vote."""

    def __init__(self, poll_id: int, answer: int, label: str = "vote", emoji: str | None = None, old: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=truncate(label, limits.BUTTON_LABEL),
                emoji=_emoji(emoji),
                style=discord.ButtonStyle.primary,
                custom_id=f"{old}poll:vote:{poll_id}:{answer}",
            )
        )
        self.poll_id, self.answer, self.old = poll_id, answer, bool(old)

    async def handle(self, interaction: discord.Interaction) -> None:
        poll_id = await _service(interaction).legacy_anonymous(self.poll_id, self.old)
        await _vote(interaction, poll_id, (self.answer,))


class PickSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"(?P<old>a?)poll:pick:(?P<poll_id>\d+)"):
    """The answers of a several-answer poll; choosing again replaces the earlier choice."""

    def __init__(self, poll_id: int, options: list[discord.SelectOption] | None = None, old: str = "") -> None:
        options = options or []
        super().__init__(
            discord.ui.Select(
                custom_id=f"{old}poll:pick:{poll_id}",
                placeholder="Choose one or more answers",
                min_values=1,
                max_values=max(len(options), 1),
                options=options,
            )
        )
        self.poll_id, self.old = poll_id, bool(old)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PickSelect:
        return cls(int(match["poll_id"]), old=match["old"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            poll_id = await _service(interaction).legacy_anonymous(self.poll_id, self.old)
            await _vote(interaction, poll_id, tuple(int(value) for value in self.item.values))
        except Exception as error:
            await report_interaction_error(interaction, error, where=f"select {self.item.custom_id}")


class MyVoteButton(CourseButton, template=r"(?P<old>a?)poll:mine:(?P<poll_id>\d+)"):
    def __init__(self, poll_id: int, old: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label="My vote", style=discord.ButtonStyle.secondary, custom_id=f"{old}poll:mine:{poll_id}"
            )
        )
        self.poll_id, self.old = poll_id, bool(old)

    async def handle(self, interaction: discord.Interaction) -> None:
        service = _service(interaction)
        poll_id = await service.legacy_anonymous(self.poll_id, self.old)
        await notify.tell(interaction, await service.my_vote(poll_id, interaction.user.id))


async def _vote(interaction: discord.Interaction, poll_id: int, answers: tuple[int, ...]) -> None:
    service = _service(interaction)
    outcome = await service.vote(poll_id, interaction.user.id, answers)
    await notify.tell(interaction, outcome.message)
    if not outcome.poll.hidden_results and interaction.message is not None:
        try:  # the live count on the poll post
            await interaction.message.edit(embed=render.embed(service.post_card(outcome.poll)))
        except discord.HTTPException:
            log.warning("anonymous poll #%s: could not update the live count", poll_id)


def poll_view(poll: PollRecord) -> discord.ui.View:
    """The post's components: a button per answer (or one select), My vote, End poll."""
    view = discord.ui.View(timeout=None)
    if poll.multiselect:
        options = [
            discord.SelectOption(
                label=truncate(a.text, limits.SELECT_OPTION_LABEL), value=str(a.answer_id), emoji=_emoji(a.emoji)
            )
            for a in poll.answers
        ]
        view.add_item(PickSelect(poll.id, options))
    else:
        for answer in poll.answers:
            view.add_item(VoteButton(poll.id, answer.answer_id, answer.text, answer.emoji))
    view.add_item(MyVoteButton(poll.id))
    view.add_item(
        discord.ui.Button(label="End poll", style=discord.ButtonStyle.danger, custom_id=f"poll:end:{poll.id}")
    )
    return view


COMPONENTS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (VoteButton, PickSelect, MyVoteButton)
