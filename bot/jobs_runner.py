"""The one job runner (adapter side of bot.jobs): runs every Discord side effect the features enqueue.

Features register a handler per job kind (`bot.jobs.register(kind, handler, describe)`) in their cog's setup.
One asyncio task, started at the end of `setup_hook` (safe to call again), recovers jobs a dead process left
running, runs what is due, and waits for the next due time or for a wake-up (an enqueue). Discord's 5xx and
429 are retried with backoff (honouring `retry_after`); 403 and 404 end the job at once (dead) with a plain
reason, reported in the server's #mod-log with a moderator-only Retry button (cogs/jobs.py) that works after restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import discord

from bot.core.text import truncate
from bot.guild_config import Channel, GuildConfig
from bot.jobs.model import Failure, Job, JobState, JsonDict
from bot.jobs.service import JobService

log = logging.getLogger("coursebot.jobs")

WAKE_EVENT = "job_queue_wake"
PASS_RETRY = 60.0


class PermanentFailure(Exception):
    """Raised by a handler when trying again cannot help; the message is the plain reason moderators read."""


class RetryLater(Exception):
    """Raised by a handler when the step did not work yet but may later (a post Discord did not delete yet);
    the message is the plain reason moderators read if it never works."""


class JobContext:
    """What a handler gets besides the job: `record()` keeps progress (a posted message id) before the next
    step, so a retry after a crash or a failure continues instead of posting twice."""

    def __init__(self, service: JobService, job: Job) -> None:
        self._service = service
        self.job = job

    @property
    def result(self) -> JsonDict:
        return self.job.result

    async def record(self, **values: Any) -> None:
        merged = await self._service.record(self.job, values)
        self.job = dataclasses.replace(self.job, result=merged)


Handler = Callable[[Job, JobContext], Awaitable[JsonDict | None]]
Describe = Callable[[Job], str]


@dataclasses.dataclass(frozen=True)
class Kind:
    handler: Handler
    describe: Describe


class _Host(Protocol):
    """What the runner needs of the bot (keeps this module free of bot.app)."""

    @property
    def guild_config(self) -> GuildConfig: ...

    @property
    def job_service(self) -> JobService: ...


def has_component(message: discord.Message, custom_id: str) -> bool:
    """Whether a message carries a component with this custom_id: how a handler recognises its own earlier
    post (a review or incident post) before posting again."""
    for row in message.components:
        for child in getattr(row, "children", [row]):
            if getattr(child, "custom_id", None) == custom_id:
                return True
    return False


LOOK_BACK = 50
"""Recent messages in which a handler looks for an earlier attempt's post."""


async def earlier_post(
    client: discord.Client, channel: discord.abc.Messageable, found: Callable[[discord.Message], bool]
) -> discord.Message | None:
    """This bot's post among the channel's recent messages that `found` recognises: what a retried handler
    calls before posting again, so an attempt that posted but crashed before recording is not repeated."""
    me = client.user
    if me is None:
        return None
    async for message in channel.history(limit=LOOK_BACK):
        if message.author.id == me.id and found(message):
            return message
    return None


def guild_or_give_up(client: discord.Client, guild_id: int | None) -> discord.Guild:
    """The server a job is for; a job for a server the bot left can never succeed."""
    guild = client.get_guild(guild_id) if guild_id is not None else None
    if guild is None:
        raise PermanentFailure("the bot is no longer in that server")
    return guild


def classify(error: Exception) -> Failure:
    """How a failed attempt counts: Discord's outages and rate limits are retried, refusals are final."""
    if isinstance(error, PermanentFailure):
        return Failure(str(error), permanent=True)
    if isinstance(error, RetryLater):
        return Failure(str(error))
    if isinstance(error, discord.RateLimited):
        return Failure("Discord asked to slow down (rate limited).", retry_after=error.retry_after)
    if isinstance(error, discord.Forbidden):
        return Failure(f"Discord refused it: the bot lacks a permission there ({error.text or 'Forbidden'}).", True)
    if isinstance(error, discord.NotFound):
        return Failure(f"The channel, message or member is gone ({error.text or 'Not Found'}).", permanent=True)
    if isinstance(error, discord.HTTPException):
        if error.status == 429:
            retry_after = None
            with contextlib.suppress(AttributeError, TypeError, ValueError):
                retry_after = float(error.response.headers.get("Retry-After") or "")
            return Failure("Discord asked to slow down (rate limited).", retry_after=retry_after)
        if error.status >= 500:
            return Failure(f"Discord had an outage ({error.status}).")
        return Failure(f"Discord did not accept it ({error.status}: {error.text or 'Bad Request'}).", True)
    return Failure(f"{type(error).__name__}: {error}")


