"""What a story's steps do on Discord once the service has decided: the replies, and running at once the jobs
the decision enqueued (the review post, publishing, the take-down; cogs/stories/jobs.py) so the reply can say
how it went. The DMs and #mod-log lines run in the background. Parse -> service -> reply."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import discord

from bot import render as bot_render
from bot.core.text import jump_url
from bot.jobs.model import JobState
from bot.stories import effects, messages
from bot.stories.cards import quote_title
from bot.stories.model import Story, StoryStatus
from cogs.stories import render
from cogs.stories.render import bot_of, service_of

log = logging.getLogger(__name__)


async def submitted(interaction: discord.Interaction[Any], story: Story) -> None:
    """The story is stored with its review post as a job: tell the learner, then run that job at once (the
    queue retries it when Discord fails, and reports it in #mod-log if it cannot be posted at all)."""
    try:
        await interaction.response.send_message(messages.received(story), ephemeral=True)
    except discord.HTTPException:
        log.warning("story #%s stored, but the learner could not be told", story.number, exc_info=True)
    await bot_of(interaction).jobs.run_key(effects.review_key(story))


async def _show_decision(interaction: discord.Interaction[Any], story: Story) -> None:
    """Update the clicked review message, and the #mod-queue post when the click came from elsewhere."""
    bot = bot_of(interaction)
    embed = bot_render.embed((await service_of(interaction).review_cards(story))[0])
    try:
        await interaction.edit_original_response(embed=embed, view=None)
    except discord.HTTPException:
        log.warning("could not update the review message of story #%s", story.number, exc_info=True)
    clicked = interaction.message
    if clicked is None or clicked.id != story.queue_message_id:
        await render.edit_review_post(bot, story, None)


async def approve(
    interaction: discord.Interaction[Any],
    story_id: int,
    edited: Mapping[str, str | None] | None = None,
    draft_id: int | None = None,
) -> None:
    """Publish a pending story in #stories (with the moderator's edits) and tell its author. The post is a job
    enqueued with the decision and run at once; if Discord fails, the queue keeps trying."""
    service, bot, guild = service_of(interaction), bot_of(interaction), interaction.guild
    assert guild is not None
    story = await service.pending(guild.id, story_id)
    text = service.check_edit(story, interaction.user.id, edited, draft_id) if edited is not None else None
    # acknowledge before deciding: a click that Discord no longer accepts leaves the story pending
    await interaction.response.defer()
    moderator = interaction.user
    story = await service.approve(story, moderator.id, text, moderator.display_name)  # Conflict: someone was faster
    job = await bot.jobs.run_key(effects.publish_key(story))
    now = await service.current(story)
    await _show_decision(interaction, now)
    if now.status is StoryStatus.WITHDRAWN:
        answer = (
            f"The author withdrew story {quote_title(story)} while it was being published; I took the post down again."
        )
    elif now.post_channel_id is not None and now.post_message_id is not None:
        url = jump_url(guild.id, now.post_channel_id, now.post_message_id)
        answer = f"Published story {quote_title(now)}: {url}. I told the author."
    elif job is not None and job.state is JobState.DEAD:
        answer = (
            f"Approved story {quote_title(now)}, but I could not post it in #stories: {job.last_error} "
            "Once that is fixed, press Retry on my note in #mod-log."
        )
    else:
        answer = (
            f"Approved story {quote_title(now)}. Discord did not take the post in #stories just now; I keep trying, "
            "and the author hears once it is up."
        )
    await interaction.followup.send(answer, ephemeral=True)


async def decline(
    interaction: discord.Interaction[Any], story_id: int, raw_reason: str | None, draft_id: int | None = None
) -> None:
    """Decline a pending story with a reason that the author is told (a DM job, enqueued with the decision)."""
    service, guild = service_of(interaction), interaction.guild
    assert guild is not None
    story = await service.pending(guild.id, story_id)
    reason = service.check_reason(story, interaction.user.id, raw_reason, draft_id)
    await interaction.response.defer()  # before deciding, as in approve()
    story = await service.decline(story, interaction.user.id, reason, interaction.user.display_name)
    await _show_decision(interaction, story)
    await interaction.followup.send(f"Declined story {quote_title(story)}. I told the author.", ephemeral=True)


async def withdraw(interaction: discord.Interaction[Any], number: int) -> str:
    """Withdraw the caller's story; taking its post and thread down is a job, run at once; returns what to
    tell them."""
    service, bot, guild = service_of(interaction), bot_of(interaction), interaction.guild
    assert guild is not None
    withdrawal = await service.withdraw(guild.id, interaction.user.id, number)
    removed = True
    if withdrawal.post is not None:
        job = await bot.jobs.run_key(effects.take_down_key(withdrawal.story))
        removed = job is not None and job.state is JobState.DONE
    await render.edit_review_post(bot, withdrawal.story, None)
    return messages.withdrawn_reply(withdrawal, removed)
