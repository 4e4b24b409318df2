"""The stories feature's job handlers (bot/jobs_runner.py runs them): the review post, publishing (post, thread,
further pages), the author's DM and taking a withdrawn story's post down. The service enqueued each job with
its state change (bot.stories.effects); a handler records what it posted before the next step and, when an
earlier attempt may have posted, looks for that post before posting again, so a retry never double-posts."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot import render, takedown
from bot.app import CourseBot
from bot.core.lifecycle import PostRef
from bot.guild_config import Channel
from bot.jobs.model import Job, JsonDict
from bot.jobs_runner import JobContext, PermanentFailure, RetryLater, earlier_post, guild_or_give_up, has_component
from bot.stories import effects, messages
from bot.stories.cards import headline, thread_name
from bot.stories.model import Story, StoryStatus
from cogs.stories.render import THREAD_ARCHIVE_MINUTES, WITHDRAWN_THREAD, edit_review_post

log = logging.getLogger(__name__)


class StoryJobs:
    """Handlers bound to one bot; `review_view` builds the review buttons (cogs.stories.buttons)."""

    def __init__(self, bot: CourseBot, review_view: Any) -> None:
        self.bot = bot
        self.review_view = review_view

    def register(self) -> None:
        jobs = self.bot.jobs
        jobs.register(effects.REVIEW, self.review, self.describe)
        jobs.register(effects.PUBLISH, self.publish, self.describe)
        jobs.register(effects.DM, self.dm, self.describe)
        jobs.register(effects.TAKE_DOWN, self.take_down, self.describe)

    def describe(self, job: Job) -> str:
        return effects.describe(job.kind, job.payload.get("number"))

    async def _story(self, job: Job) -> Story | None:
        return await self.bot.services.stories.store.get(job.payload["story_id"])

    def _guild(self, story: Story) -> discord.Guild:
        return guild_or_give_up(self.bot, story.guild_id)

    async def _channel(self, guild: discord.Guild, which: Channel, name: str) -> discord.TextChannel:
        channel = await self.bot.guild_config.resolve_channel(guild, which)
        if channel is None:
            raise PermanentFailure(f"this server has no {name} channel (`/setup channels` picks one).")
        return channel

    # -- the review post -------------------------------------------------------------------------

    async def review(self, job: Job, context: JobContext) -> JsonDict:
        story = await self._story(job)
        if story is None or story.status is not StoryStatus.PENDING:
            return {"skipped": "no longer waiting for review"}
        if story.queue_message_id is not None:
            return {"message_id": story.queue_message_id}
        channel = await self._channel(self._guild(story), Channel.MOD_QUEUE, "#mod-queue")
        service = self.bot.services.stories
        first, *rest = [render.embed(card) for card in await service.review_cards(story)]
        marker = f"story:approve:{story.id}"
        message = None
        if job.may_have_run_before:
            message = await earlier_post(self.bot, channel, lambda m: has_component(m, marker))
        if message is None:
            message = await channel.send(embed=first, view=self.review_view(story.id))
            await context.record(message_id=message.id)
            for embed in rest:
                await channel.send(embed=embed)
        await service.record_queue_post(story.id, channel.id, message.id)
        return {"message_id": message.id, "channel_id": channel.id}

    # -- publishing ------------------------------------------------------------------------------

    async def publish(self, job: Job, context: JobContext) -> JsonDict:
        service = self.bot.services.stories
        story = await self._story(job)
        earlier = context.result.get("message_id")
        if story is None or story.status is not StoryStatus.PUBLISHED:
            if earlier is not None:  # withdrawn after an earlier attempt posted it: take that post down
                await self._remove(PostRef(context.result["channel_id"], earlier, context.result.get("thread_id")))
                return {"taken_down": True}
            return {"skipped": "not published any more"}
        guild = self._guild(story)
        channel = await self._channel(guild, Channel.STORIES, "#stories")
        first, *rest = await service.public_cards(story)
        message_id = story.post_message_id or earlier
        if message_id is None and job.may_have_run_before:
            title = headline(story)
            found = await earlier_post(self.bot, channel, lambda m: bool(m.embeds) and m.embeds[0].title == title)
            message_id = found.id if found is not None else None
        if message_id is None:
            message_id = (await channel.send(embed=render.embed(first))).id
        await context.record(message_id=message_id, channel_id=channel.id)
        if story.post_message_id is None and await service.published(story, channel.id, message_id, None) is None:
            # the author withdrew it while it was being posted: take the post down again
            await self._remove(PostRef(channel.id, message_id, None))
            return {"taken_down": True}
        thread_id = await self._thread(story, channel, message_id, context)
        if thread_id is None:
            return {"taken_down": True}
        if not context.result.get("thread_filled"):
            thread = guild.get_thread(thread_id) or await self.bot.fetch_channel(thread_id)
            assert isinstance(thread, discord.Thread)
            discuss = f"Discuss story #{story.number} here: what would you try, what worked for you? Be kind."
            await thread.send(discuss)
            for card in rest:
                await thread.send(embed=render.embed(card))
            await context.record(thread_filled=True)
        current = await service.current(story)
        await edit_review_post(self.bot, current, None)
        return {"thread_id": thread_id}

    async def _thread(
        self, story: Story, channel: discord.TextChannel, message_id: int, context: JobContext
    ) -> int | None:
        """The story's discussion thread, opened unless an earlier attempt did; None when it was withdrawn."""
        thread_id = story.thread_id or context.result.get("thread_id")
        if thread_id is None:
            existing = channel.guild.get_thread(message_id)  # a thread started from a message shares its id
            if existing is None:
                existing = await channel.get_partial_message(message_id).create_thread(
                    name=thread_name(story), auto_archive_duration=THREAD_ARCHIVE_MINUTES
                )
            thread_id = existing.id
            await context.record(thread_id=thread_id)
        if not await self.bot.services.stories.thread_opened(story, thread_id):
            await self._remove(PostRef(channel.id, message_id, thread_id))
            return None
        return int(thread_id)

    async def _remove(self, post: PostRef) -> None:
        if not await takedown.take_down(self.bot, post, thread_name=WITHDRAWN_THREAD):
            raise RetryLater(f"Discord did not delete the post {post.message_id} yet.")

    # -- the author's DM and the take-down -------------------------------------------------------

    async def dm(self, job: Job, context: JobContext) -> JsonDict:
        story = await self._story(job)
        guild = self.bot.get_guild(story.guild_id) if story is not None else None
        text = messages.author_dm(story, job.payload["event"], guild.name) if story and guild else None
        if story is None or text is None:
            return {"skipped": "nothing to tell any more"}
        user = self.bot.get_user(story.author_id) or await self.bot.fetch_user(story.author_id)
        try:
            channel = user.dm_channel or await user.create_dm()
            if job.may_have_run_before and (sent := await earlier_post(self.bot, channel, lambda m: m.content == text)):
                return {"delivered": True, "message_id": sent.id}
            sent = await channel.send(text)
        except discord.Forbidden:
            log.info("could not DM the author of story #%s (guild %s): DMs closed", story.number, story.guild_id)
            return {"delivered": False}  # they see it in /story mine
        return {"delivered": True, "message_id": sent.id}

    async def take_down(self, job: Job, context: JobContext) -> JsonDict:
        payload = job.payload
        await self._remove(PostRef(payload["channel_id"], payload["message_id"], payload.get("thread_id")))
        return {"removed": True}
