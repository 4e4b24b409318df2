"""SQL for the privacy feature: departed servers and posts waiting to be removed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.lifecycle import PostRef
from bot.storage.database import Database
from bot.storage.guilds import GuildSettingsStore


class SqlitePrivacyStore:
    def __init__(self, db: Database, guild_settings: GuildSettingsStore) -> None:
        self._db = db
        self._guild_settings = guild_settings

    async def mark_left(self, guild_id: int, at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO departed_guilds (guild_id, left_at) VALUES (?, ?) ON CONFLICT (guild_id) DO NOTHING",
            (guild_id, at.isoformat()),
        )

    async def mark_back(self, guild_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM departed_guilds WHERE guild_id = ?", (guild_id,))
            return cursor.rowcount > 0

    async def departed_before(self, moment: datetime) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT guild_id FROM departed_guilds WHERE left_at < ? ORDER BY left_at", (moment.isoformat(),)
        )
        return [int(row[0]) for row in rows]

    async def forget_departure(self, guild_id: int) -> None:
        await self._db.execute("DELETE FROM departed_guilds WHERE guild_id = ?", (guild_id,))

    async def queue_removals(self, posts: Sequence[PostRef]) -> None:
        if not posts:
            return
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO pending_removals (channel_id, message_id, thread_id) VALUES (?, ?, ?) "
                "ON CONFLICT (channel_id, message_id) DO NOTHING",
                [(post.channel_id, post.message_id, post.thread_id) for post in posts],
            )

    async def pending_removals(self, limit: int) -> list[PostRef]:
        rows = await self._db.fetchall(
            "SELECT channel_id, message_id, thread_id FROM pending_removals ORDER BY rowid LIMIT ?", (limit,)
        )
        return [PostRef(int(r[0]), int(r[1]), None if r[2] is None else int(r[2])) for r in rows]

    async def removal_done(self, post: PostRef) -> None:
        await self._db.execute(
            "DELETE FROM pending_removals WHERE channel_id = ? AND message_id = ?", (post.channel_id, post.message_id)
        )

    async def forget_guild_settings(self, guild_id: int) -> int:
        return await self._guild_settings.forget_guild(guild_id)
