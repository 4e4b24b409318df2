"""What the story service needs from storage (bot/storage/stories.py implements it with SQLite).

Every state change is one conditional update on the expected status and says whether it won (`Decision`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.core.lifecycle import PostRef
from bot.jobs.model import NewJob
from bot.stories.model import Decision, NewStory, Story, StoryText

Effects = Callable[[Story], Sequence[NewJob]] | None
"""The jobs (bot.stories.effects) a transition causes, given the story after it: the store enqueues them in the
transition's own transaction, only when it won."""


class StoryRecords(Protocol):
    async def add(self, new: NewStory, effects: Effects = None) -> Story: ...

    async def set_queue_post(self, story_id: int, channel_id: int, message_id: int) -> None: ...

    async def get(self, story_id: int) -> Story | None: ...

    async def by_number(self, guild_id: int, number: int) -> Story | None: ...

    async def by_author(self, guild_id: int, author_id: int) -> list[Story]: ...

    async def pending(self, guild_id: int, limit: int = -1) -> list[Story]: ...

    async def count_pending(self, guild_id: int) -> int: ...

    async def count_published(
        self, guild_id: int, *, lesson_slug: str | None = None, author_id: int | None = None
    ) -> int: ...

    async def published(
        self,
        guild_id: int,
        *,
        lesson_slug: str | None = None,
        author_id: int | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> list[Story]: ...

    async def all_stories(self, guild_id: int) -> list[Story]: ...

    async def approve(
        self,
        story_id: int,
        moderator_id: int,
        at: datetime,
        edited_text: StoryText | None = None,
        effects: Effects = None,
    ) -> Decision: ...

    async def decline(
        self, story_id: int, moderator_id: int, at: datetime, reason: str, effects: Effects = None
    ) -> Decision: ...

    async def set_published_post(
        self,
        story_id: int,
        channel_id: int,
        message_id: int,
        thread_id: int | None,
        effects: Effects = None,
        at: datetime | None = None,
    ) -> bool: ...

    async def set_thread(self, story_id: int, thread_id: int) -> bool: ...

    async def withdraw(self, story_id: int, author_id: int, at: datetime, effects: Effects = None) -> Decision: ...

    async def forget_author(
        self, guild_id: int | None, author_id: int, at: datetime
    ) -> tuple[int, tuple[PostRef, ...]]: ...

    async def forget_guild(self, guild_id: int) -> tuple[int, tuple[PostRef, ...]]: ...
