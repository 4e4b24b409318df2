"""SQL for the job queue (implements bot.jobs.store.JobRecords), and `enqueue_in`, which another store calls
inside its own transaction so that a state change and its side effects commit together."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.core.clock import Clock
from bot.jobs import rules
from bot.jobs.model import Job, JobState, JsonDict, NewJob
from bot.storage.database import Database

_PENDING, _RUNNING = JobState.PENDING.value, JobState.RUNNING.value


def _ts(moment: datetime) -> float:
    return moment.timestamp()


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _job(row: sqlite3.Row) -> Job:
    due, created = _time(row["due_at"]), _time(row["created_at"])
    assert due is not None and created is not None
    return Job(
        id=row["id"],
        kind=row["kind"],
        key=row["idempotency_key"],
        guild_id=row["guild_id"],
        payload=json.loads(row["payload"]),
        state=JobState(row["state"]),
        due_at=due,
        attempts=row["attempts"],
        max_attempts=row["max_attempts"],
        last_error=row["last_error"],
        result=json.loads(row["result"]),
        created_at=created,
        lease_until=_time(row["lease_until"]),
        finished_at=_time(row["finished_at"]),
    )


async def enqueue_in(conn: aiosqlite.Connection, new: NewJob, now: datetime) -> int:
    """Add a job inside the caller's open transaction (it commits or rolls back with the caller's change).
    A job with the same key already there is kept as it is; returns the id either way."""
    due = new.due_at or now
    cursor = await conn.execute(
        "INSERT INTO jobs (kind, idempotency_key, guild_id, payload, due_at, max_attempts, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
        (
            new.kind,
            new.key,
            new.guild_id,
            json.dumps(new.payload, sort_keys=True),
            _ts(due),
            new.max_attempts or rules.MAX_ATTEMPTS,
            _ts(now),
        ),
    )
    if cursor.rowcount == 1 and cursor.lastrowid:
        return cursor.lastrowid
    rows = await conn.execute_fetchall("SELECT id FROM jobs WHERE idempotency_key = ?", (new.key,))
    return int(next(iter(rows))[0])


async def enqueue_effects(
    conn: aiosqlite.Connection, store: JobStore | None, jobs: Iterable[NewJob], now: datetime | None
) -> None:
    """For a feature store: enqueue a transition's jobs in its open transaction, through the job store (which
    wakes the runner) or, in a store built without one (tests, the command line), directly at `now`."""
    jobs = list(jobs)
    if store is not None:
        await store.enqueue_all(conn, jobs)
        return
    for job in jobs:
        assert now is not None, "a store without a job store needs the time of the change"
        await enqueue_in(conn, job, now)


class JobStore:
    """The `jobs` table. `wake` (set by the runner) is called after every enqueue; a runner woken before the
    enqueueing transaction commits waits for the write lock, so it never misses the job."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self.wake: Callable[[], None] | None = None

    def notify(self) -> None:
        if self.wake is not None:
            self.wake()

    async def enqueue_all(self, conn: aiosqlite.Connection, jobs: Iterable[NewJob]) -> list[int]:
        """`enqueue_in` for several jobs inside the caller's transaction, then wake the runner."""
        now = self._clock.now()
        ids = [await enqueue_in(conn, new, now) for new in jobs]
        if ids:
            self.notify()
        return ids

    async def enqueue(self, new: NewJob) -> Job:
        async with self._db.transaction() as conn:
            job_id = await enqueue_in(conn, new, self._clock.now())
        self.notify()
        job = await self.get(job_id)
        assert job is not None
        return job

    async def get(self, job_id: int) -> Job | None:
        row = await self._db.fetchone("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return _job(row) if row else None

    async def by_key(self, key: str) -> Job | None:
        row = await self._db.fetchone("SELECT * FROM jobs WHERE idempotency_key = ?", (key,))
        return _job(row) if row else None

    async def _claim(self, where: str, params: tuple[Any, ...], lease_until: datetime) -> list[Job]:
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE jobs SET state = ?, attempts = attempts + 1, lease_until = ? "
                f"WHERE id IN (SELECT id FROM jobs WHERE {where}) RETURNING *",
                (_RUNNING, _ts(lease_until), *params),
            )
        return sorted((_job(row) for row in rows), key=lambda job: (job.due_at, job.id))

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Job]:
        return await self._claim(
            "state = ? AND due_at <= ? ORDER BY due_at, id LIMIT ?", (_PENDING, _ts(now), limit), lease_until
        )

    async def claim(self, job_id: int, now: datetime, lease_until: datetime) -> Job | None:
        found = await self._claim("id = ? AND state = ?", (job_id, _PENDING), lease_until)
        return found[0] if found else None

    async def _update(self, sql: str, params: tuple[Any, ...]) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount == 1

    async def record(self, job_id: int, result: JsonDict) -> None:
        await self._update("UPDATE jobs SET result = ? WHERE id = ?", (json.dumps(result, sort_keys=True), job_id))

    async def complete(self, job_id: int, result: JsonDict, at: datetime) -> bool:
        return await self._update(
            "UPDATE jobs SET state = 'done', result = ?, finished_at = ?, lease_until = NULL "
            "WHERE id = ? AND state = ?",
            (json.dumps(result, sort_keys=True), _ts(at), job_id, _RUNNING),
        )

    async def reschedule(self, job_id: int, due_at: datetime, error: str) -> bool:
        return await self._update(
            "UPDATE jobs SET state = ?, due_at = ?, last_error = ?, lease_until = NULL WHERE id = ? AND state = ?",
            (_PENDING, _ts(due_at), error, job_id, _RUNNING),
        )

    async def bury(self, job_id: int, error: str, at: datetime) -> bool:
        return await self._update(
            "UPDATE jobs SET state = 'dead', last_error = ?, finished_at = ?, lease_until = NULL "
            "WHERE id = ? AND state = ?",
            (error, _ts(at), job_id, _RUNNING),
        )

    async def revive(self, job_id: int, due_at: datetime) -> Job | None:
        """A dead job pending again with its attempts reset; None when it was not dead."""
        revived = await self._update(
            "UPDATE jobs SET state = ?, due_at = ?, attempts = 0, finished_at = NULL WHERE id = ? AND state = 'dead'",
            (_PENDING, _ts(due_at), job_id),
        )
        if revived:
            self.notify()
        return await self.get(job_id) if revived else None

    async def recover(self, now: datetime) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE jobs SET state = ?, due_at = MIN(due_at, ?), lease_until = NULL "
                "WHERE state = ? AND lease_until <= ?",
                (_PENDING, _ts(now), _RUNNING, _ts(now)),
            )
            return cursor.rowcount

    async def next_due(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MIN(t) FROM (SELECT MIN(due_at) AS t FROM jobs WHERE state = ? "
            "UNION ALL SELECT MIN(lease_until) FROM jobs WHERE state = ?)",
            (_PENDING, _RUNNING),
        )
        return _time(value)

    async def count(self, state: JobState, kind: str | None = None) -> int:
        if kind is None:
            return int(await self._db.fetchval("SELECT COUNT(*) FROM jobs WHERE state = ?", (state.value,)))
        return int(
            await self._db.fetchval("SELECT COUNT(*) FROM jobs WHERE state = ? AND kind = ?", (state.value, kind))
        )

    async def purge_finished(self, done_before: datetime, dead_before: datetime) -> int:
        """Erase done jobs finished before `done_before` and dead ones before `dead_before`; how many."""
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "DELETE FROM jobs WHERE (state = 'done' AND finished_at < ?) OR (state = 'dead' AND finished_at < ?) "
                "RETURNING 1",
                (_ts(done_before), _ts(dead_before)),
            )
        return len(list(rows))

    async def forget(self, guild_id: int | None, user_id: int | None) -> int:
        """Erase finished jobs of a server (all of them when `user_id` is None) or those whose payload or result
        names a member (by id, or by the id in a #mod-log line). Pending and running ones stay: they take the
        member's posts down."""
        where: list[str] = ["state IN ('done', 'dead')"]
        params: list[object] = []
        if guild_id is not None:
            where.append("guild_id = ?")
            params.append(guild_id)
        if user_id is not None:
            where.append("(payload LIKE ? OR result LIKE ?)")
            params += [f"%{user_id}%", f"%{user_id}%"]
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(f"DELETE FROM jobs WHERE {' AND '.join(where)} RETURNING 1", params)
        return len(list(rows))

    async def dead(self, guild_id: int) -> list[Job]:
        rows = await self._db.fetchall(
            "SELECT * FROM jobs WHERE guild_id = ? AND state = 'dead' ORDER BY id", (guild_id,)
        )
        return [_job(row) for row in rows]
