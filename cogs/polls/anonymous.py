"""Anonymous polls on Discord: `/poll anonymous`, vote buttons (a select for several answers), "My vote",
a host's End, and a restart-safe timer that closes polls at their end time and posts the results chart.

All state is in the database (bot.polls.anonymous); the custom_ids carry the poll id, so every component
works after any restart. `setup_anonymous(bot)` adds it all; call it after the `/poll` group's cog is added
(it puts `anonymous` into that group, or makes the group when there is none).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import re
from datetime import timedelta
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import notify, render
from bot.app import CourseBot
from bot.checks import require
from bot.core import limits
from bot.core.errors import UserError
from bot.core.text import truncate
from bot.errors import answer_refusals, report_interaction_error
from bot.guild_config import Channel
from bot.permissions import Role
from bot.persistent import CourseButton
from bot.polls.anonymous import AnonymousPollService
from bot.polls.anonymous_store import AnonymousPoll
from bot.polls.charts import render_results
from bot.polls.options import DEFAULT_DURATION_HOURS

log = logging.getLogger("coursebot.polls.anonymous")

Interaction = discord.Interaction[CourseBot]
MAX_SLEEP = timedelta(hours=6)
"""The timer wakes at least this often, even with nothing due (a new poll wakes it at once)."""
RETRY_AFTER = timedelta(minutes=1)
WAKE_EVENT = "anonymous_poll_wake"


def _bot(interaction: discord.Interaction) -> CourseBot:
    client = interaction.client
    assert isinstance(client, CourseBot)
    return client


def _service(bot: CourseBot) -> AnonymousPollService:
    return bot.services.anonymous_polls


def _emoji(text: str | None) -> str | discord.PartialEmoji | None:
    if text is not None and text.startswith("<"):
        return discord.PartialEmoji.from_str(text)
    return text


# -- components ----------------------------------------------------------------------------------------


class VoteButton(CourseButton, template=r"apoll:vote:(?P<poll_id>\d+):(?P<position>\d+)"):
    """One answer of a single-answer poll; clicking again on another answer changes the vote."""

    def __init__(self, poll_id: int, position: int, label: str = "vote", emoji: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=truncate(label, limits.BUTTON_LABEL),
                emoji=_emoji(emoji),
                style=discord.ButtonStyle.primary,
                custom_id=f"apoll:vote:{poll_id}:{position}",
            )
        )
        self.poll_id, self.position = poll_id, position

    async def handle(self, interaction: discord.Interaction) -> None:
        await _vote(interaction, self.poll_id, (self.position,))


class PickSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"apoll:pick:(?P<poll_id>\d+)"):
    """The answers of a several-answer poll; choosing again replaces the earlier choice."""

    def __init__(self, poll_id: int, options: list[discord.SelectOption] | None = None) -> None:
        options = options or []
        super().__init__(
            discord.ui.Select(
                custom_id=f"apoll:pick:{poll_id}",
                placeholder="Choose one or more answers",
                min_values=1,
                max_values=max(len(options), 1),
                options=options,
            )
        )
        self.poll_id = poll_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PickSelect:
        return cls(int(match["poll_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await _vote(interaction, self.poll_id, tuple(int(value) for value in self.item.values))
        except Exception as error:
            await report_interaction_error(interaction, error, where=f"select {self.item.custom_id}")


class MyVoteButton(CourseButton, template=r"apoll:mine:(?P<poll_id>\d+)"):
    def __init__(self, poll_id: int) -> None:
        super().__init__(
            discord.ui.Button(label="My vote", style=discord.ButtonStyle.secondary, custom_id=f"apoll:mine:{poll_id}")
        )
        self.poll_id = poll_id

    async def handle(self, interaction: discord.Interaction) -> None:
        await notify.tell(interaction, await _service(_bot(interaction)).my_vote(self.poll_id, interaction.user.id))


class EndButton(CourseButton, template=r"apoll:end:(?P<poll_id>\d+)"):
    required_role = Role.HOST

    def __init__(self, poll_id: int) -> None:
        super().__init__(
            discord.ui.Button(label="End poll", style=discord.ButtonStyle.danger, custom_id=f"apoll:end:{poll_id}")
        )
        self.poll_id = poll_id

    async def handle(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        closed = await _service(bot).close(self.poll_id)
        if closed is None:
            raise UserError(f"Anonymous poll #{self.poll_id} has already closed.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        await notify.tell(interaction, _service(bot).ended_message(closed, posted=await finish(bot, closed)))


async def _vote(interaction: discord.Interaction, poll_id: int, positions: tuple[int, ...]) -> None:
    bot = _bot(interaction)
    outcome = await _service(bot).vote(poll_id, interaction.user.id, positions)
    await notify.tell(interaction, outcome.message)
    if not outcome.poll.hidden_results and interaction.message is not None:
        try:  # the live count on the poll post
            await interaction.message.edit(embed=render.embed(_service(bot).poll_card(outcome.poll)))
        except discord.HTTPException:
            log.warning("anonymous poll #%s: could not update the live count", poll_id)


def poll_view(poll: AnonymousPoll) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if poll.multiselect:
        options = [
            discord.SelectOption(
                label=truncate(a.text, limits.SELECT_OPTION_LABEL), value=str(a.position), emoji=_emoji(a.emoji)
            )
            for a in poll.answers
        ]
        view.add_item(PickSelect(poll.id, options))
    else:
        for answer in poll.answers:
            view.add_item(VoteButton(poll.id, answer.position, answer.text, answer.emoji))
    view.add_item(MyVoteButton(poll.id))
    view.add_item(EndButton(poll.id))
    return view


# -- closing ---------------------------------------------------------------------------------------------


async def finish(bot: CourseBot, poll: AnonymousPoll) -> bool:
    """After a close: the poll post shows it closed (no buttons), the results chart goes under it."""
    service = _service(bot)
    channel = bot.get_channel(poll.channel_id)
    if not isinstance(channel, discord.TextChannel | discord.Thread):
        log.warning("anonymous poll #%s: channel %s is gone, no results posted", poll.id, poll.channel_id)
        return False
    message = channel.get_partial_message(poll.message_id) if poll.message_id else None
    if message is not None:
        try:
            await message.edit(embed=render.embed(service.poll_card(poll)), view=None)
        except discord.HTTPException:
            log.warning("anonymous poll #%s: could not mark the post closed", poll.id)
    name = f"anonymous-poll-{poll.id}.png"
    total = poll.voters if poll.multiselect else None
    png = await asyncio.to_thread(
        render_results, poll.question, service.chart_bars(poll), subtitle=service.chart_subtitle(poll), total=total
    )
    sent = await notify.send_safely(
        bot,
        channel,
        content=service.results_heading(poll),
        embed=render.embed(service.results_card(poll, name)),
        file=discord.File(io.BytesIO(png), filename=name),
        reference=message.to_reference(fail_if_not_exists=False) if message else None,
    )
    if sent is None:
        await notify.mod_log(bot, channel.guild, service.results_not_posted(poll))
        return False
    await service.results_posted(poll.id, sent.id)
    return True


class AnonymousPolls(commands.Cog):
    """The timer of anonymous polls: the close times are in the database, so a restart loses nothing."""

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None

    async def restore_state(self) -> None:
        """Start the timer (idempotent); its first pass closes polls that ran out while the bot was down."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="anonymous-poll-timer")
        else:
            self.wake()

    def wake(self) -> None:
        """Re-plan now (a poll was posted): the timer waits for this event or its next close, whichever first."""
        self.bot.dispatch(WAKE_EVENT)

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _pass(self) -> float:
        """Close what is due and post its results; seconds to wait before the next pass."""
        service = _service(self.bot)
        for poll in await service.close_due():
            try:
                await finish(self.bot, poll)
            except Exception:
                log.exception("anonymous poll #%s: results failed", poll.id)
        return await service.seconds_to_next_close(MAX_SLEEP)

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                delay = await asyncio.create_task(self._pass())  # the pass is short; the loop only sleeps
            except Exception:
                log.exception("the anonymous poll pass failed; trying again in a minute")
                delay = RETRY_AFTER.total_seconds()
            with contextlib.suppress(TimeoutError):
                await self.bot.wait_for(WAKE_EVENT, timeout=delay)


