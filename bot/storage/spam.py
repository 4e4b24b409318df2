"""SQL for the spam filter: incidents with their copies, decisions, forgetting, stats; settings and domain lists
in bot/storage/spam_settings.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from bot.jobs.model import NewJob
from bot.spam.model import (
    Copy,
    DayCount,
    Decision,
    DecisionAction,
    Incident,
    IncidentStatus,
    NewIncident,
    SpamStats,
)
from bot.spam.store import Effects
from bot.storage.database import Database
from bot.storage.jobs import JobStore, enqueue_effects
from bot.storage.spam_settings import SpamSettingsQueries

_OPEN = IncidentStatus.OPEN.value


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _required_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _copy(row: sqlite3.Row) -> Copy:
    return Copy(
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        content=row["content"],
        posted_at=_required_time(row["posted_at"]),
        edited=bool(row["edited"]),
        deleted_at=_time(row["deleted_at"]),
        deleted_by=row["deleted_by"],
    )


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(
        moderator_id=row["moderator_id"],
        action=DecisionAction(row["action"]),
        detail=row["detail"],
        decided_at=_required_time(row["decided_at"]),
    )


class SpamStore(SpamSettingsQueries):
    """Reads and writes the spam tables. Settings and lists are cached: this process is the only writer. The
    Discord effects of a change (bot.spam.effects) are enqueued in its transaction through `jobs`."""

    def __init__(self, db: Database, jobs: JobStore | None = None) -> None:
        super().__init__(db)
        self._jobs = jobs

    # -- incidents -----------------------------------------------------------------------------

    async def create_incident(self, new: NewIncident, effects: Effects = None) -> Incident:
        """Store an incident with its first copy (and the jobs `effects(incident id)` names)."""
        copy = new.first_copy
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "INSERT INTO spam_incidents (guild_id, number, author_id, author_name, flood_key, action, score, "
                "reasons, reason_codes, account_age_days, member_age_days, created_at, updated_at) VALUES "
                "(?, (SELECT COALESCE(MAX(number), 0) + 1 FROM spam_incidents WHERE guild_id = ?), "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    new.guild_id,
                    new.guild_id,
                    new.author_id,
                    new.author_name,
                    new.flood_key,
                    new.action,
                    new.score,
                    json.dumps(list(new.reasons)),
                    json.dumps(list(new.reason_codes)),
                    new.account_age_days,
                    new.member_age_days,
                    copy.posted_at.isoformat(),
                    copy.posted_at.isoformat(),
                ),
            )
            incident_id = int(next(iter(rows))[0])
            await conn.executemany(
                "INSERT OR IGNORE INTO spam_incident_domains (incident_id, domain) VALUES (?, ?)",
                [(incident_id, d) for d in new.domains],
            )
            await self._insert_copy(conn, incident_id, copy)
            await enqueue_effects(conn, self._jobs, effects(incident_id) if effects else (), copy.posted_at)
        return await self._require(incident_id)

    @staticmethod
    async def _insert_copy(conn: Any, incident_id: int, copy: Copy) -> None:
        await conn.execute(
            "INSERT INTO spam_copies (incident_id, channel_id, message_id, content, posted_at, edited, deleted_at, "
            "deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id, message_id) DO UPDATE SET "
            "content = excluded.content, edited = MAX(edited, excluded.edited), "
            "deleted_at = COALESCE(deleted_at, excluded.deleted_at), "
            "deleted_by = COALESCE(deleted_by, excluded.deleted_by)",
            (
                incident_id,
                copy.channel_id,
                copy.message_id,
                copy.content,
                copy.posted_at.isoformat(),
                int(copy.edited),
                copy.deleted_at.isoformat() if copy.deleted_at else None,
                copy.deleted_by,
            ),
        )

    @staticmethod
    async def _insert_decision(
        conn: Any,
        incident_id: int,
        guild_id: int,
        moderator_id: int | None,
        action: DecisionAction,
        detail: str,
        when: datetime,
    ) -> None:
        await conn.execute(
            "INSERT INTO spam_decisions (incident_id, guild_id, moderator_id, action, detail, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (incident_id, guild_id, moderator_id, action.value, detail, when.isoformat()),
        )

    async def add_copy(
        self,
        incident_id: int,
        copy: Copy,
        *,
        score: float,
        reasons: Iterable[str],
        reason_codes: Iterable[str],
        domains: Iterable[str],
        effects: Effects = None,
    ) -> Incident:
        """Add a copy (or update the text of one already listed); the score keeps its highest value and
        the reasons and domains are merged."""
        incident = await self._require(incident_id)
        merged_reasons = list(dict.fromkeys((*incident.reasons, *reasons)))
        merged_codes = list(dict.fromkeys((*incident.reason_codes, *reason_codes)))
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE spam_incidents SET score = MAX(score, ?), reasons = ?, reason_codes = ?, updated_at = ? "
                "WHERE id = ?",
                (score, json.dumps(merged_reasons), json.dumps(merged_codes), copy.posted_at.isoformat(), incident_id),
            )
            await conn.executemany(
                "INSERT OR IGNORE INTO spam_incident_domains (incident_id, domain) VALUES (?, ?)",
                [(incident_id, d) for d in domains],
            )
            await self._insert_copy(conn, incident_id, copy)
            await enqueue_effects(conn, self._jobs, effects(incident_id) if effects else (), copy.posted_at)
        return await self._require(incident_id)

    async def set_queue_post(self, incident_id: int, channel_id: int, message_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE spam_incidents SET queue_channel_id = ?, queue_message_id = ? WHERE id = ?",
                (channel_id, message_id, incident_id),
            )

    async def get(self, incident_id: int) -> Incident | None:
        row = await self._db.fetchone("SELECT * FROM spam_incidents WHERE id = ?", (incident_id,))
        if row is None:
            return None
        copies = await self._db.fetchall("SELECT * FROM spam_copies WHERE incident_id = ? ORDER BY id", (incident_id,))
        decisions = await self._db.fetchall(
            "SELECT * FROM spam_decisions WHERE incident_id = ? ORDER BY id", (incident_id,)
        )
        domains = await self._db.fetchall(
            "SELECT domain FROM spam_incident_domains WHERE incident_id = ? ORDER BY rowid", (incident_id,)
        )
        return Incident(
            id=row["id"],
            guild_id=row["guild_id"],
            number=row["number"],
            author_id=row["author_id"],
            author_name=row["author_name"],
            flood_key=row["flood_key"],
            action=row["action"],
            score=row["score"],
            reasons=tuple(json.loads(row["reasons"])),
            reason_codes=tuple(json.loads(row["reason_codes"])),
            domains=tuple(r["domain"] for r in domains),
            status=IncidentStatus(row["status"]),
            account_age_days=row["account_age_days"],
            member_age_days=row["member_age_days"],
            created_at=_required_time(row["created_at"]),
            updated_at=_required_time(row["updated_at"]),
            queue_channel_id=row["queue_channel_id"],
            queue_message_id=row["queue_message_id"],
            copies=tuple(_copy(r) for r in copies),
            decisions=tuple(_decision(r) for r in decisions),
        )

    async def _require(self, incident_id: int) -> Incident:
        incident = await self.get(incident_id)
        if incident is None:
            raise LookupError(f"spam incident {incident_id} does not exist")
        return incident

    async def open_flood_incident(
        self, guild_id: int, author_id: int, flood_key: str, since: datetime
    ) -> Incident | None:
        """The open incident of this flood by this author updated since `since`, if any."""
        incident_id = await self._db.fetchval(
            "SELECT id FROM spam_incidents WHERE guild_id = ? AND flood_key = ? AND author_id = ? AND status = ? "
            "AND updated_at >= ? ORDER BY id DESC LIMIT 1",
            (guild_id, flood_key, author_id, _OPEN, since.isoformat()),
        )
        return None if incident_id is None else await self.get(int(incident_id))

    async def incident_for_message(self, guild_id: int, message_id: int) -> Incident | None:
        """The latest incident listing this message."""
        incident_id = await self._db.fetchval(
            "SELECT c.incident_id FROM spam_copies c JOIN spam_incidents i ON i.id = c.incident_id "
            "WHERE c.message_id = ? AND i.guild_id = ? ORDER BY c.incident_id DESC LIMIT 1",
            (message_id, guild_id),
        )
        return None if incident_id is None else await self.get(int(incident_id))

    async def listed_messages(self, guild_id: int, message_ids: Iterable[int]) -> set[int]:
        """Which of these messages some incident of the server already lists."""
        ids = list(message_ids)
        if not ids:
            return set()
        rows = await self._db.fetchall(
            "SELECT DISTINCT c.message_id FROM spam_copies c JOIN spam_incidents i ON i.id = c.incident_id "
            f"WHERE i.guild_id = ? AND c.message_id IN ({', '.join('?' for _ in ids)})",
            (guild_id, *ids),
        )
        return {int(r["message_id"]) for r in rows}

    # -- decisions -----------------------------------------------------------------------------

    async def mark_deleted(self, incident_id: int, message_ids: Iterable[int], by: int | None, now: datetime) -> None:
        """Record that these copies are gone (by a moderator, or by the filter when `by` is None)."""
        ids = list(message_ids)
        if not ids:
            return
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE spam_copies SET deleted_at = ?, deleted_by = ? "
                "WHERE incident_id = ? AND message_id = ? AND deleted_at IS NULL",
                [(now.isoformat(), by, incident_id, mid) for mid in ids],
            )

    async def decide(
        self,
        incident_id: int,
        moderator_id: int | None,
        action: DecisionAction,
        now: datetime,
        detail: str = "",
        *,
        expected: frozenset[IncidentStatus] | None = None,
        jobs: Sequence[NewJob] = (),
    ) -> Incident | None:
        """Store a decision; a settling one (dismiss, delete, timeout, ban) also sets the status, in one
        conditional UPDATE on the `expected` statuses: when the incident is no longer in one of them (another
        moderator was first), nothing is stored and None is returned. `jobs` (its #mod-log line) are enqueued
        in the same transaction."""
        incident = await self._require(incident_id)
        status = action.settles
        async with self._db.transaction() as conn:
            if status is not None:
                allowed = (
                    sorted(s.value for s in expected) if expected is not None else [s.value for s in IncidentStatus]
                )
                won = await conn.execute_fetchall(
                    "UPDATE spam_incidents SET status = ?, updated_at = ? "
                    f"WHERE id = ? AND status IN ({', '.join('?' for _ in allowed)}) RETURNING id",
                    (status.value, now.isoformat(), incident_id, *allowed),
                )
                if not list(won):
                    return None
            await self._insert_decision(conn, incident_id, incident.guild_id, moderator_id, action, detail, now)
            await enqueue_effects(conn, self._jobs, jobs, now)
        return await self._require(incident_id)

    # -- forgetting ----------------------------------------------------------------------------

    async def forget_member(self, guild_id: int | None, user_id: int) -> tuple[int, list[tuple[int, int]]]:
        """Erase the text kept of this member's messages in their decided incidents (the decisions and counts
        stay); returns the rows changed and the #mod-queue posts (channel, message) that showed the text."""
        where = "author_id = ? AND status != ?" + (" AND guild_id = ?" if guild_id is not None else "")
        params: tuple[Any, ...] = (user_id, _OPEN, *((guild_id,) if guild_id is not None else ()))
        async with self._db.transaction() as conn:
            posts = await conn.execute_fetchall(
                f"SELECT queue_channel_id, queue_message_id FROM spam_incidents WHERE {where} "
                "AND queue_message_id IS NOT NULL",
                params,
            )
            copies = await conn.execute_fetchall(
                "UPDATE spam_copies SET content = '' WHERE content != '' AND incident_id IN "
                f"(SELECT id FROM spam_incidents WHERE {where}) RETURNING id",
                params,
            )
            named = await conn.execute_fetchall(
                f"UPDATE spam_incidents SET author_name = '' WHERE {where} AND author_name != '' RETURNING id",
                params,
            )
        return len(list(copies)) + len(list(named)), [(int(r[0]), int(r[1])) for r in posts]

    async def forget_guild(self, guild_id: int) -> int:
        """Erase every incident (with copies, domains, decisions), the settings and the lists of a server."""
        total = 0
        async with self._db.transaction() as conn:
            for table in ("spam_incidents", "spam_settings", "spam_domains"):
                rows = await conn.execute_fetchall(f"DELETE FROM {table} WHERE guild_id = ? RETURNING 1", (guild_id,))
                total += len(list(rows))
        self._settings.pop(guild_id, None)
        self._lists.pop(guild_id, None)
        return total

    async def purge_copies_before(self, cutoff: datetime) -> int:
        """Erase the text of copies in incidents decided (no longer open) and last changed before `cutoff`."""
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE spam_copies SET content = '' WHERE content != '' AND incident_id IN "
                "(SELECT id FROM spam_incidents WHERE status != ? AND updated_at < ?) RETURNING id",
                (_OPEN, cutoff.isoformat()),
            )
        return len(list(rows))

    # -- stats ---------------------------------------------------------------------------------

    async def stats(self, guild_id: int, since: datetime, days: int) -> SpamStats:
        """Incidents created since `since`, their decisions, top domains and counts per day."""
        params = (guild_id, since.isoformat())
        window = "FROM spam_incidents WHERE guild_id = ? AND created_at >= ?"
        totals = await self._db.fetchone(
            "SELECT COUNT(*) AS incidents, "
            "COALESCE(SUM(action = 'flag'), 0) AS flagged, COALESCE(SUM(action = 'delete'), 0) AS auto_deleted, "
            f"COALESCE(SUM(status = '{_OPEN}'), 0) AS open, COALESCE(SUM(status = 'dismissed'), 0) AS dismissed "
            + window,
            params,
        )
        assert totals is not None
        copies = await self._db.fetchval(
            f"SELECT COUNT(*) FROM spam_copies WHERE incident_id IN (SELECT id {window})", params
        )
        decisions = await self._db.fetchall(
            f"SELECT action, COUNT(*) AS n FROM spam_decisions WHERE incident_id IN (SELECT id {window}) "
            "GROUP BY action ORDER BY n DESC, action",
            params,
        )
        domains = await self._db.fetchall(
            f"SELECT domain, COUNT(*) AS n FROM spam_incident_domains WHERE incident_id IN (SELECT id {window}) "
            "GROUP BY domain ORDER BY n DESC, domain LIMIT 10",
            params,
        )
        per_day = await self._db.fetchall(
            "SELECT substr(created_at, 1, 10) AS day, SUM(action = 'flag') AS flagged, "
            f"SUM(action = 'delete') AS deleted {window} GROUP BY day ORDER BY day",
            params,
        )
        incidents = int(totals["incidents"])
        return SpamStats(
            days=days,
            incidents=incidents,
            flagged=int(totals["flagged"]),
            auto_deleted=int(totals["auto_deleted"]),
            copies=int(copies or 0),
            open=int(totals["open"]),
            reviewed=incidents - int(totals["open"]),
            dismissed=int(totals["dismissed"]),
            decisions={r["action"]: int(r["n"]) for r in decisions},
            top_domains=tuple((r["domain"], int(r["n"])) for r in domains),
            per_day=tuple(
                DayCount(date.fromisoformat(r["day"]), int(r["flagged"]), int(r["deleted"])) for r in per_day
            ),
        )
