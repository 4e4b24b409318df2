"""What a story's steps do on Discord once the service has decided: the reply, the review post, publishing
with its thread, the author's DM, #mod-log, and the posts taken down on withdrawal. Parse -> service -> post."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import discord

from bot import render as bot_render
from bot.core.text import jump_url
from bot.guild_config import Channel
from bot.notify import mod_log
from bot.stories import messages
from bot.stories.cards import quote_title, thread_name
from bot.stories.model import Story
from cogs.stories import render
from cogs.stories.render import bot_of, service_of

log = logging.getLogger(__name__)

ReviewView = Callable[[int], discord.ui.View]


async def submitted(interaction: discord.Interaction[Any], story: Story, review_view: ReviewView) -> None:
    """The story is stored: tell the learner, then post it for review (a failure is logged and retried)."""
    try:
        await interaction.response.send_message(messages.received(story), ephemeral=True)
    except discord.HTTPException:
        log.warning("story #%s stored, but the learner could not be told", story.number, exc_info=True)
    bot = bot_of(interaction)
    guild = interaction.guild
    assert guild is not None
    if not await render.post_review(bot, guild, story, review_view(story.id)):
        bot.dispatch("story_review_unposted", story.id)  # the cog retries until it is posted
        channel = await bot.guild_config.resolve_channel(guild, Channel.MOD_QUEUE)
        await mod_log(bot, guild, messages.unposted_note(story, channel is not None))


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
    review_view: ReviewView,
    edited: Mapping[str, str | None] | None = None,
    draft_id: int | None = None,
) -> None:
    """Publish a pending story in #stories (with the moderator's edits) and tell its author."""
    service, bot, guild = service_of(interaction), bot_of(interaction), interaction.guild
    assert guild is not None
    story = await service.pending(guild.id, story_id)
    text = service.check_edit(story, interaction.user.id, edited, draft_id) if edited is not None else None
    # acknowledge before deciding: a click that Discord no longer accepts leaves the story pending
    await interaction.response.defer()
    story = await service.approve(story, interaction.user.id, text)  # Conflict: someone was faster
    post = await render.publish(bot, guild, story, thread_name(story))
    if post is None:
        await service.publication_failed(story)
        await interaction.followup.send(
            f"I could not post story {quote_title(story)} in #stories (is there such a channel, and may I "
            "post and create threads there? `/setup channels` picks it). It is still waiting for review: "
            "try again once that is fixed.",
            ephemeral=True,
        )
        await render.edit_review_post(bot, await service.current(story), review_view(story.id))
        return
    kept = await service.published(story, post.channel_id, post.message_id, post.thread_id)
    if kept is None:  # the author withdrew it while it was being posted: take the post down again
        await render.take_down(bot, post)
        withdrawn = await service.current(story)
        await _show_decision(interaction, withdrawn)
        await interaction.followup.send(
            f"The author withdrew story {quote_title(story)} while it was being published; I took the post down again.",
            ephemeral=True,
        )
        return
    await _show_decision(interaction, kept)
    url = jump_url(guild.id, post.channel_id, post.message_id)
    await interaction.followup.send(f"Published story {quote_title(kept)}: {url}. I told the author.", ephemeral=True)
    await render.tell_author(
        bot, guild, kept, messages.author_notice(kept, guild.name, f"was published in #stories: {url}")
    )
    await mod_log(bot, guild, messages.decision_log(kept, interaction.user.display_name, interaction.user.id))


async def decline(
    interaction: discord.Interaction[Any], story_id: int, raw_reason: str | None, draft_id: int | None = None
) -> None:
    """Decline a pending story with a reason that the author is told."""
    service, bot, guild = service_of(interaction), bot_of(interaction), interaction.guild
    assert guild is not None
    story = await service.pending(guild.id, story_id)
    reason = service.check_reason(story, interaction.user.id, raw_reason, draft_id)
    await interaction.response.defer()  # before deciding, as in approve()
    story = await service.decline(story, interaction.user.id, reason)
    await _show_decision(interaction, story)
    await interaction.followup.send(f"Declined story {quote_title(story)}. I told the author.", ephemeral=True)
    await render.tell_author(
        bot, guild, story, messages.author_notice(story, guild.name, messages.declined_notice(story))
    )
    await mod_log(bot, guild, messages.decision_log(story, interaction.user.display_name, interaction.user.id))


async def withdraw(interaction: discord.Interaction[Any], number: int) -> str:
    """Withdraw the caller's story, take its post and thread down; returns what to tell them."""
    service, bot, guild = service_of(interaction), bot_of(interaction), interaction.guild
    assert guild is not None
    withdrawal = await service.withdraw(guild.id, interaction.user.id, number)
    removed = await render.take_down(bot, withdrawal.post) if withdrawal.post is not None else False
    await render.edit_review_post(bot, withdrawal.story, None)
    await mod_log(bot, guild, messages.withdrawal_log(withdrawal.story))
    return messages.withdrawn_reply(withdrawal, removed or withdrawal.post is None)
