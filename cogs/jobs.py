"""The job queue on Discord: the Retry button on a dead job's #mod-log note (moderators only; the job id in its
custom_id makes it work after any restart) and the shared #mod-log line job. The runner is bot/jobs_runner.py."""

from __future__ import annotations

import discord

from bot.app import CourseBot
from bot.core import limits
from bot.core.text import truncate
from bot.guild_config import Channel
from bot.jobs.model import MOD_LOG, Job, JobState, JsonDict
from bot.jobs_runner import Handler, JobContext, JobRunner, earlier_post, guild_or_give_up
from bot.permissions import Role
from bot.persistent import CourseButton


def runner_of(client: discord.Client) -> JobRunner:
    assert isinstance(client, CourseBot)
    return client.jobs


class RetryJobButton(CourseButton, template=r"job:retry:(?P<job_id>\d+)"):
    """A moderator sends a dead job back to the queue; the job id in the custom_id survives restarts."""

    required_role = Role.MODERATOR

    def __init__(self, job_id: int) -> None:
        super().__init__(
            discord.ui.Button(label="Retry", style=discord.ButtonStyle.primary, custom_id=f"job:retry:{job_id}")
        )
        self.job_id = job_id

    async def handle(self, interaction: discord.Interaction) -> None:
        runner = runner_of(interaction.client)
        job = await runner.service.retry(self.job_id, interaction.guild_id)  # UserError when not dead
        await interaction.response.edit_message(view=None)
        after = await runner.run_now(job.id)
        what = runner.describe(job)
        if after is not None and after.state is JobState.DONE:
            answer = f"Done: I could {what} this time."
        elif after is not None and after.state is JobState.DEAD:
            answer = f"It failed again: {after.last_error} I left a new note here."
        else:
            answer = f"Still failing for now ({after.last_error if after else 'unknown'}); I keep trying."
        await interaction.followup.send(answer, ephemeral=True)


def retry_view(job_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(RetryJobButton(job_id))
    return view


def mod_log_handler(bot: CourseBot) -> Handler:
    async def write(job: Job, context: JobContext) -> JsonDict:
        """One #mod-log line; after an attempt that may have written it, the recent lines are looked at first."""
        guild = guild_or_give_up(bot, job.guild_id)
        channel = await bot.guild_config.resolve_channel(guild, Channel.MOD_LOG)
        if channel is None:
            return {"skipped": "no #mod-log channel"}
        text = truncate(job.payload["text"], limits.MESSAGE_CONTENT)
        if job.may_have_run_before and (sent := await earlier_post(bot, channel, lambda m: m.content == text)):
            return {"message_id": sent.id}
        return {"message_id": (await channel.send(text)).id}

    return write


async def setup(bot: CourseBot) -> None:
    bot.add_dynamic_items(RetryJobButton)
    bot.jobs.retry_view = retry_view
    bot.jobs.register(MOD_LOG, mod_log_handler(bot), lambda job: "write a line in #mod-log")


async def teardown(bot: CourseBot) -> None:
    bot.remove_dynamic_items(RetryJobButton)
    bot.jobs.retry_view = None
