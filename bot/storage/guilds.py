"""SQL for per-server settings."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from bot.storage.database import Database


@dataclass(frozen=True)
class GuildSettings:
    """What one server has configured; None means "not set" (find by name, or use the default)."""

    guild_id: int
    mod_queue_channel_id: int | None = None
    stories_channel_id: int | None = None
    polls_channel_id: int | None = None
    mod_log_channel_id: int | None = None
    moderator_role_id: int | None = None
    host_role_id: int | None = None
    timezone: str | None = None


_COLUMNS = tuple(f.name for f in fields(GuildSettings) if f.name != "guild_id")


class GuildSettingsStore:
    """Reads and writes `guild_settings`, with a per-process cache (this process is the only writer)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[int, GuildSettings] = {}

    async def get(self, guild_id: int) -> GuildSettings:
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone(
            f"SELECT {', '.join(_COLUMNS)} FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        settings = GuildSettings(guild_id, **dict(row)) if row else GuildSettings(guild_id)
        self._cache[guild_id] = settings
        return settings

    async def update(self, guild_id: int, now_iso: str, **changes: int | str | None) -> GuildSettings:
        """Set the given columns (None clears one) and return the new settings."""
        unknown = set(changes) - set(_COLUMNS)
        if unknown:
            raise ValueError(f"unknown guild settings: {', '.join(sorted(unknown))}")
        current = await self.get(guild_id)
        updated = replace(current, **changes)  # type: ignore[arg-type]
        values = [getattr(updated, c) for c in _COLUMNS]
        async with self._db.transaction() as conn:
            await conn.execute(
                f"INSERT INTO guild_settings (guild_id, {', '.join(_COLUMNS)}, updated_at) "
                f"VALUES (?, {', '.join('?' for _ in _COLUMNS)}, ?) "
                f"ON CONFLICT (guild_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)
                + ", updated_at = excluded.updated_at",
                (guild_id, *values, now_iso),
            )
        self._cache[guild_id] = updated
        return updated

    async def forget_guild(self, guild_id: int) -> int:
        """Remove a server's settings (the bot left it long enough ago); returns rows removed."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
        self._cache.pop(guild_id, None)
        return cursor.rowcount
