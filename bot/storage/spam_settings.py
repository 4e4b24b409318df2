"""SQL for the spam filter's per-server settings and domain lists (the base of `SpamStore`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from bot.spam.model import SCALAR_SETTINGS, DomainLists, ListName, SpamSettings
from bot.storage.database import Database

_LIST_SETTINGS = ("protected_names", "exempt_role_ids", "exempt_channel_ids")


def _settings(guild_id: int, row: sqlite3.Row | None) -> SpamSettings:
    if row is None:
        return SpamSettings(guild_id)
    return SpamSettings(
        guild_id=guild_id,
        flag_threshold=row["flag_threshold"],
        delete_threshold=row["delete_threshold"],
        delete_enabled=None if row["delete_enabled"] is None else bool(row["delete_enabled"]),
        new_member_days=row["new_member_days"],
        timeout_minutes=row["timeout_minutes"],
        protected_names=tuple(json.loads(row["protected_names"])),
        exempt_role_ids=frozenset(json.loads(row["exempt_role_ids"])),
        exempt_channel_ids=frozenset(json.loads(row["exempt_channel_ids"])),
    )


class SpamSettingsQueries:
    """Settings and lists, cached: this process is the only writer."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._settings: dict[int, SpamSettings] = {}
        self._lists: dict[int, DomainLists] = {}

    # -- settings ------------------------------------------------------------------------------

    async def settings(self, guild_id: int) -> SpamSettings:
        cached = self._settings.get(guild_id)
        if cached is None:
            row = await self._db.fetchone("SELECT * FROM spam_settings WHERE guild_id = ?", (guild_id,))
            cached = self._settings[guild_id] = _settings(guild_id, row)
        return cached

    async def update_settings(self, guild_id: int, by: int | None, now: datetime, **changes: Any) -> SpamSettings:
        """Change some settings (None restores a scalar's default) and return the new settings."""
        known = {f.name for f in fields(SpamSettings)} - {"guild_id"}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown spam settings: {', '.join(sorted(unknown))}")
        updated = replace(await self.settings(guild_id), **changes)
        await self._save_settings(updated, by, now)
        return updated

    async def reset_settings(self, guild_id: int, by: int | None, now: datetime) -> SpamSettings:
        """Every setting back to its default (domain lists are kept)."""
        updated = SpamSettings(guild_id)
        await self._save_settings(updated, by, now)
        return updated

    async def _save_settings(self, settings: SpamSettings, by: int | None, now: datetime) -> None:
        scalars = [getattr(settings, name) for name in SCALAR_SETTINGS]  # sqlite3 stores a bool as 0 or 1
        lists = [
            json.dumps(list(settings.protected_names)),
            json.dumps(sorted(settings.exempt_role_ids)),
            json.dumps(sorted(settings.exempt_channel_ids)),
        ]
        columns = (*SCALAR_SETTINGS, *_LIST_SETTINGS, "updated_by", "updated_at")
        async with self._db.transaction() as conn:
            await conn.execute(
                f"INSERT INTO spam_settings (guild_id, {', '.join(columns)}) "
                f"VALUES (?, {', '.join('?' for _ in columns)}) ON CONFLICT (guild_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in columns),
                (settings.guild_id, *scalars, *lists, by, now.isoformat()),
            )
        self._settings[settings.guild_id] = settings

    # -- domain lists --------------------------------------------------------------------------

    async def domain_lists(self, guild_id: int) -> DomainLists:
        cached = self._lists.get(guild_id)
        if cached is None:
            rows = await self._db.fetchall(
                "SELECT domain, list FROM spam_domains WHERE guild_id = ? ORDER BY domain", (guild_id,)
            )
            cached = self._lists[guild_id] = DomainLists(
                allowed=tuple(r["domain"] for r in rows if r["list"] == ListName.ALLOW.value),
                blocked=tuple(r["domain"] for r in rows if r["list"] == ListName.BLOCK.value),
            )
        return cached

    async def set_domain(
        self, guild_id: int, domain: str, which: ListName, by: int | None, now: datetime
    ) -> ListName | None:
        """Put a domain on one list (taking it off the other); returns the list it was on before."""
        before = (await self.domain_lists(guild_id)).list_of(domain)
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO spam_domains (guild_id, domain, list, added_by, added_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (guild_id, domain) DO UPDATE SET list = excluded.list, "
                "added_by = excluded.added_by, added_at = excluded.added_at",
                (guild_id, domain, which.value, by, now.isoformat()),
            )
        self._lists.pop(guild_id, None)
        return before

    async def remove_domain(self, guild_id: int, domain: str) -> ListName | None:
        """Take a domain off the server's lists; returns the list it was on (None: it was on none)."""
        before = (await self.domain_lists(guild_id)).list_of(domain)
        if before is not None:
            async with self._db.transaction() as conn:
                await conn.execute("DELETE FROM spam_domains WHERE guild_id = ? AND domain = ?", (guild_id, domain))
            self._lists.pop(guild_id, None)
        return before
