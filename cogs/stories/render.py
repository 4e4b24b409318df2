"""Stories on Discord: cards rendered through bot.render and posted (review posts, public posts and their
threads), and the posts taken down again. Every step survives Discord failures: it says whether it worked."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

import discord

from bot import render, takedown
from bot.app import CourseBot
from bot.core.cards import Card
from bot.core.lifecycle import PostRef
from bot.guild_config import Channel
from bot.notify import mod_log, send_safely
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


async def send_cards(
    bot: CourseBot, channel: discord.abc.Messageable, cards: Sequence[Card], view: discord.ui.View | None = None
) -> discord.Message | None:
    """The first card (with the view) and each further page as its own message; None when the first failed."""
    first, *rest = [render.embed(card) for card in cards]
    if view is not None:
        message = await send_safely(bot, channel, embed=first, view=view)
    else:
        message = await send_safely(bot, channel, embed=first)
    if message is not None:
        for embed in rest:
            await send_safely(bot, channel, embed=embed)
    return message


async def post_review(bot: CourseBot, guild: discord.Guild, story: Story, view: discord.ui.View) -> bool:
    """Post the review in #mod-queue and remember where; False (logged, retried by the cog) when it failed."""
    service = bot.services.stories
    channel = await bot.guild_config.resolve_channel(guild, Channel.MOD_QUEUE)
    message = await send_cards(bot, channel, await service.review_cards(story), view) if channel else None
    if message is None:
        where = "#mod-queue could not be posted to" if channel else "this server has no #mod-queue channel"
        log.warning("story #%s (guild %s) is not in the review queue: %s", story.number, guild.id, where)
        return False
    await service.record_queue_post(story.id, message.channel.id, message.id)
    return True


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


async def publish(bot: CourseBot, guild: discord.Guild, story: Story, thread_name: str) -> PostRef | None:
    """Post the story in #stories with a discussion thread holding any further pages; None when it failed."""
    channel = await bot.guild_config.resolve_channel(guild, Channel.STORIES)
    if channel is None:
        return None
    first, *rest = await bot.services.stories.public_cards(story)
    message = await send_safely(bot, channel, embed=render.embed(first))
    if message is None:
        return None
    thread: discord.Thread | None = None
    try:
        thread = await message.create_thread(name=thread_name, auto_archive_duration=THREAD_ARCHIVE_MINUTES)
    except discord.HTTPException:
        log.warning("could not open a thread for story #%s in guild %s", story.number, guild.id, exc_info=True)
    if thread is not None:
        discuss = f"Discuss story #{story.number} here: what would you try, what worked for you? Be kind."
        await send_safely(bot, thread, content=discuss)
        for card in rest:
            await send_safely(bot, thread, embed=render.embed(card))
    return PostRef(channel.id, message.id, thread.id if thread else None)


async def take_down(bot: CourseBot, post: PostRef) -> bool:
    """Delete a published post, the "started a thread" line and the thread (see bot.takedown). False when the
    post itself could not be removed; moderators are told in #mod-log."""
    removed = await takedown.take_down(bot, post, thread_name=WITHDRAWN_THREAD)
    channel = bot.get_channel(post.channel_id)
    if not removed and isinstance(channel, discord.TextChannel):
        await mod_log(
            bot,
            channel.guild,
            f"A withdrawn story's post in {channel.mention} could not be deleted: please remove it by hand "
            f"({channel.get_partial_message(post.message_id).jump_url}).",
        )
    return removed


async def tell_author(bot: CourseBot, guild: discord.Guild, story: Story, text: str) -> bool:
    """DM the author; closed DMs are fine (they see it in /story mine)."""
    user = guild.get_member(story.author_id) or bot.get_user(story.author_id)
    try:
        if user is None:
            user = await bot.fetch_user(story.author_id)
        await user.send(text)
    except discord.HTTPException:
        log.info("could not DM the author of story #%s (guild %s)", story.number, guild.id)
        return False
    return True
