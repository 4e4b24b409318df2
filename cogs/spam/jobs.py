"""The spam filter's job handlers (bot/jobs_runner.py runs them): the incident post in #mod-queue, the filter's
deletion of a flood, the author's DM, and a moderator's delete / timeout / ban. Each is safe to run again: a
deleted message that is gone already counts as deleted, a ban or timeout repeated changes nothing, and the
incident post is looked for before it is posted again."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import discord

from bot import notify
from bot.app import CourseBot
from bot.core.errors import UserError
from bot.core.text import plural, quote_inline
from bot.guild_config import Channel
from bot.jobs.model import Job, JsonDict
from bot.jobs_runner import JobContext, PermanentFailure, earlier_post, guild_or_give_up, has_component
from bot.spam import effects
from bot.spam.actions import SpamAction
from bot.spam.cards import author_notice
from bot.spam.model import Incident
from cogs.spam.buttons import incident_view, update_post
from cogs.spam.render import incident_embed

log = logging.getLogger(__name__)


class SpamJobs:
    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    def register(self) -> None:
        jobs = self.bot.jobs
        for kind, handler in (
            (effects.POST, self.post),
            (effects.AUTO_DELETE, self.auto_delete),
            (effects.TELL_AUTHOR, self.tell_author),
            (effects.ACT, self.act),
        ):
            jobs.register(kind, handler, self.describe)

    def describe(self, job: Job) -> str:
        number = job.payload.get("number")
        action = job.payload.get("action")
        label = SpamAction(action).label if action else None
        return effects.describe(job.kind, number, label)

    async def _incident(self, job: Job) -> tuple[discord.Guild, Incident] | None:
        spam = self.bot.services.spam
        try:
            incident = await spam.incident(job.guild_id or 0, job.payload["incident_id"])
        except UserError:
            return None
        return guild_or_give_up(self.bot, incident.guild_id), incident

    # -- the incident post ----------------------------------------------------------------------

    async def post(self, job: Job, context: JobContext) -> JsonDict:
        found = await self._incident(job)
        if found is None:
            return {"skipped": "the incident is gone"}
        guild, incident = found
        if incident.queue_message_id is not None:
            return {"message_id": incident.queue_message_id}
        queue = await self.bot.guild_config.resolve_channel(guild, Channel.MOD_QUEUE)
        if queue is None:
            return {"skipped": "no #mod-queue channel"}
        message: discord.Message | None = None
        if job.may_have_run_before:
            marker = SpamAction.DISMISS.custom_id(incident.id)
            message = await earlier_post(self.bot, queue, lambda m: has_component(m, marker))
        if message is None:
            message = await queue.send(
                embed=await incident_embed(self.bot, guild, incident), view=incident_view(incident)
            )
        await self.bot.services.spam.set_queue_post(incident.id, queue.id, message.id)
        return {"message_id": message.id, "channel_id": queue.id}

    # -- deleting ------------------------------------------------------------------------------

    async def _delete_copies(
        self, guild: discord.Guild, incident: Incident, by: int | None, context: JobContext
    ) -> tuple[list[int], list[str]]:
        """Delete the live copies; a copy that is gone already counts. Discord's outages are raised (the job
        is retried; what was deleted is recorded first, with the earlier attempts'), refusals returned as
        sentences. Returns every copy this job deleted, over all its attempts."""
        gone: list[int] = []
        problems: list[str] = []
        try:
            for copy in incident.live_copies:
                channel = guild.get_channel_or_thread(copy.channel_id)
                if not isinstance(channel, discord.abc.Messageable):
                    gone.append(copy.message_id)
                    continue
                try:
                    await channel.get_partial_message(copy.message_id).delete()
                except discord.NotFound:
                    pass
                except discord.Forbidden:
                    problems.append(
                        f"I can't delete messages in <#{copy.channel_id}>: my role needs Manage Messages there."
                    )
                    continue
                gone.append(copy.message_id)
        finally:
            gone = sorted({*context.result.get("gone", []), *gone})
            await context.record(gone=gone)
            await self.bot.services.spam.mark_deleted(incident, gone, by)
        return gone, problems

    async def auto_delete(self, job: Job, context: JobContext) -> JsonDict:
        found = await self._incident(job)
        if found is None:
            return {"skipped": "the incident is gone"}
        guild, incident = found
        spam = self.bot.services.spam
        gone, problems = await self._delete_copies(guild, incident, None, context)
        if problems and not context.result.get("problems_logged"):
            for problem in problems:
                await notify.mod_log(self.bot, guild, spam.log_line(incident, problem.rstrip(".")))
            await context.record(problems_logged=True)
        channel_id = incident.copies[-1].channel_id if incident.copies else 0
        done = await spam.auto_deleted(incident, gone, channel_id)
        await update_post(self.bot, guild, done.incident)
        return {"deleted": len(gone), "problems": problems}

    async def tell_author(self, job: Job, context: JobContext) -> JsonDict:
        guild = self.bot.get_guild(job.guild_id or 0)
        if guild is None:
            return {"skipped": "not in that server"}
        payload = job.payload
        channel = guild.get_channel(payload["channel_id"])
        text = author_notice(guild.name, channel.name if channel is not None else None, tuple(payload["reasons"]))
        try:
            user = guild.get_member(payload["author_id"]) or await self.bot.fetch_user(payload["author_id"])
            await user.send(text)
        except (discord.Forbidden, discord.NotFound):
            log.info("could not DM %s about spam incident %s", payload["author_id"], payload["incident_id"])
            return {"delivered": False}  # DMs closed, or the account is gone
        return {"delivered": True}

    # -- a moderator's action ---------------------------------------------------------------------

    async def act(self, job: Job, context: JobContext) -> JsonDict:
        found = await self._incident(job)
        if found is None:
            return {"refused": "I can't find this incident any more."}
        guild, incident = found
        action = SpamAction(job.payload["action"])
        moderator_id, moderator_name = job.payload["moderator_id"], job.payload["moderator_name"]
        spam = self.bot.services.spam
        try:
            spam.require_enabled(incident, action)
            outcome = await self._do(guild, incident, action, moderator_id, moderator_name, context)
        except UserError as refused:
            return {"refused": str(refused)}
        await update_post(self.bot, guild, await spam.incident(guild.id, incident.id))
        return outcome

    async def _do(
        self,
        guild: discord.Guild,
        incident: Incident,
        action: SpamAction,
        moderator_id: int,
        moderator_name: str,
        context: JobContext,
    ) -> JsonDict:
        spam = self.bot.services.spam
        reason = f"Spam incident #{incident.number}, by {moderator_name} ({moderator_id})"
        what, detail = "", ""
        member: Any = None
        if action is SpamAction.TIMEOUT:
            minutes = await spam.timeout_minutes(guild.id)
            member = await _member(guild, incident.author_id)
            if member is not None:
                try:
                    await member.timeout(timedelta(minutes=minutes), reason=reason)
                except discord.Forbidden:
                    raise PermanentFailure(
                        f"I can't time out {quote_inline(member.display_name, 64)}: my role needs the Timeout "
                        "Members permission and must be above theirs."
                    ) from None
        elif action is SpamAction.CONFIRM_BAN:
            try:
                await guild.ban(discord.Object(incident.author_id), reason=reason, delete_message_seconds=0)
            except discord.Forbidden:
                name = quote_inline(incident.author_name, 64) or "the author"
                raise PermanentFailure(
                    f"I can't ban {name}: my role needs the Ban Members permission and must be above theirs."
                ) from None
        deleted, problems = await self._delete_copies(guild, incident, moderator_id, context)
        if action is SpamAction.DELETE and problems and not deleted:
            raise PermanentFailure("\n".join(problems))
        count = plural(len(deleted), "message")
        if action is SpamAction.DELETE:
            what, detail = f"deleted {count}", count
        elif action is SpamAction.TIMEOUT:
            minutes = await spam.timeout_minutes(guild.id)
            length = plural(minutes, "minute")
            what = f"deleted {count} and timed the author out for {length}"
            detail = length
            if member is None:
                what, detail = f"deleted {count} (the author had left, so no timeout)", "author had left"
        else:
            what, detail = f"banned the author ({count} deleted)", count
        decided = await spam.record(incident, action, moderator_id, moderator_name, what, detail)
        return {"deleted": len(deleted), "problems": problems, "log": decided.log}


async def _member(guild: discord.Guild, member_id: int) -> discord.Member | None:
    """The member from the cache or from Discord; None when they left."""
    member = guild.get_member(member_id)
    if member is None:
        try:
            member = await guild.fetch_member(member_id)
        except discord.NotFound:
            return None
    return member
