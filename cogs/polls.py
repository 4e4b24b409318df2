"""Polls: native Discord polls for hosts, votes recorded, results with a chart, weekly schedules with a queue."""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import replace
from datetime import date, datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands, tasks
from discord.utils import escape_markdown, format_dt, utcnow

from bot import notify
from bot.app import CourseBot
from bot.checks import has_role, require
from bot.errors import UserError
from bot.guild_config import Channel
from bot.permissions import Role
from bot.polls.charts import render_results, render_trend
from bot.polls.export import polls_csv
from bot.polls.models import Claim, PollRecord, ScheduleRecord
from bot.polls.options import (
    DEFAULT_DURATION_HOURS,
    MAX_DURATION_HOURS,
    AnswerSpec,
    PollInputError,
    PollSpec,
    build_poll,
)
from bot.polls.results import chart_bars, share_base, shown_label, summary_lines, trend_weeks
from bot.polls.schedule import (
    WEEKDAYS,
    Occurrence,
    ScheduleInputError,
    WeeklySlot,
    is_late,
    next_run,
    parse_time_of_day,
    plan_due,
    remaining_hours,
)
from bot.storage.polls import NewPoll, NewSchedule, PollStore
from bot.timezones import is_timezone, suggest_timezones

log = logging.getLogger("coursebot.polls")

MAX_SLEEP = timedelta(hours=6)
"""The loop wakes at least this often, even with nothing due (a safety net; changes re-arm it)."""
RETRY_AFTER = timedelta(minutes=1)
FINALISE_GRACE = timedelta(minutes=10)
"""How long to wait for Discord to finalise the counts of a poll that ran out, before taking them as they are."""
MAX_WEEKLY_HOURS = 168
SCHEDULES_SHOWN = 10
"""Schedules listed in one embed: ten fields of up to ~500 characters stay within Discord's 6,000."""
QUEUE_SHOWN = 12
"""Queued questions listed in one message: twelve lines of up to ~130 characters stay within 2,000."""
WEEKDAY_CHOICES = [app_commands.Choice(name=name, value=index) for index, name in enumerate(WEEKDAYS)]
COLOUR = discord.Colour.blurple()


def _discord_poll(question: str, answers: tuple[AnswerSpec, ...], hours: int, multiselect: bool) -> discord.Poll:
    poll = discord.Poll(question=question, duration=timedelta(hours=hours), multiple=multiselect)
    for answer in answers:
        emoji: str | discord.PartialEmoji | None = answer.emoji
        if answer.emoji is not None and answer.emoji.startswith("<"):
            emoji = discord.PartialEmoji.from_str(answer.emoji)
        poll.add_answer(text=answer.text, emoji=emoji)
    return poll


