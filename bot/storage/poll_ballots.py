"""SQL for the ballots of anonymous polls (part of the SQLite PollStore; see bot.polls.anonymous).

A ballot is stored under a keyed hash of the voter, never a member id, one row per answer chosen. It is
written only while the poll is open and before its end; of two closes exactly one wins, and the winner
keeps the totals and deletes the poll's secret and every ballot in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.polls import effects
from bot.polls.model import Cast
from bot.storage.database import Database
from bot.storage.jobs import JobStore, enqueue_effects
from bot.storage.poll_schedules import _required_time, iso


class BallotQueries:
    """The anonymous half of the SQLite PollStore: the poll's secret, ballots, the post and the close."""

    _db: Database
    _jobs: JobStore | None

    async def _closed(
        self, conn: aiosqlite.Connection, poll_id: int, at: datetime, results_due: datetime | None
    ) -> None:
        """In a close's transaction: its results are to be posted (at `results_due`, default now)."""
        rows = await conn.execute_fetchall("SELECT guild_id FROM polls WHERE id = ?", (poll_id,))
        job = effects.on_closed(next(iter(rows))["guild_id"], poll_id, results_due)
        await enqueue_effects(conn, self._jobs, [job], at)

    async def set_message(self, poll_id: int, message_id: int) -> bool:
        """The anonymous poll's post is up (for a schedule's week: that week becomes posted); close it at its end."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE polls SET message_id = ? WHERE id = ? AND message_id IS NULL", (message_id, poll_id)
            )
            if cursor.rowcount == 0:
                return False
            rows = await conn.execute_fetchall("SELECT guild_id, ends_at FROM polls WHERE id = ?", (poll_id,))
            row = next(iter(rows))
            ends_at = _required_time(row["ends_at"])
            await enqueue_effects(conn, self._jobs, [effects.on_posted(row["guild_id"], poll_id, ends_at)], ends_at)
            await conn.execute(
                "UPDATE poll_schedule_runs SET status = 'posted', poll_id = ?"
                " WHERE status = 'claimed'"
                " AND (schedule_id, week) = (SELECT schedule_id, week FROM polls WHERE id = ?)",
                (poll_id, poll_id),
            )
            return True

    async def discard(self, poll_id: int) -> bool:
        """Remove an anonymous poll whose post never went up."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM polls WHERE id = ? AND message_id IS NULL", (poll_id,))
            return cursor.rowcount > 0

    async def legacy_anonymous(self, legacy_id: int) -> int | None:
        """The poll number of an anonymous poll posted before they joined the polls table (its old buttons)."""
        value = await self._db.fetchval("SELECT id FROM polls WHERE legacy_anonymous_id = ?", (legacy_id,))
        return int(value) if value is not None else None

    async def secret(self, poll_id: int) -> bytes | None:
        value = await self._db.fetchval(
            "SELECT secret FROM polls WHERE id = ? AND anonymous = 1 AND ended_at IS NULL", (poll_id,)
        )
        return bytes(value) if value is not None else None

    async def cast(self, poll_id: int, voter_key: str, answer_ids: tuple[int, ...], now: datetime) -> Cast:
        async with self._db.transaction() as conn:
            state = await conn.execute_fetchall(
                "SELECT ended_at IS NULL AND ends_at > ? AS open FROM polls WHERE id = ? AND anonymous = 1",
                (iso(now), poll_id),
            )
            if not state:
                return Cast.MISSING
            if not next(iter(state))["open"]:
                return Cast.CLOSED
            cursor = await conn.execute(
                "DELETE FROM poll_ballots WHERE poll_id = ? AND voter_key = ?", (poll_id, voter_key)
            )
            before = cursor.rowcount > 0
            await conn.executemany(
                "INSERT INTO poll_ballots (poll_id, voter_key, answer_id) VALUES (?, ?, ?)",
                [(poll_id, voter_key, answer_id) for answer_id in sorted(set(answer_ids))],
            )
        return Cast.CHANGED if before else Cast.NEW

    async def ballot(self, poll_id: int, voter_key: str) -> tuple[int, ...] | None:
        rows = await self._db.fetchall(
            "SELECT answer_id FROM poll_ballots WHERE poll_id = ? AND voter_key = ? ORDER BY answer_id",
            (poll_id, voter_key),
        )
        return tuple(row["answer_id"] for row in rows) or None

    async def close_anonymous(self, poll_id: int, ended_at: datetime, results_due: datetime | None = None) -> bool:
        """Keep the totals, delete the secret and the ballots; False when it had closed already."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE polls SET ended_at = ?, secret = NULL, counts_source = 'ballots',"
                " voters = (SELECT COUNT(DISTINCT voter_key) FROM poll_ballots WHERE poll_id = ?)"
                " WHERE id = ? AND anonymous = 1 AND ended_at IS NULL",
                (iso(ended_at), poll_id, poll_id),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "UPDATE poll_answers SET final_count = (SELECT COUNT(*) FROM poll_ballots b"
                " WHERE b.poll_id = poll_answers.poll_id AND b.answer_id = poll_answers.answer_id)"
                " WHERE poll_id = ?",
                (poll_id,),
            )
            await conn.execute("DELETE FROM poll_ballots WHERE poll_id = ?", (poll_id,))
            await self._closed(conn, poll_id, ended_at, results_due)
            return True
