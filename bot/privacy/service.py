"""Privacy use cases: say what is stored, forget a member on request, purge servers the bot left."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.core.cards import Card, Field, Tone
from bot.core.clock import Clock
from bot.core.lifecycle import DataOwner, ExpiringData, Forgotten, PostRef
from bot.core.text import plural
from bot.privacy.store import PrivacyStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ForgetReport:
    """What forgetting one member or one server erased, feature by feature."""

    parts: tuple[Forgotten, ...]

    @property
    def rows(self) -> int:
        return sum(part.rows for part in self.parts)

    @property
    def posts(self) -> tuple[PostRef, ...]:
        return tuple(post for part in self.parts for post in part.posts)

    def describe(self) -> str:
        erased = [f"{part.feature}: {plural(part.rows, 'record')}" for part in self.parts if part.rows]
        removed = f"; {plural(len(self.posts), 'post')} removed from Discord" if self.posts else ""
        return ("Erased " + ", ".join(erased) if erased else "Nothing was stored") + removed + "."


class PrivacyService:
    """Asks every feature that keeps member data (a DataOwner) to forget; posts to remove go to a durable list."""

    feature = "privacy"

    def __init__(
        self,
        store: PrivacyStore,
        owners: Sequence[DataOwner],
        clock: Clock,
        *,
        grace_days: int,
        copy_retention_days: int,
    ) -> None:
        self.store = store
        self.owners = tuple(owners)
        self.clock = clock
        self.grace = timedelta(days=grace_days)
        self.copy_retention_days = copy_retention_days

    def summary_card(self, course_name: str) -> Card:
        """/privacy: what the bot keeps, in plain words, and how to have it erased."""
        fields = [Field(owner.feature.capitalize(), owner.stored_data()) for owner in self.owners]
        fields.append(
            Field(
                "When a server removes the bot",
                f"Everything about that server is erased {plural(self.grace.days, 'day')} later "
                "(in case the bot was removed by mistake).",
            )
        )
        return Card(
            title="What this bot stores about you",
            description=(
                f"{course_name}'s bot keeps only what its features need. Run `/privacy forget-me` to erase "
                "everything about you in this server: your stories (and their posts), your lesson progress and "
                "your poll votes. Moderators' decisions on spam reports are kept without the message text."
            ),
            fields=tuple(fields),
            tone=Tone.INFO,
        )

    async def forget_member(self, guild_id: int | None, user_id: int) -> ForgetReport:
        """Erase one member's data in one server (every server when None); their posts are queued for removal."""
        parts = []
        for owner in self.owners:
            parts.append(await owner.forget_member(guild_id, user_id))
        report = ForgetReport(tuple(parts))
        await self.store.queue_removals(report.posts)
        log.info("forgot member %s in %s: %s", user_id, guild_id or "every server", report.describe())
        return report

    async def forget_guild(self, guild_id: int) -> ForgetReport:
        parts = [await owner.forget_guild(guild_id) for owner in self.owners]
        parts.append(Forgotten("server settings", await self.store.forget_guild_settings(guild_id)))
        await self.store.forget_departure(guild_id)
        return ForgetReport(tuple(parts))

    async def guild_left(self, guild_id: int) -> None:
        await self.store.mark_left(guild_id, self.clock.now())

    async def guild_joined(self, guild_id: int) -> None:
        if await self.store.mark_back(guild_id):
            log.info("back in server %s: its data is kept", guild_id)

    async def purge_departed(self) -> dict[int, ForgetReport]:
        """Erase every server the bot left longer ago than the grace period."""
        done = {}
        for guild_id in await self.store.departed_before(self.clock.now() - self.grace):
            done[guild_id] = await self.forget_guild(guild_id)
            log.info("purged server %s after its grace period: %s", guild_id, done[guild_id].describe())
        return done

    async def purge_expired(self) -> dict[str, int]:
        """Ask every feature with a retention period (spam message copies) to erase what outlived it."""
        now = self.clock.now()
        erased = {}
        for owner in self.owners:
            if isinstance(owner, ExpiringData):
                erased[owner.feature] = await owner.purge_expired(now)
                if erased[owner.feature]:
                    log.info("%s: erased %d rows past their retention period", owner.feature, erased[owner.feature])
        return erased

    async def pending_removals(self, limit: int = 50) -> list[PostRef]:
        return await self.store.pending_removals(limit)

    async def removal_done(self, post: PostRef) -> None:
        await self.store.removal_done(post)
