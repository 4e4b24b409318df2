"""`/poll ...`: parse the options, call the poll service (and the Discord side where needed), render."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot import notify, render
from bot.app import CourseBot
from bot.checks import has_role, require
from bot.core.errors import UserError
from bot.core.text import person
from bot.guild_config import Channel
from bot.permissions import Role
from bot.polls.options import DEFAULT_DURATION_HOURS
from bot.polls.rules import WEEKDAYS
from bot.polls.service import PollService
from bot.timezones import suggest_timezones
from cogs.polls import render as poll_render
from cogs.polls.actions import PollActions
from cogs.polls.buttons import UnscheduleConfirm, ask_to_end
from cogs.polls.timer import PollTimer

HIDDEN_HELP = "Hide the counts until it closes (native: learners see them only privately; anonymous: no one)"
ANONYMOUS_HELP = "Vote with buttons; nobody, moderators included, can see who voted what"
WEEKDAY_CHOICES = [app_commands.Choice(name=name, value=index) for index, name in enumerate(WEEKDAYS)]
Interaction = discord.Interaction[CourseBot]


def _service(interaction: Interaction) -> PollService:
    return interaction.client.services.polls


def _guild_id(interaction: Interaction) -> int:
    assert interaction.guild_id is not None  # the group is guild_only
    return interaction.guild_id


async def _poll_choices(interaction: Interaction, current: str, *, open_only: bool) -> list[app_commands.Choice[int]]:
    if interaction.guild_id is None:
        return []
    found = await _service(interaction).poll_choices(interaction.guild_id, current, open_only=open_only)
    return [app_commands.Choice(name=name, value=value) for name, value in found]


async def open_poll_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    return await _poll_choices(interaction, current, open_only=True)


async def any_poll_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    return await _poll_choices(interaction, current, open_only=False)


async def schedule_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    if interaction.guild_id is None:
        return []
    found = await _service(interaction).schedule_choices(interaction.guild_id, current)
    return [app_commands.Choice(name=name, value=value) for name, value in found]


async def timezone_autocomplete(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in suggest_timezones(current)]


class Polls(commands.Cog):
    """`/poll ...`: one-off and weekly polls, results with charts, trends and CSV export."""

    poll = app_commands.Group(name="poll", description="Polls: vote, see results; hosts run them", guild_only=True)
    queue = app_commands.Group(name="queue", description="Questions lined up for a weekly poll", parent=poll)

    def __init__(self, bot: CourseBot, actions: PollActions, timer: PollTimer) -> None:
        self.bot = bot
        self.actions = actions
        self.timer = timer

    async def _default_channel(self, interaction: Interaction) -> discord.TextChannel:
        assert interaction.guild is not None
        channel = await self.bot.guild_config.resolve_channel(interaction.guild, Channel.POLLS)
        if channel is None and isinstance(interaction.channel, discord.TextChannel):
            channel = interaction.channel
        if channel is None:
            raise UserError("I don't know where to post: pick a `channel`, or ask an admin to set up #polls.")
        return channel

    # -- one-off polls -------------------------------------------------------------------------

    @poll.command(name="create", description="Post a poll (hosts)")
    @app_commands.describe(
        question="What you ask (up to 300 characters)",
        options="2 to 10 answers separated by ; or | — an emoji may lead each, e.g. 🔥 SEO; 📧 Email",
        duration_hours="How long voting stays open, 1 to 768 hours (default 24)",
        multiselect="Let people pick more than one answer",
        channel="Where to post (default: the polls channel)",
        hidden_results=HIDDEN_HELP,
        anonymous=ANONYMOUS_HELP,
    )
    @require(Role.HOST)
    async def create(
        self,
        interaction: Interaction,
        question: str,
        options: str,
        duration_hours: int = DEFAULT_DURATION_HOURS,
        multiselect: bool = False,
        channel: discord.TextChannel | None = None,
        hidden_results: bool = False,
        anonymous: bool = False,
    ) -> None:
        spec = _service(interaction).prepare(question, options, duration_hours, multiselect)
        target = channel or await self._default_channel(interaction)
        record = await self.actions.post_poll(
            target,
            spec,
            content=f"📊 Poll from {interaction.user.mention}",
            created_by=interaction.user.id,
            hidden_results=hidden_results,
            anonymous=anonymous,
            caller=interaction,
        )
        if record is None:
            return  # send_safely told the caller why
        await interaction.response.send_message(poll_render.poll_posted(record, target.mention), ephemeral=True)

    @poll.command(name="end", description="Close a poll now and post its results (hosts; asks first)")
    @app_commands.describe(poll="The poll to close")
    @app_commands.autocomplete(poll=open_poll_autocomplete)
    @require(Role.HOST)
    async def end(self, interaction: Interaction, poll: int) -> None:
        await ask_to_end(interaction, await _service(interaction).poll_to_end(_guild_id(interaction), poll))

    @poll.command(name="results", description="See a poll's counts and chart")
    @app_commands.describe(poll="The poll to show")
    @app_commands.autocomplete(poll=any_poll_autocomplete)
    async def results(self, interaction: Interaction, poll: int) -> None:
        service = _service(interaction)
        record = await service.poll(_guild_id(interaction), poll)
        service.refuse_hidden(record)  # before deferring: the refusal is ephemeral
        private = service.results_private(record, await has_role(interaction, Role.HOST))
        await interaction.response.defer(thinking=True, ephemeral=private)
        embed, file = await poll_render.with_chart(*service.results(await self.actions.live(record)))
        await interaction.followup.send(embed=embed, file=file, ephemeral=private)

    @poll.command(name="list", description="Recent polls in this server")
    async def list_polls(self, interaction: Interaction) -> None:
        card = await _service(interaction).recent(_guild_id(interaction))
        await interaction.response.send_message(embed=render.embed(card), ephemeral=True)

    # -- weekly polls --------------------------------------------------------------------------

    @poll.command(name="schedule", description="Post a poll every week at a local time (hosts)")
    @app_commands.describe(
        question="The weekly question (queued questions go first, see /poll queue add)",
        options="2 to 10 answers separated by ; or |",
        weekday="Day of the week",
        time="Local time, e.g. 18:30 or 6:30pm",
        timezone="IANA time zone, e.g. Europe/London (default: the server's)",
        duration_hours="How long each poll stays open, 1 to 168 hours (default 24)",
        channel="Where to post (default: the polls channel)",
        multiselect="Let people pick more than one answer",
        hidden_results=HIDDEN_HELP,
        anonymous=ANONYMOUS_HELP,
    )
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @require(Role.HOST)
    async def schedule(
        self,
        interaction: Interaction,
        question: str,
        options: str,
        weekday: app_commands.Choice[int],
        time: str,
        timezone: str | None = None,
        duration_hours: int = DEFAULT_DURATION_HOURS,
        channel: discord.TextChannel | None = None,
        multiselect: bool = False,
        hidden_results: bool = False,
        anonymous: bool = False,
    ) -> None:
        assert interaction.guild is not None
        zone = timezone or await self.bot.guild_config.timezone(interaction.guild.id)
        target = channel or await self._default_channel(interaction)
        created = await _service(interaction).schedule(
            guild_id=interaction.guild.id,
            channel_id=target.id,
            question=question,
            options=options,
            weekday=weekday.value,
            time=time,
            zone=zone,
            duration_hours=duration_hours,
            multiselect=multiselect,
            created_by=interaction.user.id,
            anonymous=anonymous,
            hidden_results=hidden_results,
        )
        await self.timer.rearm()
        await interaction.response.send_message(poll_render.scheduled(created, target.mention), ephemeral=True)
        who = person(interaction.user.display_name, interaction.user.id)
        await notify.mod_log(
            self.bot,
            interaction.guild,
            f"🗓️ {who} scheduled {'anonymous ' if created.anonymous else ''}weekly poll #{created.id} "
            f"in {target.mention}: {created.slot.describe()}.",
        )

    @poll.command(name="schedules", description="Weekly polls and their next run (hosts)")
    @require(Role.HOST)
    async def schedules(self, interaction: Interaction) -> None:
        card = await _service(interaction).schedules_card(_guild_id(interaction))
        await interaction.response.send_message(embed=render.embed(card), ephemeral=True)

    @poll.command(name="pause", description="Pause a weekly poll (hosts)")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def pause(self, interaction: Interaction, schedule: int) -> None:
        paused = await _service(interaction).pause(_guild_id(interaction), schedule)
        await self.timer.rearm()
        await interaction.response.send_message(poll_render.paused(paused), ephemeral=True)

    @poll.command(name="resume", description="Resume a paused weekly poll (hosts)")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def resume(self, interaction: Interaction, schedule: int) -> None:
        resumed = await _service(interaction).resume(_guild_id(interaction), schedule)
        await self.timer.rearm()
        await interaction.response.send_message(poll_render.resumed(resumed), ephemeral=True)

    @poll.command(name="unschedule", description="Stop a weekly poll for good (hosts)")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def unschedule(self, interaction: Interaction, schedule: int) -> None:
        found = await _service(interaction).get_schedule(_guild_id(interaction), schedule)
        view = UnscheduleConfirm(found.guild_id, found.id, interaction.user.id, self.timer.rearm)
        await interaction.response.send_message(poll_render.unschedule_prompt(found), view=view, ephemeral=True)

    @queue.command(name="add", description="Line up a question for a weekly poll (hosts)")
    @app_commands.describe(
        schedule="The weekly poll", question="The question for a coming week", options="2 to 10 answers, ; or |"
    )
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def queue_add(self, interaction: Interaction, schedule: int, question: str, options: str) -> None:
        found, position, when = await _service(interaction).queue_add(
            _guild_id(interaction), schedule, question, options, interaction.user.id
        )
        await interaction.response.send_message(poll_render.queued(found, position, when), ephemeral=True)

    @queue.command(name="list", description="Questions lined up for a weekly poll (hosts)")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def queue_list(self, interaction: Interaction, schedule: int) -> None:
        text = await _service(interaction).queue_text(_guild_id(interaction), schedule)
        await interaction.response.send_message(text, ephemeral=True)

    @poll.command(name="trend", description="Chart of voters and answers week by week for a weekly poll")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    async def trend(self, interaction: Interaction, schedule: int) -> None:
        card, chart = await _service(interaction).trend(_guild_id(interaction), schedule)
        await interaction.response.defer(thinking=True)
        embed, file = await poll_render.with_chart(card, chart)
        await interaction.followup.send(embed=embed, file=file)

    @poll.command(name="export", description="Download polls, answers and counts as CSV (hosts)")
    @app_commands.describe(schedule="Only this weekly poll (default: every poll)")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def export(self, interaction: Interaction, schedule: int | None = None) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        exported = await _service(interaction).export(_guild_id(interaction), schedule)
        await interaction.followup.send(
            exported.summary, file=discord.File(io.BytesIO(exported.data), filename=exported.name), ephemeral=True
        )
