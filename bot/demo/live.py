"""One Preview for the whole demo: the open tab stays valid while the channel, the viewer and the clock change.

SimCord 3.2's Preview shows one channel to an allowlist of viewers; its page has a viewer picker but no
channel picker, and a new Preview means a new URL. So the demo keeps its single Preview open and moves it:
`switch()` re-targets every open page (the Python one and each browser tab) to another channel and viewer
the way the page's own viewer picker does (a new page generation, a fresh target, then a republish), and the
tab picks the change up on its next state poll. The clock advances in the same lock as the page's actions,
so time never moves in the middle of a click (SimCord refuses overlapping operations).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.app import CourseBot
from bot.demo.world import CourseWorld

if TYPE_CHECKING:
    import simcord
    from simcord.actors import MemberActor

VIEWER_ORDER = ("learner", "learner2", "moderator", "host", "admin")
STEP_SECONDS = 3600  # big jumps go an hour at a time, so each step settles within SimCord's deadline


def viewers_for(world: CourseWorld, channel_name: str, first: str) -> list[MemberActor]:
    """Members who can read the channel, in the README's order, the chosen one first when allowed."""
    guild = world.env.bot.get_guild(world.guild.id)
    assert guild is not None
    channel = guild.get_channel(world.channel(channel_name).id)
    allowed = []
    for name in VIEWER_ORDER:
        actor = world.members[name]
        member = guild.get_member(actor.id)
        if channel is not None and member is not None and channel.permissions_for(member).read_message_history:
            allowed.append(actor)
    allowed.sort(key=lambda actor: actor.name != first)
    return allowed


class LiveSession:
    """The demo's one Preview, re-targeted in place. Every change to the world goes through `self.lock`."""

    def __init__(self, world: CourseWorld, preview: simcord.Preview, channel: str, viewer: str) -> None:
        self.world = world
        self.preview = preview
        self.channel = channel
        self.viewer = viewer
        self.lock = asyncio.Lock()
        self._seen = self._fingerprint()
        original: Callable[..., Awaitable[Any]] = preview._action

        async def serialized(*args: Any, **kwargs: Any) -> Any:  # a page action never overlaps a tick
            async with self.lock:
                try:
                    return await original(*args, **kwargs)
                finally:
                    self._seen = self._fingerprint()  # the action published its own result

        preview._action = serialized  # type: ignore[method-assign]

    @property
    def env(self) -> simcord.Env:
        return self.world.env

    @property
    def url(self) -> str:
        return self.preview.url

    async def switch(self, channel: str | None = None, viewer: str | None = None) -> None:
        """Show `channel` to `viewer` in every open tab (same URL); unchanged parts stay as they are."""
        async with self.lock:
            self.channel = channel or self.channel
            self.viewer = viewer or self.viewer
            viewers = viewers_for(self.world, self.channel, self.viewer)
            handle = self.world.channel(self.channel)
            preview: Any = self.preview
            preview.channel = handle
            preview.viewers = tuple(viewers)
            allowed = {actor.id for actor in viewers}
            for page in tuple(preview._pages.values()):
                if viewer is not None or page.viewer.id not in allowed:
                    page.viewer = viewers[0]
                preview._clear_page_assets(page)
                preview._reset_queries(page)
                page.channel_id = handle.id
                page.target_id = preview._initial_target(page.viewer, handle.id)
                if page.layout == "channel":
                    page.window_end_id = page.target_id
                page.modal = None
                page.modal_handle = None
                page.status = "current"
                page.generation += 1  # the tab drops drafts and in-flight actions of the old view
            await self._republish()

    async def refresh(self) -> None:
        async with self.lock:
            await self._republish()

    async def advance(self, seconds: float) -> None:
        """Move the simulated clock (timed features fire on the way) and show what changed."""
        async with self.lock:
            await self._advance(seconds)
            await self._republish()

    async def tick(self, seconds: float) -> None:
        """Real-time step: move the clock; republish only when the channel shown changed (a quiet page is
        left alone, so a tick never makes the tab's next click stale)."""
        async with self.lock:
            await self._advance(seconds)
            if self._fingerprint() != self._seen:
                await self._republish()

    async def _advance(self, seconds: float) -> None:
        while seconds > 0:
            step = min(seconds, STEP_SECONDS)
            await self.env.advance_time(step)
            seconds -= step

    async def _republish(self) -> None:
        await self.preview.refresh()
        self._seen = self._fingerprint()

    def _fingerprint(self) -> str:
        """What the tab shows of the current channel: messages, edits, reactions, poll state."""
        messages = self.env.backend.messages.get(self.world.channel(self.channel).id, {})
        parts = [
            (m.id, m.edited_timestamp, len(m.reactions), m.poll.finalized if m.poll else None)
            for m in messages.values()
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    async def run_clock(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Advance the simulated clock by the wall-clock time that passed, until `stop`."""
        last = time.perf_counter()
        while not stop.is_set():
            with_timeout = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({with_timeout}, timeout=interval)
            finally:
                with_timeout.cancel()
            now = time.perf_counter()
            elapsed, last = now - last, now
            if not stop.is_set() and elapsed > 0:
                await self.tick(elapsed)


async def next_scheduled(world: CourseWorld) -> datetime | None:
    """The earliest moment the bot has work planned: a poll to close or a weekly poll to post (the polls
    service's `next_due()`), or a job of the queue due."""
    bot = world.env.bot
    assert isinstance(bot, CourseBot)
    candidates = [await bot.services.polls.next_due(), await bot.services.jobs.next_due()]
    return min((due for due in candidates if due is not None), default=None)


async def jump_to_next(session: LiveSession) -> datetime | None:
    """Advance to just after the next scheduled event; None (and no jump) when nothing is planned."""
    due = await next_scheduled(session.world)
    if due is None:
        return None
    seconds = max((due - session.env.now()).total_seconds(), 0) + 5  # a moment past it, so it has fired
    await session.advance(seconds)
    return due


def describe(moment: datetime) -> str:
    return f"{moment:%a %d %b %Y %H:%M} UTC"
