"""The job queue's one component: the Retry button on a dead job's #mod-log note (moderators only; the job id
in its custom_id makes it work after any restart). The runner itself is bot/jobs_runner.py."""

from __future__ import annotations

import discord

from bot.app import CourseBot
from bot.jobs.model import JobState
from bot.jobs_runner import JobRunner
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


async def setup(bot: CourseBot) -> None:
    bot.add_dynamic_items(RetryJobButton)
    bot.jobs.retry_view = retry_view


async def teardown(bot: CourseBot) -> None:
    bot.remove_dynamic_items(RetryJobButton)
    bot.jobs.retry_view = None