def _spec(question: str, options: str, duration_hours: int, multiselect: bool) -> PollSpec:
    try:
        return build_poll(question, options, duration_hours, multiselect)
    except PollInputError as error:
        raise UserError("I didn't post the poll:\n" + "\n".join(f"• {p}" for p in error.problems)) from None


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Polls(commands.Cog):
    """`/poll ...`: one-off and weekly polls, results with charts, trends and CSV export."""

    poll = app_commands.Group(name="poll", description="Polls: vote, see results; hosts run them", guild_only=True)
    queue = app_commands.Group(name="queue", description="Questions lined up for a weekly poll", parent=poll)

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    @property
    def store(self) -> PollStore:
        return PollStore(self.bot.db)

    # -- life cycle ----------------------------------------------------------------------------

    async def restore_state(self) -> None:
        """Start the loop; its first pass catches up on polls that ended and weeks missed while down."""
        if not self.due_loop.is_running():
            self.due_loop.start()

    async def cog_unload(self) -> None:
        self.due_loop.cancel()

    @tasks.loop(hours=6)
    async def due_loop(self) -> None:
        # Each pass runs as its own short task and the loop only sleeps: the loop never holds a database
        # call across its sleep, and a test clock (SimCord) sees the pass finish and moves on at once.
        try:
            self._plan_wake(await asyncio.create_task(self._due_pass()))
        except Exception:
            log.exception("the poll pass failed; trying again in a minute")
            self._plan_wake(utcnow() + timedelta(minutes=1))

    @due_loop.before_loop
    async def _before_loop(self) -> None:
        await self.bot.wait_until_ready()

    async def _due_pass(self) -> datetime | None:
        await self.run_due()
        return await self.store.next_due()

    async def rearm(self) -> None:
        """Re-plan the loop's sleep after a change (a poll posted, a schedule added, paused or resumed)."""
        self._plan_wake(await self.store.next_due())

    def _plan_wake(self, due: datetime | None) -> None:
        """Sleep until `due` (at most MAX_SLEEP), re-planning a sleep already under way."""
        loop = self.due_loop
        planned = loop.next_iteration
        if not loop.is_running() or planned is None:
            return
        now = utcnow()
        target = min(due or now + MAX_SLEEP, now + MAX_SLEEP)
        if target <= now:  # something due failed this pass: try again soon, not in a busy loop
            target = now + RETRY_AFTER
        # A relative loop wakes at (last iteration + interval); recover the last iteration from the plan.
        current = timedelta(hours=loop.hours or 0, minutes=loop.minutes or 0, seconds=loop.seconds or 0)
        loop.change_interval(seconds=max((target - (planned - current)).total_seconds(), 0.0))

    async def run_due(self) -> None:
        """Fire every schedule due, then close every poll whose time is up."""
        now = utcnow()
        for schedule in await self.store.schedules_due(now):
            try:
                await self._fire(schedule, now)
            except Exception:
                log.exception("weekly poll #%s failed to fire", schedule.id)
        for record in await self.store.polls_due(utcnow()):
            try:
                await self._close(record, by_time=True)
            except Exception:
                log.exception("poll #%s failed to close", record.id)

    # -- voting --------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_raw_poll_vote_add(self, payload: discord.RawPollVoteActionEvent) -> None:
        await self.store.record_vote(payload.message_id, payload.user_id, payload.answer_id, utcnow())

    @commands.Cog.listener()
    async def on_raw_poll_vote_remove(self, payload: discord.RawPollVoteActionEvent) -> None:
        await self.store.remove_vote(payload.message_id, payload.user_id, payload.answer_id)

    # -- posting and closing -------------------------------------------------------------------

    async def _default_channel(self, interaction: discord.Interaction) -> discord.TextChannel:
        assert interaction.guild is not None
        channel = await self.bot.guild_config.resolve_channel(interaction.guild, Channel.POLLS)
        if channel is None and isinstance(interaction.channel, discord.TextChannel):
            channel = interaction.channel
        if channel is None:
            raise UserError("I don't know where to post: pick a `channel`, or ask an admin to set up #polls.")
        return channel

    async def _fetch_message(self, record: PollRecord) -> discord.Message | None:
        channel = self.bot.get_channel(record.channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread) or record.message_id is None:
            return None
        try:
            return await channel.fetch_message(record.message_id)
        except (discord.NotFound, discord.Forbidden):  # deleted, or no longer readable: use the votes seen
            return None

    async def _discord_counts(self, record: PollRecord, message: discord.Message) -> tuple[dict[int, int], int]:
        """Counts per answer and the number of voters, as Discord has them."""
        assert message.poll is not None
        counts = {answer.id: answer.vote_count for answer in message.poll.answers}
        if not record.multiselect:
            return counts, sum(counts.values())
        voters: set[int] = set()
        for answer in message.poll.answers:
            if answer.vote_count:
                voters.update([user.id async for user in answer.voters(limit=None)])
        return counts, len(voters)

    async def _close(
        self, record: PollRecord, *, by_time: bool, message: discord.Message | None = None
    ) -> PollRecord | None:
        """Read the final counts from Discord, store them and post the results.

        Returns the closed poll (its `results_message_id` is None if the results could not be posted), or
        None if it was already closed or Discord has not finalised it yet."""
        message = message or await self._fetch_message(record)
        now = utcnow()
        if message is not None and message.poll is not None:
            planned_end = record.created_at + timedelta(hours=record.duration_hours)
            if by_time and not message.poll.is_finalised() and now < planned_end + FINALISE_GRACE:
                await self.store.postpone_end(record.id, now + RETRY_AFTER)
                return None
            counts, voters = await self._discord_counts(record, message)
            source = "discord"
        else:  # the poll message is gone: keep what the bot saw
            counts = {answer.answer_id: answer.seen_count for answer in record.answers}
            voters, source = record.seen_voters, "seen"
        if not await self.store.finish_poll(record.id, counts=counts, voters=voters, source=source, ended_at=now):
            return None
        final = await self.store.get_poll(record.id)
        assert final is not None
        sent = await self._post_results(final, message)
        return replace(final, results_message_id=sent.id) if sent is not None else final

    async def _post_results(self, record: PollRecord, message: discord.Message | None) -> discord.Message | None:
        """Post the final results in the poll's channel; when that fails, say so in #mod-log."""
        channel = self.bot.get_channel(record.channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            log.warning("poll #%s: channel %s is gone, no results posted", record.id, record.channel_id)
            return None
        embed, file = await self._results_embed(record, final=True)
        sent = await notify.send_safely(
            self.bot,
            channel,
            content=f"📊 The poll is closed. Results of **{escape_markdown(_short(record.question))}**:",
            embed=embed,
            file=file,
            reference=message.to_reference(fail_if_not_exists=False) if message else None,
        )
        if sent is not None:
            await self.store.set_results_message(record.id, sent.id)
        else:
            await notify.mod_log(
                self.bot,
                channel.guild,
                f"⚠️ Poll #{record.id} closed, but I could not post its results in {channel.mention}. "
                f"The counts are stored: `/poll results poll:{record.id}` shows them.",
            )
        return sent

    async def _results_embed(self, record: PollRecord, *, final: bool) -> tuple[discord.Embed, discord.File]:
        voters = record.voter_count
        state = "Final results" if final else "Results so far"
        subtitle = f"{state} · {voters} voter{'s' if voters != 1 else ''}"
        if record.counts_source == "seen":
            subtitle += " · votes the bot saw (the poll message was deleted)"
        png = await asyncio.to_thread(
            render_results, record.question, chart_bars(record), subtitle=subtitle, total=share_base(record)
        )
        name = f"poll-{record.id}.png"
        embed = discord.Embed(
            title=_short(record.question, 250),
            url=record.jump_url(),
            colour=COLOUR,
            description="\n".join(summary_lines(record)),
        )
        embed.set_image(url=f"attachment://{name}")
        closes = "closed" if not record.is_open else "closes"
        when = record.ended_at if record.ended_at else record.ends_at
        embed.add_field(name="Voters", value=str(voters))
        embed.add_field(name=closes.capitalize(), value=format_dt(when, "R"))
        footer = f"Poll #{record.id} · {state.lower()}"
        if record.multiselect:
            footer += " · several answers allowed: shares are of voters"
        if record.counts_source == "seen":
            footer += " · the poll message was deleted, so these are the votes the bot saw"
        embed.set_footer(text=footer)
        return embed, discord.File(io.BytesIO(png), filename=name)

    async def _post_poll(
        self,
        channel: discord.TextChannel,
        spec: PollSpec,
        *,
        content: str,
        created_by: int,
        hidden_results: bool = False,
        caller: discord.Interaction | None = None,
        schedule_id: int | None = None,
        week: date | None = None,
    ) -> PollRecord | None:
        poll = _discord_poll(spec.question, spec.answers, spec.duration_hours, spec.multiselect)
        sent = await notify.send_safely(self.bot, channel, caller=caller, content=content, poll=poll)
        if sent is None:
            return None
        now = utcnow()
        expires = sent.poll.expires_at if sent.poll is not None else None
        poll_id = await self.store.add_poll(
            NewPoll(
                guild_id=channel.guild.id,
                channel_id=channel.id,
                message_id=sent.id,
                question=spec.question,
                answers=spec.answers,
                multiselect=spec.multiselect,
                hidden_results=hidden_results,
                duration_hours=spec.duration_hours,
                created_by=created_by,
                created_at=now,
                ends_at=expires or now + timedelta(hours=spec.duration_hours),
                schedule_id=schedule_id,
                week=week,
            )
        )
        await self.rearm()
        return await self.store.get_poll(poll_id)

    async def _fire(self, schedule: ScheduleRecord, now: datetime) -> None:
        """Post this week's poll (late if the bot was down but the poll would still be open), skip older weeks."""
        plan = plan_due(schedule.slot, schedule.next_run_at, now, schedule.duration_hours)
        assert plan.next_due is not None
        claim, skipped = await self.store.claim_week(schedule, plan.post, plan.skipped, plan.next_due, now)
        guild = self.bot.get_guild(schedule.guild_id)
        if guild is None:
            if claim is not None:
                await self.store.fail_claim(claim)
            log.warning("weekly poll #%s: server %s is not available", schedule.id, schedule.guild_id)
            return
        for occurrence in skipped:
            await notify.mod_log(self.bot, guild, self._skipped_text(schedule, occurrence))
        if claim is not None:
            await self._post_claim(guild, claim, now)

    def _skipped_text(self, schedule: ScheduleRecord, occurrence: Occurrence) -> str:
        return (
            f"⏭️ Skipped weekly poll #{schedule.id} (“{_short(schedule.question, 80)}”) for "
            f"{occurrence.day:%A %d %B %Y}: I was offline at {format_dt(occurrence.due, 'f')} and the poll "
            f"would already have closed ({schedule.duration_hours} h)."
        )

    async def _post_claim(self, guild: discord.Guild, claim: Claim, now: datetime) -> None:
        schedule = claim.schedule
        channel = guild.get_channel(schedule.channel_id)
        if not isinstance(channel, discord.TextChannel):
            channel = await self.bot.guild_config.resolve_channel(guild, Channel.POLLS)
        late = is_late(claim.due, now)
        hours = remaining_hours(claim.due, schedule.duration_hours, now) if late else schedule.duration_hours
        spec = PollSpec(claim.question, claim.answers, hours, schedule.multiselect)
        content = f"🗓️ Weekly poll · {claim.week:%A %d %B}"
        if late:
            content += f" (posted late: I was offline at {format_dt(claim.due, 't')})"
        record = None
        if channel is not None:
            record = await self._post_poll(
                channel,
                spec,
                content=content,
                created_by=schedule.created_by,
                schedule_id=schedule.id,
                week=claim.week,
            )
        if record is None:
            await self.store.fail_claim(claim)
            where = channel.mention if channel else "its channel (deleted)"
            await notify.mod_log(
                self.bot,
                guild,
                f"⚠️ Weekly poll #{schedule.id} could not be posted in {where} for {claim.week:%d %B}.",
            )
        elif late:
            where = f"<#{record.channel_id}>"
            await notify.mod_log(
                self.bot,
                guild,
                f"⏰ Weekly poll #{schedule.id} for {claim.week:%A %d %B} was posted late in {where} "
                f"(due {format_dt(claim.due, 'f')}); it closes {format_dt(record.ends_at, 'R')}.",
            )

    # -- autocomplete --------------------------------------------------------------------------

    async def _poll_choices(
        self, interaction: discord.Interaction, current: str, *, open_only: bool
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        found = await self.store.search_polls(interaction.guild_id, current, open_only=open_only)
        return [
            app_commands.Choice(name=_short(f"#{pid} {question}" + ("" if is_open else " (closed)"), 100), value=pid)
            for pid, question, is_open in found
        ]

    async def open_poll_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        return await self._poll_choices(interaction, current, open_only=True)

    async def any_poll_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        return await self._poll_choices(interaction, current, open_only=False)

    async def schedule_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        return [
            app_commands.Choice(name=_short(f"#{sid} {question}", 100), value=sid)
            for sid, question in await self.store.search_schedules(interaction.guild_id, current)
        ]

    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=name, value=name) for name in suggest_timezones(current)]

    async def _poll(self, interaction: discord.Interaction, poll_id: int) -> PollRecord:
        assert interaction.guild_id is not None
        record = await self.store.get_poll(poll_id, interaction.guild_id)
        if record is None:
            raise UserError(f"There is no poll #{poll_id} in this server. Pick one from the list.")
        return record

    async def _schedule(self, interaction: discord.Interaction, schedule_id: int) -> ScheduleRecord:
        assert interaction.guild_id is not None
        schedule = await self.store.get_schedule(schedule_id, interaction.guild_id)
        if schedule is None:
            raise UserError(f"There is no weekly poll #{schedule_id} in this server. Pick one from the list.")
        return schedule

    # -- one-off polls -------------------------------------------------------------------------

    @poll.command(name="create", description="Post a poll (hosts)")
    @app_commands.describe(
        question="What you ask (up to 300 characters)",
        options="2 to 10 answers separated by ; or | — an emoji may lead each, e.g. 🔥 SEO; 📧 Email",
        duration_hours="How long voting stays open, 1 to 768 hours (default 24)",
        multiselect="Let people pick more than one answer",
        channel="Where to post (default: the polls channel)",
        hidden_results="Show learners /poll results only privately while the poll is open",
    )
    @require(Role.HOST)
    async def create(
        self,
        interaction: discord.Interaction,
        question: str,
        options: str,
        duration_hours: int = DEFAULT_DURATION_HOURS,
        multiselect: bool = False,
        channel: discord.TextChannel | None = None,
        hidden_results: bool = False,
    ) -> None:
        spec = _spec(question, options, duration_hours, multiselect)
        target = channel or await self._default_channel(interaction)
        record = await self._post_poll(
            target,
            spec,
            content=f"📊 Poll from {interaction.user.mention}",
            created_by=interaction.user.id,
            hidden_results=hidden_results,
            caller=interaction,
        )
        if record is None:
            return  # send_safely told the caller why
        await interaction.response.send_message(
            f"Poll #{record.id} is up in {target.mention}: {record.jump_url()}\n"
            f"It closes {format_dt(record.ends_at, 'R')}; I'll post the results with a chart there.",
            ephemeral=True,
        )

    @poll.command(name="end", description="Close a poll now and post its results (hosts)")
    @app_commands.describe(poll="The poll to close")
    @app_commands.autocomplete(poll=open_poll_autocomplete)
    @require(Role.HOST)
    async def end(self, interaction: discord.Interaction, poll: int) -> None:
        record = await self._poll(interaction, poll)
        if not record.is_open:
            raise UserError(f"Poll #{record.id} has already closed; `/poll results` shows its counts.")
        await interaction.response.defer(thinking=True, ephemeral=True)
        message = await self._fetch_message(record)
        if message is not None and message.poll is not None and not message.poll.is_finalised():
            try:
                message = await message.end_poll()
            except discord.HTTPException as error:
                log.warning("poll #%s: could not end it on Discord: %s", record.id, error)
                raise UserError(
                    f"Discord did not let me close poll #{record.id} just now, so it stays open. "
                    "Please try again in a moment."
                ) from None
        closed = await self._close(record, by_time=False, message=message)
        if closed is None:
            text = f"Poll #{record.id} was already closed."
        elif closed.results_message_id is None:
            text = (
                f"Poll #{record.id} is closed and its counts are stored, but I could not post the results in "
                f"<#{record.channel_id}>. `/poll results poll:{record.id}` shows them."
            )
        else:
            text = f"Poll #{record.id} is closed; the results are posted in <#{record.channel_id}>."
        await interaction.followup.send(text, ephemeral=True)

    @poll.command(name="results", description="See a poll's counts and chart")
    @app_commands.describe(poll="The poll to show")
    @app_commands.autocomplete(poll=any_poll_autocomplete)
    async def results(self, interaction: discord.Interaction, poll: int) -> None:
        record = await self._poll(interaction, poll)
        private = record.is_open and record.hidden_results and not await has_role(interaction, Role.HOST)
        await interaction.response.defer(thinking=True, ephemeral=private)
        if record.is_open:
            message = await self._fetch_message(record)
            if message is not None and message.poll is not None:
                counts, voters = await self._discord_counts(record, message)
                answers = tuple(replace(a, final_count=counts.get(a.answer_id, 0)) for a in record.answers)
                record = replace(record, answers=answers, voters=voters)
        embed, file = await self._results_embed(record, final=not record.is_open)
        await interaction.followup.send(embed=embed, file=file, ephemeral=private)

    @poll.command(name="list", description="Recent polls in this server")
    async def list_polls(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        polls = await self.store.recent_polls(interaction.guild_id, limit=10)
        if not polls:
            await interaction.response.send_message("No polls yet in this server.", ephemeral=True)
            return
        embed = discord.Embed(title="Recent polls", colour=COLOUR)
        for record in polls:
            if record.is_open:
                state = f"open · closes {format_dt(record.ends_at, 'R')} · {record.voter_count} voted so far"
            else:
                top = max(record.answers, key=lambda a: a.count, default=None)
                leader = f" · top: {shown_label(top)} ({top.count})" if top and top.count else ""
                state = f"closed · {record.voter_count} voters{leader}"
            link = f" · [open]({record.jump_url()})" if record.message_id else ""
            embed.add_field(
                name=_short(f"#{record.id} {escape_markdown(record.question)}", 250),
                value=_short(state + link, 1000),
                inline=False,
            )
        embed.set_footer(text="/poll results shows the counts and chart of any poll")
        await interaction.response.send_message(embed=embed, ephemeral=True)

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
    )
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @require(Role.HOST)
    async def schedule(
        self,
        interaction: discord.Interaction,
        question: str,
        options: str,
        weekday: app_commands.Choice[int],
        time: str,
        timezone: str | None = None,
        duration_hours: int = DEFAULT_DURATION_HOURS,
        channel: discord.TextChannel | None = None,
        multiselect: bool = False,
    ) -> None:
        assert interaction.guild is not None
        problems: list[str] = []
        try:
            spec: PollSpec | None = build_poll(question, options, duration_hours, multiselect)
        except PollInputError as error:
            spec, problems = None, list(error.problems)
        if MAX_WEEKLY_HOURS < duration_hours <= MAX_DURATION_HOURS:
            problems.append(
                f"A weekly poll must close within a week ({MAX_WEEKLY_HOURS} hours) so the weeks don't overlap."
            )
        try:
            at = parse_time_of_day(time)
        except ScheduleInputError as error:
            problems.append(str(error))
        zone = timezone or await self.bot.guild_config.timezone(interaction.guild.id)
        if not is_timezone(zone):
            problems.append(f"I don't know the time zone “{zone}”. Pick one from the list, e.g. Europe/London.")
        if problems or spec is None:
            raise UserError("I didn't schedule the poll:\n" + "\n".join(f"• {p}" for p in problems))
        target = channel or await self._default_channel(interaction)
        slot = WeeklySlot(weekday.value, at, zone)
        now = utcnow()
        _, first = next_run(slot, now)
        schedule_id = await self.store.add_schedule(
            NewSchedule(
                guild_id=interaction.guild.id,
                channel_id=target.id,
                question=spec.question,
                answers=spec.answers,
                weekday=slot.weekday,
                time_of_day=at,
                timezone=zone,
                duration_hours=duration_hours,
                multiselect=multiselect,
                next_run_at=first,
                created_by=interaction.user.id,
                created_at=now,
            )
        )
        await self.rearm()
        await interaction.response.send_message(
            f"Weekly poll #{schedule_id} scheduled in {target.mention}: {slot.describe()}, open {duration_hours} h.\n"
            f"First one: {format_dt(first, 'F')} ({format_dt(first, 'R')}). "
            f"Line up other questions with `/poll queue add`.",
            ephemeral=True,
        )
        await notify.mod_log(
            self.bot,
            interaction.guild,
            f"🗓️ {interaction.user} scheduled weekly poll #{schedule_id} in {target.mention}: {slot.describe()}.",
        )

    @poll.command(name="schedules", description="Weekly polls and their next run (hosts)")
    @require(Role.HOST)
    async def schedules(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        found = await self.store.schedules(interaction.guild_id)
        if not found:
            await interaction.response.send_message(
                "No weekly polls yet. Create one with `/poll schedule`.", ephemeral=True
            )
            return
        embed = discord.Embed(title="Weekly polls", colour=COLOUR)
        for schedule in found[:SCHEDULES_SHOWN]:
            if schedule.paused:
                state = "⏸️ paused (`/poll resume` to restart)"
            else:
                due = schedule.next_run_at
                state = f"next: {format_dt(due, 'F')} ({format_dt(due, 'R')})"
            queued = f" · {schedule.queued} queued question{'s' if schedule.queued != 1 else ''}"
            embed.add_field(
                name=_short(f"#{schedule.id} {escape_markdown(schedule.question)}", 250),
                value=f"{schedule.slot.describe()} in <#{schedule.channel_id}> · open {schedule.duration_hours} h"
                f"{queued}\n{state}",
                inline=False,
            )
        if len(found) > SCHEDULES_SHOWN:
            embed.set_footer(
                text=f"The first {SCHEDULES_SHOWN} of {len(found)} weekly polls; "
                "the schedule option of /poll pause and /poll unschedule finds the others."
            )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @poll.command(name="pause", description="Pause a weekly poll (hosts)")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def pause(self, interaction: discord.Interaction, schedule: int) -> None:
        found = await self._schedule(interaction, schedule)
        if found.paused:
            raise UserError(f"Weekly poll #{found.id} is already paused.")
        await self.store.set_paused(found.id, True)
        await self.rearm()
        await interaction.response.send_message(
            f"Weekly poll #{found.id} is paused; no poll goes out until you `/poll resume` it.", ephemeral=True
        )

    @poll.command(name="resume", description="Resume a paused weekly poll (hosts)")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def resume(self, interaction: discord.Interaction, schedule: int) -> None:
        found = await self._schedule(interaction, schedule)
        if not found.paused:
            raise UserError(f"Weekly poll #{found.id} is not paused.")
        _, upcoming = next_run(found.slot, utcnow())
        await self.store.set_paused(found.id, False, upcoming)
        await self.rearm()
        await interaction.response.send_message(
            f"Weekly poll #{found.id} is back on. Next: {format_dt(upcoming, 'F')} ({format_dt(upcoming, 'R')}).",
            ephemeral=True,
        )

    @poll.command(name="unschedule", description="Stop a weekly poll for good (hosts)")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def unschedule(self, interaction: discord.Interaction, schedule: int) -> None:
        found = await self._schedule(interaction, schedule)
        await self.store.remove_schedule(found.id, utcnow())
        await self.rearm()
        await interaction.response.send_message(
            f"Weekly poll #{found.id} (“{escape_markdown(_short(found.question))}”) is stopped. Its past polls "
            "stay in `/poll list` and `/poll export`.",
            ephemeral=True,
        )
        assert interaction.guild is not None
        await notify.mod_log(self.bot, interaction.guild, f"🗑️ {interaction.user} stopped weekly poll #{found.id}.")

    @queue.command(name="add", description="Line up a question for a weekly poll (hosts)")
    @app_commands.describe(
        schedule="The weekly poll", question="The question for a coming week", options="2 to 10 answers, ; or |"
    )
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def queue_add(self, interaction: discord.Interaction, schedule: int, question: str, options: str) -> None:
        found = await self._schedule(interaction, schedule)
        spec = _spec(question, options, found.duration_hours, found.multiselect)
        await self.store.add_to_queue(found.id, spec.question, spec.answers, interaction.user.id, utcnow())
        position = found.queued + 1
        when = "" if found.paused else f" It goes out on {self._nth_run(found, position)}."
        await interaction.response.send_message(
            f"Queued for weekly poll #{found.id} as question {position} in line.{when}", ephemeral=True
        )

    def _nth_run(self, schedule: ScheduleRecord, n: int) -> str:
        due = schedule.next_run_at
        for _ in range(n - 1):
            _, due = next_run(schedule.slot, due)
        return format_dt(due, "D")

    @queue.command(name="list", description="Questions lined up for a weekly poll (hosts)")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def queue_list(self, interaction: discord.Interaction, schedule: int) -> None:
        found = await self._schedule(interaction, schedule)
        items = await self.store.queue(found.id)
        if not items:
            await interaction.response.send_message(
                f"Nothing queued: weekly poll #{found.id} asks “{escape_markdown(found.question)}” each week.",
                ephemeral=True,
            )
            return
        lines = [
            f"{n}. {self._nth_run(found, n)}: {escape_markdown(_short(item.question))}"
            for n, item in enumerate(items[:QUEUE_SHOWN], start=1)
        ]
        if len(items) > QUEUE_SHOWN:
            lines.append(f"… and {len(items) - QUEUE_SHOWN} more queued.")
        await interaction.response.send_message(
            f"Coming up on weekly poll #{found.id}:\n" + "\n".join(lines), ephemeral=True
        )

    @poll.command(name="trend", description="Chart of voters and answers week by week for a weekly poll")
    @app_commands.describe(schedule="The weekly poll")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    async def trend(self, interaction: discord.Interaction, schedule: int) -> None:
        found = await self._schedule(interaction, schedule)
        polls = [p for p in await self.store.schedule_polls(found.id) if not p.is_open]
        if not polls:
            raise UserError(f"Weekly poll #{found.id} has no closed weeks yet; the trend starts after the first.")
        await interaction.response.defer(thinking=True)
        weeks = trend_weeks(polls)
        title = f"Weekly poll #{found.id}: {found.question}"
        png = await asyncio.to_thread(render_trend, title, weeks)
        voters = [week.voters for week in weeks]
        embed = discord.Embed(
            title=_short(title, 250),
            colour=COLOUR,
            description=f"{len(weeks)} week{'s' if len(weeks) != 1 else ''} · voters per week: "
            + ", ".join(map(str, voters))
            + f" · average {sum(voters) / len(voters):.1f}",
        )
        name = f"poll-trend-{found.id}.png"
        embed.set_image(url=f"attachment://{name}")
        await interaction.followup.send(embed=embed, file=discord.File(io.BytesIO(png), filename=name))

    @poll.command(name="export", description="Download polls, answers and counts as CSV (hosts)")
    @app_commands.describe(schedule="Only this weekly poll (default: every poll)")
    @app_commands.autocomplete(schedule=schedule_autocomplete)
    @require(Role.HOST)
    async def export(self, interaction: discord.Interaction, schedule: int | None = None) -> None:
        assert interaction.guild_id is not None
        if schedule is not None:
            await self._schedule(interaction, schedule)
        await interaction.response.defer(thinking=True, ephemeral=True)
        polls = await self.store.polls_for_export(interaction.guild_id, schedule)
        if not polls:
            await interaction.followup.send("There are no polls to export yet.", ephemeral=True)
            return
        data = polls_csv(polls).encode("utf-8")
        name = f"polls-schedule-{schedule}.csv" if schedule is not None else "polls.csv"
        await interaction.followup.send(
            f"{len(polls)} poll{'s' if len(polls) != 1 else ''}, one row per answer "
            "(final counts from Discord; open polls show the votes seen so far).",
            file=discord.File(io.BytesIO(data), filename=name),
            ephemeral=True,
        )


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(Polls(bot))
