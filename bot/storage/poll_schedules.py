"""SQL for weekly poll schedules, their question queue and which weeks ran (part of the SQLite PollStore).

A week is claimed with one conditional UPDATE on the schedule's expected next run, and recorded in
poll_schedule_runs under (schedule, week), so it is never posted twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from bot.polls import effects
from bot.polls.model import Claim, NewSchedule, QueueItem, ScheduleRecord
from bot.polls.options import AnswerSpec, answers_from_json, answers_to_json
from bot.polls.rules import Occurrence
from bot.storage.database import Database
from bot.storage.jobs import JobStore, enqueue_effects


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with a fixed width, so stored times sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _required_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _answers_json(answers: Sequence[AnswerSpec]) -> str:
    return json.dumps(answers_to_json(list(answers)), ensure_ascii=False)


_SCHEDULE_COLUMNS = """
    s.*, (SELECT COUNT(*) FROM poll_queue q WHERE q.schedule_id = s.id AND q.used_week IS NULL) AS queued
"""


def _schedule(row: sqlite3.Row) -> ScheduleRecord:
    return ScheduleRecord(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        question=row["question"],
        answers=answers_from_json(json.loads(row["answers_json"])),
        weekday=row["weekday"],
        time_of_day=time.fromisoformat(row["time_of_day"]),
        timezone=row["timezone"],
        duration_hours=row["duration_hours"],
        multiselect=bool(row["multiselect"]),
        paused=bool(row["paused"]),
        next_run_at=_required_time(row["next_run_at"]),
        created_by=row["created_by"],
        created_at=_required_time(row["created_at"]),
        removed_at=_time(row["removed_at"]),
        queued=row["queued"],
        anonymous=bool(row["anonymous"]),
        hidden_results=bool(row["hidden_results"]),
    )


def _queue_item(row: sqlite3.Row) -> QueueItem:
    return QueueItem(
        id=row["id"],
        schedule_id=row["schedule_id"],
        question=row["question"],
        answers=answers_from_json(json.loads(row["answers_json"])),
        added_by=row["added_by"],
        added_at=_required_time(row["added_at"]),
        used_week=date.fromisoformat(row["used_week"]) if row["used_week"] else None,
    )


class ScheduleQueries:
    """The schedule half of the SQLite PollStore: schedules, the queue, claimed and skipped weeks."""

    _db: Database
    _jobs: JobStore | None

    # -- schedules -----------------------------------------------------------------------------

    async def add_schedule(self, schedule: NewSchedule) -> int:
        return await self._db.execute(
            "INSERT INTO poll_schedules (guild_id, channel_id, question, answers_json, weekday, time_of_day,"
            " timezone, duration_hours, multiselect, next_run_at, created_by, created_at, anonymous, hidden_results)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                schedule.guild_id,
                schedule.channel_id,
                schedule.question,
                _answers_json(schedule.answers),
                schedule.weekday,
                schedule.time_of_day.strftime("%H:%M"),
                schedule.timezone,
                schedule.duration_hours,
                int(schedule.multiselect),
                iso(schedule.next_run_at),
                schedule.created_by,
                iso(schedule.created_at),
                int(schedule.anonymous),
                int(schedule.hidden_results),
            ),
        )

    async def get_schedule(self, schedule_id: int, guild_id: int | None = None) -> ScheduleRecord | None:
        row = await self._db.fetchone(
            f"SELECT {_SCHEDULE_COLUMNS} FROM poll_schedules s WHERE s.id = ? AND s.removed_at IS NULL"
            " AND (? IS NULL OR s.guild_id = ?)",
            (schedule_id, guild_id, guild_id),
        )
        return _schedule(row) if row else None

    async def schedules(self, guild_id: int) -> list[ScheduleRecord]:
        rows = await self._db.fetchall(
            f"SELECT {_SCHEDULE_COLUMNS} FROM poll_schedules s WHERE s.guild_id = ? AND s.removed_at IS NULL"
            " ORDER BY s.id",
            (guild_id,),
        )
        return [_schedule(row) for row in rows]

    async def schedules_due(self, now: datetime) -> list[ScheduleRecord]:
        rows = await self._db.fetchall(
            f"SELECT {_SCHEDULE_COLUMNS} FROM poll_schedules s"
            " WHERE s.removed_at IS NULL AND s.paused = 0 AND s.next_run_at <= ? ORDER BY s.next_run_at",
            (iso(now),),
        )
        return [_schedule(row) for row in rows]

    async def set_paused(self, schedule_id: int, paused: bool, next_run_at: datetime | None = None) -> bool:
        """Pause or resume a live schedule that is not so already; False when it was (or is removed)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE poll_schedules SET paused = ?, next_run_at = COALESCE(?, next_run_at)"
                " WHERE id = ? AND paused = ? AND removed_at IS NULL",
                (int(paused), iso(next_run_at) if next_run_at else None, schedule_id, int(not paused)),
            )
            return cursor.rowcount > 0

    async def remove_schedule(self, schedule_id: int, at: datetime) -> bool:
        """False when it was removed already."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE poll_schedules SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                (iso(at), schedule_id),
            )
            return cursor.rowcount > 0

    async def claim_week(
        self,
        schedule: ScheduleRecord,
        post: Occurrence | None,
        skipped: Sequence[Occurrence],
        next_run_at: datetime,
        now: datetime,
    ) -> tuple[Claim | None, list[Occurrence]]:
        """Atomically: record skipped weeks, claim the week to post, take the next queued question.

        A week already recorded (posted, skipped or claimed before a restart) is never claimed again.
        Returns the claim (None when there is nothing to post) and the weeks newly recorded as skipped.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE poll_schedules SET next_run_at = ? WHERE id = ? AND next_run_at = ?",
                (iso(next_run_at), schedule.id, iso(schedule.next_run_at)),
            )
            if cursor.rowcount == 0:  # another pass moved it on already
                return None, []
            newly_skipped: list[Occurrence] = []
            for occurrence in skipped:
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO poll_schedule_runs (schedule_id, week, due_at, status, recorded_at)"
                    " VALUES (?, ?, ?, 'skipped', ?)",
                    (schedule.id, occurrence.day.isoformat(), iso(occurrence.due), iso(now)),
                )
                if cursor.rowcount:
                    newly_skipped.append(occurrence)
            if post is None:
                return None, newly_skipped
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO poll_schedule_runs (schedule_id, week, due_at, status, recorded_at)"
                " VALUES (?, ?, ?, 'claimed', ?)",
                (schedule.id, post.day.isoformat(), iso(post.due), iso(now)),
            )
            if cursor.rowcount == 0:
                return None, newly_skipped
            post_job = effects.on_claimed(schedule.guild_id, schedule.id, post.day)
            await enqueue_effects(conn, self._jobs, [post_job], now)  # posted by the runner, after a crash too
            rows = await conn.execute_fetchall(  # fetch everything: an open cursor would block the COMMIT
                "SELECT id, question, answers_json FROM poll_queue"
                " WHERE schedule_id = ? AND used_week IS NULL ORDER BY id LIMIT 1",
                (schedule.id,),
            )
            queued = next(iter(rows), None)
            question, answers, queue_id = schedule.question, schedule.answers, None
            if queued is not None:
                queue_id = queued["id"]
                question, answers = queued["question"], answers_from_json(json.loads(queued["answers_json"]))
                await conn.execute("UPDATE poll_queue SET used_week = ? WHERE id = ?", (post.day.isoformat(), queue_id))
                await conn.execute(
                    "UPDATE poll_schedule_runs SET queue_id = ? WHERE schedule_id = ? AND week = ?",
                    (queue_id, schedule.id, post.day.isoformat()),
                )
            return Claim(schedule, post.day, post.due, question, answers, queue_id), newly_skipped

    async def claimed_week(self, schedule: ScheduleRecord, week: date) -> Claim | None:
        """A week still claimed (not posted, failed or skipped), as it was claimed: its queued question, if any."""
        row = await self._db.fetchone(
            "SELECT r.due_at, r.queue_id, q.question, q.answers_json FROM poll_schedule_runs r"
            " LEFT JOIN poll_queue q ON q.id = r.queue_id"
            " WHERE r.schedule_id = ? AND r.week = ? AND r.status = 'claimed'",
            (schedule.id, week.isoformat()),
        )
        if row is None:
            return None
        question, answers = schedule.question, schedule.answers
        if row["queue_id"] is not None:
            question, answers = row["question"], answers_from_json(json.loads(row["answers_json"]))
        return Claim(schedule, week, _required_time(row["due_at"]), question, answers, row["queue_id"])

    async def fail_claim(self, claim: Claim) -> bool:
        """Posting failed: mark the week failed and give its queued question back to the next week.

        False (and nothing changed) when the week is no longer claimed (it was posted after all)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE poll_schedule_runs SET status = 'failed'"
                " WHERE schedule_id = ? AND week = ? AND status = 'claimed'",
                (claim.schedule.id, claim.week.isoformat()),
            )
            if cursor.rowcount == 0:
                return False
            if claim.queue_id is not None:
                await conn.execute("UPDATE poll_queue SET used_week = NULL WHERE id = ?", (claim.queue_id,))
            return True

    async def runs(self, schedule_id: int) -> list[tuple[date, str, int | None]]:
        """(week, status, poll id) of every recorded week, oldest first."""
        rows = await self._db.fetchall(
            "SELECT week, status, poll_id FROM poll_schedule_runs WHERE schedule_id = ? ORDER BY week",
            (schedule_id,),
        )
        return [(date.fromisoformat(row["week"]), row["status"], row["poll_id"]) for row in rows]

    async def search_schedules(self, guild_id: int, query: str, limit: int = 25) -> list[tuple[int, str]]:
        needle = query.strip().casefold()
        return [
            (schedule.id, schedule.question)
            for schedule in await self.schedules(guild_id)
            if not needle or needle in schedule.question.casefold() or needle.lstrip("#") == str(schedule.id)
        ][:limit]

    # -- queue ---------------------------------------------------------------------------------

    async def add_to_queue(
        self, schedule_id: int, question: str, answers: Sequence[AnswerSpec], added_by: int, at: datetime
    ) -> int:
        return await self._db.execute(
            "INSERT INTO poll_queue (schedule_id, question, answers_json, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
            (schedule_id, question, _answers_json(answers), added_by, iso(at)),
        )

    async def queue(self, schedule_id: int, *, include_used: bool = False) -> list[QueueItem]:
        rows = await self._db.fetchall(
            "SELECT * FROM poll_queue WHERE schedule_id = ? AND (? OR used_week IS NULL) ORDER BY id",
            (schedule_id, int(include_used)),
        )
        return [_queue_item(row) for row in rows]
