"""The polls feature's job handlers (bot/jobs_runner.py runs them): post a claimed weekly poll, close a poll
when its time is up, post a closed poll's results. The store enqueued each job with its state change
(bot.polls.effects); a handler records what it posted before the next step and, when an earlier attempt may
have posted, looks for that post before posting again, so a retry (after a 500, or a crash) never
double-posts. Discord's 5xx and 429 are retried by the runner; a refusal ends the job in #mod-log with Retry."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import discord

from bot import notify
from bot import render as bot_render
from bot.app import CourseBot
from bot.guild_config import Channel
from bot.jobs.model import Job, JsonDict
from bot.jobs_runner import JobContext, PermanentFailure, RetryLater, earlier_post, guild_or_give_up, has_component
from bot.polls import cards, effects
from bot.polls.model import PollRecord, WeekRun
from bot.polls.service import PollService
from cogs.polls import render
from cogs.polls.actions import Messageable, PollActions

log = logging.getLogger("coursebot.polls")


class PollJobs:
    def __init__(self, bot: CourseBot, actions: PollActions) -> None:
        self.bot = bot
        self.actions = actions

    def register(self) -> None:
        self.bot.jobs.register(effects.WEEK, self.week, self.describe)
        self.bot.jobs.register(effects.CLOSE, self.close, self.describe)
        self.bot.jobs.register(effects.RESULTS, self.results, self.describe)

    def describe(self, job: Job) -> str:
        return effects.describe(job.kind, job.payload)

    @property
    def service(self) -> PollService:
        return self.bot.services.polls

    # -- a weekly poll -------------------------------------------------------------------------------

    async def week(self, job: Job, context: JobContext) -> JsonDict:
        schedule_id, week = int(job.payload["schedule_id"]), date.fromisoformat(job.payload["week"])
        existing = await self.service.store.poll_for_week(schedule_id, week)
        if existing is not None and existing.message_id is not None:
            return {"poll_id": existing.id, "message_id": existing.message_id}  # an earlier attempt posted it
        run = await self.service.claimed_week(schedule_id, week)
        if run is None:
            return {"skipped": "the week is no longer waiting to be posted"}
        guild = guild_or_give_up(self.bot, run.schedule.guild_id)
        for occurrence in run.skipped:  # it waited past its voting window (a crash, a dead job retried late)
            await notify.mod_log(self.bot, guild, render.week_skipped(run.schedule, occurrence))
        if run.claim is None:
            return {"skipped": "its voting window had passed"}
        channel = guild.get_channel(run.schedule.channel_id)
        if not isinstance(channel, discord.TextChannel):
            channel = await self.bot.guild_config.resolve_channel(guild, Channel.POLLS)
        if channel is None:
            raise PermanentFailure("its channel was deleted and the server has no polls channel")
        record = await self._post_week(channel, run, existing, job, context)
        if run.late:
            await notify.mod_log(self.bot, guild, render.week_late(run.schedule, run.claim, record))
        return {"poll_id": record.id, "message_id": record.message_id}

    async def _post_week(
        self, channel: discord.TextChannel, run: WeekRun, existing: PollRecord | None, job: Job, context: JobContext
    ) -> PollRecord:
        assert run.claim is not None
        schedule, spec = run.schedule, self.service.week_spec(run)
        heading = render.week_heading(run.claim, run.late)
        if schedule.anonymous:
            record = existing or await self.actions.record(
                channel, spec, schedule.created_by, schedule.hidden_results, schedule.id, run.claim.week
            )
            await context.record(poll_id=record.id)
            marker = f"poll:mine:{record.id}"
            found = None
            if job.may_have_run_before:
                found = await earlier_post(self.bot, channel, lambda m: has_component(m, marker))
            if found is None:
                text, embed, view = self.actions.anonymous_post(record, heading)
                try:
                    found = await channel.send(content=text, embed=embed, view=view)
                except discord.HTTPException:
                    await self.service.anonymous_discarded(record.id)  # not up: the next attempt starts afresh
                    raise
            return await self.service.anonymous_posted(record.id, found.id)
        sent: discord.Message | None = None
        if (message_id := context.result.get("message_id")) is not None:
            sent = await channel.fetch_message(int(message_id))
        elif job.may_have_run_before:
            sent = await earlier_post(
                self.bot,
                channel,
                lambda m: m.poll is not None and m.poll.question == spec.question and m.content == heading,
            )
        if sent is None:
            sent = await channel.send(content=heading, poll=render.native_poll(spec))
            await context.record(message_id=sent.id)
        return await self.actions.record(
            channel, spec, schedule.created_by, schedule.hidden_results, schedule.id, run.claim.week, sent=sent
        )

    # -- closing and results ---------------------------------------------------------------------------

    async def close(self, job: Job, context: JobContext) -> JsonDict:
        poll_id = int(job.payload["poll_id"])
        record = await self.service.store.get_poll(poll_id)
        if record is None or not record.is_open:
            return {"skipped": "closed already"}
        if await self.actions.close(record, by_time=True) is None:
            current = await self.service.store.get_poll(poll_id)
            if current is not None and current.is_open:
                raise RetryLater("Discord has not finalised the poll's counts yet")
        return {"closed": True}

    async def results(self, job: Job, context: JobContext) -> JsonDict:
        record = await self.service.store.get_poll(int(job.payload["poll_id"]))
        if record is None or record.is_open:
            return {"skipped": "no closed poll to post results of"}
        if record.results_message_id is not None:
            return {"message_id": record.results_message_id}
        channel = self.bot.get_channel(record.channel_id)
        if not isinstance(channel, Messageable):
            raise PermanentFailure("the poll's channel is gone")
        poll_post = channel.get_partial_message(record.message_id) if record.message_id else None
        if record.anonymous and poll_post is not None and not context.result.get("post_closed"):
            try:  # the post shows it closed, without its buttons
                await poll_post.edit(embed=bot_render.embed(self.service.post_card(record)), view=None)
            except discord.HTTPException:
                log.warning("anonymous poll #%s: could not mark the post closed", record.id)
            await context.record(post_closed=True)
        sent: discord.Message | discord.PartialMessage | None = None
        if (message_id := context.result.get("message_id")) is not None:
            sent = channel.get_partial_message(int(message_id))
        elif job.may_have_run_before:
            footer = cards.results_marker(record)
            sent = await earlier_post(
                self.bot, channel, lambda m: bool(m.embeds) and (m.embeds[0].footer.text or "").startswith(footer)
            )
        if sent is None:
            embed, file = await render.with_chart(*self.service.results(record))
            under: dict[str, Any] = {}  # the results answer the poll's post, when it is still there
            if poll_post is not None:
                under["reference"] = poll_post.to_reference(fail_if_not_exists=False)
            sent = await channel.send(content=self.service.closed_text(record), embed=embed, file=file, **under)
            await context.record(message_id=sent.id)
        await self.service.results_posted(record, sent.id)
        return {"message_id": sent.id}
