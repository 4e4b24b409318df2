"""Stories on Discord: cards rendered through bot.render as replies, and the review post's status kept up to
date. Posting (review posts, public posts, threads, DMs, take-downs) is the job queue's: cogs/stories/jobs.py."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

import discord

from bot import render
from bot.app import CourseBot
from bot.core.cards import Card
from bot.stories.model import Story
from bot.stories.service import StoryService

log = logging.getLogger(__name__)

THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week
WITHDRAWN_THREAD = "withdrawn story"


def service_of(interaction: discord.Interaction[Any]) -> StoryService:
    client = interaction.client
    assert isinstance(client, CourseBot)
    return client.services.stories


def bot_of(interaction: discord.Interaction[Any]) -> CourseBot:
    client = interaction.client
    assert isinstance(client, CourseBot)
    return client


async def reply_cards(
    interaction: discord.Interaction[Any],
    cards: Sequence[Card],
    *,
    ephemeral: bool,
    view: discord.ui.View | None = None,
) -> None:
    """The first card as the reply (with the view), further pages as follow-ups (6,000 characters a message)."""
    first, *rest = [render.embed(card) for card in cards]
    if view is not None:
        await interaction.response.send_message(embed=first, view=view, ephemeral=ephemeral)
    else:
        await interaction.response.send_message(embed=first, ephemeral=ephemeral)
    for embed in rest:
        await interaction.followup.send(embed=embed, ephemeral=ephemeral)


async def edit_review_post(bot: CourseBot, story: Story, view: discord.ui.View | None) -> None:
    """Show the story's current status on its #mod-queue post (the view is None once decided)."""
    if story.queue_channel_id is None or story.queue_message_id is None:
        return
    channel = bot.get_channel(story.queue_channel_id)
    if not isinstance(channel, discord.TextChannel):
        return
    embed = render.embed((await bot.services.stories.review_cards(story))[0])
    try:
        await channel.get_partial_message(story.queue_message_id).edit(embed=embed, view=view)
    except discord.HTTPException:
        log.warning("could not update the review post of story #%s", story.number, exc_info=True)