class JobRunner:
    """Runs the queue for one bot. `register()` per kind, `start()` in setup_hook, `run_now()` for a flow that
    wants its effect at once (the queue still owns it: a failure is retried later like any other)."""

    def __init__(self, bot: discord.Client) -> None:
        self.client = bot
        self._kinds: dict[str, Kind] = {}
        self._task: asyncio.Task[None] | None = None
        self._dirty = False
        self.retry_view: Callable[[int], discord.ui.View] | None = None
        """The #mod-log note's Retry button for a dead job (cogs/jobs.py sets it)."""

    @property
    def _host(self) -> _Host:
        return self.client  # type: ignore[return-value]

    @property
    def service(self) -> JobService:
        return self._host.job_service

    def register(self, kind: str, handler: Handler, describe: Describe | None = None) -> None:
        self._kinds[kind] = Kind(handler, describe or (lambda job: job.kind))

    def describe(self, job: Job) -> str:
        kind = self._kinds.get(job.kind)
        return kind.describe(job) if kind is not None else job.kind

    # -- the task --------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the runner (again after a restart: it recovers first); a second call only wakes it."""
        self.service.store.wake = self.wake
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="job-runner")
        else:
            self.wake()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def wake(self) -> None:
        self._dirty = True
        self.client.dispatch(WAKE_EVENT)

    async def _loop(self) -> None:
        await self.client.wait_until_ready()
        with contextlib.suppress(Exception):
            await self.service.recover()
        while not self.client.is_closed():
            delay: float | None
            try:
                delay = await asyncio.create_task(self._pass())  # the pass is short; the loop only waits
            except Exception:
                log.exception("the job pass failed; trying again in a minute")
                delay = PASS_RETRY
            if self._dirty:
                continue
            with contextlib.suppress(TimeoutError):
                await self.client.wait_for(WAKE_EVENT, timeout=delay)

    async def _pass(self) -> float | None:
        self._dirty = False
        await self.service.recover()
        while batch := await self.service.claim_due():
            for job in batch:
                await self._execute(job)
        return await self.service.seconds_to_next()  # None: nothing is due; only an enqueue wakes it

    async def run_now(self, job_id: int) -> Job | None:
        """Run one pending job at once (whatever its due time); the job as it is afterwards. When the runner
        already has it, or it is done, nothing runs and its current state is returned."""
        job = await self.service.claim(job_id)
        if job is None:
            return await self.service.get(job_id)
        after = await self._execute(job)
        if after.state is JobState.PENDING:
            self.wake()  # rescheduled: the runner's sleep must now end at its new due time
        return after

    async def run_key(self, key: str) -> Job | None:
        """`run_now` for the job with this idempotency key (None when there is none)."""
        job = await self.service.by_key(key)
        return await self.run_now(job.id) if job is not None else None

    async def _execute(self, job: Job) -> Job:
        kind = self._kinds.get(job.kind)
        context = JobContext(self.service, job)
        try:
            if kind is None:
                raise PermanentFailure(f"nothing handles jobs of kind {job.kind!r} (a feature not loaded?)")
            result = await kind.handler(job, context)
        except Exception as error:
            failure = classify(error)
            if not isinstance(error, discord.HTTPException | PermanentFailure | RetryLater):
                log.exception("job %s (%s) failed", job.id, job.kind)
            else:
                log.warning("job %s (%s) attempt %d failed: %s", job.id, job.kind, job.attempts, failure.reason)
            after = await self.service.fail(context.job, failure)
            if after.state is JobState.DEAD:
                await self._report_dead(after)
            return after
        await self.service.complete(context.job, result)
        return await self.service.get(job.id) or job

    async def _report_dead(self, job: Job) -> None:
        """Tell the server's moderators, with a Retry button (best effort: the job stays dead either way)."""
        guild = self.client.get_guild(job.guild_id) if job.guild_id is not None else None
        if guild is None:
            log.error("job %s (%s) gave up: %s", job.id, job.kind, job.last_error)
            return
        channel = await self._host.guild_config.resolve_channel(guild, Channel.MOD_LOG)
        text = dead_line(self.describe(job), job)
        if channel is None:
            log.error("job %s gave up in guild %s (no #mod-log): %s", job.id, guild.id, text)
            return
        try:
            if self.retry_view is not None:
                await channel.send(text, view=self.retry_view(job.id))
            else:
                await channel.send(text)
        except discord.HTTPException:
            log.exception("could not report dead job %s in #mod-log of guild %s", job.id, guild.id)


def dead_line(what: str, job: Job) -> str:
    return truncate(
        f"⚠️ I gave up trying to {what} after {job.attempts} attempt(s): {job.last_error or 'no reason given'} "
        "Fix the cause, then press Retry.",
        2000,
    )