# -- the command -------------------------------------------------------------------------------------------


async def _default_channel(interaction: Interaction) -> discord.TextChannel:
    assert interaction.guild is not None
    channel = await interaction.client.guild_config.resolve_channel(interaction.guild, Channel.POLLS)
    if channel is None and isinstance(interaction.channel, discord.TextChannel):
        channel = interaction.channel
    if channel is None:
        raise UserError("I don't know where to post: pick a `channel`, or ask an admin to set up #polls.")
    return channel


def anonymous_command(cog: AnonymousPolls) -> app_commands.Command[Any, ..., None]:
    @app_commands.command(name="anonymous", description="Post a poll nobody can trace votes back from (hosts)")
    @app_commands.describe(
        question="What you ask (up to 300 characters)",
        options="2 to 10 answers separated by ; or | — an emoji may lead each, e.g. 🔥 SEO; 📧 Email",
        duration_hours="How long voting stays open, 1 to 768 hours (default 24)",
        multiselect="Let people pick more than one answer",
        hidden_results="Hide the counts from everyone until the poll closes",
        channel="Where to post (default: the polls channel)",
    )
    @require(Role.HOST)
    async def anonymous(
        interaction: Interaction,
        question: str,
        options: str,
        duration_hours: int = DEFAULT_DURATION_HOURS,
        multiselect: bool = False,
        hidden_results: bool = False,
        channel: discord.TextChannel | None = None,
    ) -> None:
        assert interaction.guild is not None
        target = channel or await _default_channel(interaction)
        service = _service(interaction.client)
        poll = await service.create(
            guild_id=interaction.guild.id,
            channel_id=target.id,
            created_by=interaction.user.id,
            question=question,
            options=options,
            duration_hours=duration_hours,
            multiselect=multiselect,
            hidden_results=hidden_results,
        )
        sent = await notify.send_safely(
            interaction.client,
            target,
            caller=interaction,
            content="🕶️ Anonymous poll: your vote is yours alone.",
            embed=render.embed(service.poll_card(poll)),
            view=poll_view(poll),
        )
        if sent is None:
            await service.discard(poll.id)
            return  # send_safely told the caller why
        await service.posted(poll.id, sent.id)
        cog.wake()
        await notify.tell(interaction, service.posted_message(poll, target.mention, sent.jump_url))

    return anonymous


async def setup_anonymous(bot: CourseBot) -> None:
    """Add the timer cog, the persistent components and `/poll anonymous` (into the existing `/poll` group)."""
    cog = AnonymousPolls(bot)
    await bot.add_cog(cog)
    bot.add_dynamic_items(VoteButton, PickSelect, MyVoteButton, EndButton)
    command = anonymous_command(cog)
    answer_refusals(command)  # the tree does this only for what it is given directly
    group = bot.tree.get_command("poll")
    if isinstance(group, app_commands.Group):
        group.add_command(command)
    else:
        group = app_commands.Group(name="poll", description="Polls: vote, see results; hosts run them", guild_only=True)
        group.add_command(command)
        bot.tree.add_command(group)
