"""Taking a bot post down from Discord: the post, the "started a thread" line Discord adds after it (which
shows the thread's name) and the thread, renamed first so its title is gone wherever Discord still shows it.

Used by every feature whose posts go when their data goes (a withdrawn story, `/privacy forget-me`).
"""

from __future__ import annotations

import contextlib
import logging

import discord

from bot.core.lifecycle import PostRef

log = logging.getLogger(__name__)

GONE_THREAD_NAME = "removed post"
SYSTEM_LINE_SEARCH = 20
"""Messages after a post in which its "started a thread" line is looked for."""


async def system_line(channel: discord.TextChannel, post: PostRef) -> discord.Message | None:
    """The "started a thread" line after `post`, or None (no thread, not found, or Discord failed)."""
    if post.thread_id is None:
        return None
    with contextlib.suppress(discord.HTTPException):
        async for message in channel.history(limit=SYSTEM_LINE_SEARCH, after=discord.Object(post.message_id)):
            reference = message.reference
            if (
                message.type is discord.MessageType.thread_created
                and reference is not None
                and (post.message_id == reference.message_id or post.thread_id == reference.channel_id)
            ):
                return message
    return None


async def take_down(client: discord.Client, post: PostRef, *, thread_name: str = GONE_THREAD_NAME) -> bool:
    """Delete the post, its "started a thread" line and its thread. True when the post is gone (or never
    was there), False when Discord refused it and it should be tried again later."""
    channel = client.get_channel(post.channel_id)
    line = await system_line(channel, post) if isinstance(channel, discord.TextChannel) else None
    messageable = (
        channel if isinstance(channel, discord.TextChannel) else client.get_partial_messageable(post.channel_id)
    )
    removed = False
    try:
        await messageable.get_partial_message(post.message_id).delete()
        removed = True
    except discord.NotFound:
        removed = True
    except discord.HTTPException as error:
        log.warning("could not delete post %s in %s yet: %s", post.message_id, post.channel_id, error)
    if line is not None:
        with contextlib.suppress(discord.HTTPException):
            await line.delete()
    thread = client.get_channel(post.thread_id) if post.thread_id else None
    if isinstance(thread, discord.Thread):
        try:
            await thread.edit(name=thread_name)
            await thread.delete()
        except discord.NotFound:
            pass
        except discord.HTTPException as error:
            log.warning("could not delete the thread %s: %s", post.thread_id, error)
    return removed
