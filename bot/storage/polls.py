"""SQL for polls: posted polls, answers and final counts, votes seen (schedules: bot/storage/poll_schedules.py,
anonymous ballots: bot/storage/poll_ballots.py).

Implements bot.polls.store.PollStore. Every state transition is one conditional UPDATE on the state it
expects, so of two racing actions exactly one wins and the other learns it lost (a False or None).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bot.polls import effects
from bot.polls.model import AnswerRecord, NewPoll, NewSchedule, PollRecord
from bot.storage.database import Database
from bot.storage.jobs import JobStore, enqueue_effects
from bot.storage.poll_ballots import BallotQueries
from bot.storage.poll_schedules import ScheduleQueries, _required_time, _time, iso

__all__ = ["NewPoll", "NewSchedule", "PollStore", "iso"]


class PollStore(ScheduleQueries, BallotQueries):
    """Reads and writes the poll tables; every write is one transaction, and the Discord side effects a
    transition causes (bot.polls.effects) are enqueued in it, through `jobs` (which wakes the runner)."""

    def __init__(self, db: Database, jobs: JobStore | None = None) -> None:
        self._db = db
        self._jobs = jobs

    # -- polls ---------------------------------------------------------------------------------

    async def add_poll(self, poll: NewPoll, secret: bytes | None = None) -> int:
        """Record a poll (an anonymous one with its secret, before its post goes up: see `set_message`)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO polls (guild_id, channel_id, message_id, question, multiselect, hidden_results,"
                " duration_hours, schedule_id, week, created_by, created_at, ends_at, anonymous, secret)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    poll.guild_id,
                    poll.channel_id,
                    poll.message_id,
                    poll.question,
                    int(poll.multiselect),
                    int(poll.hidden_results),
                    poll.duration_hours,
                    poll.schedule_id,
                    poll.week.isoformat() if poll.week else None,
                    poll.created_by,
                    iso(poll.created_at),
                    iso(poll.ends_at),
                    int(poll.anonymous),
                    secret,
                ),
            )
            poll_id = cursor.lastrowid
            assert poll_id is not None
            await conn.executemany(
                "INSERT INTO poll_answers (poll_id, answer_id, text, emoji) VALUES (?, ?, ?, ?)",
                [(poll_id, number, a.text, a.emoji) for number, a in enumerate(poll.answers, start=1)],
            )
            if poll.message_id is not None:  # a native poll, up already: close it at its end
                close = effects.on_posted(poll.guild_id, poll_id, poll.ends_at)
                await enqueue_effects(conn, self._jobs, [close], poll.created_at)
            if poll.schedule_id is not None and poll.week is not None and poll.message_id is not None:
                await conn.execute(
                    "UPDATE poll_schedule_runs SET status = 'posted', poll_id = ?"
                    " WHERE schedule_id = ? AND week = ? AND status = 'claimed'",
                    (poll_id, poll.schedule_id, poll.week.isoformat()),
                )
            return poll_id

    async def _records(self, where: str, params: Sequence[Any], suffix: str = "") -> list[PollRecord]:
        rows = await self._db.fetchall(f"SELECT * FROM polls WHERE {where} {suffix}", params)
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ", ".join("?" for _ in ids)
        answers: dict[int, list[AnswerRecord]] = {poll_id: [] for poll_id in ids}
        for row in await self._db.fetchall(
            "SELECT a.*, (SELECT COUNT(*) FROM poll_votes v WHERE v.poll_id = a.poll_id"
            " AND v.answer_id = a.answer_id) + (SELECT COUNT(*) FROM poll_ballots b WHERE b.poll_id = a.poll_id"
            " AND b.answer_id = a.answer_id) AS seen"
            f" FROM poll_answers a WHERE a.poll_id IN ({marks}) ORDER BY a.poll_id, a.answer_id",
            ids,
        ):
            answers[row["poll_id"]].append(
                AnswerRecord(row["answer_id"], row["text"], row["emoji"], row["final_count"], row["seen"])
            )
        voters = {
            row["poll_id"]: row["n"]
            for row in await self._db.fetchall(
                f"SELECT poll_id, COUNT(DISTINCT user_id) AS n FROM poll_votes WHERE poll_id IN ({marks})"
                " GROUP BY poll_id UNION ALL SELECT poll_id, COUNT(DISTINCT voter_key) FROM poll_ballots"
                f" WHERE poll_id IN ({marks}) GROUP BY poll_id",
                ids + ids,
            )
        }
        return [
            PollRecord(
                id=row["id"],
                guild_id=row["guild_id"],
                channel_id=row["channel_id"],
                message_id=row["message_id"],
                question=row["question"],
                multiselect=bool(row["multiselect"]),
                hidden_results=bool(row["hidden_results"]),
                duration_hours=row["duration_hours"],
                schedule_id=row["schedule_id"],
                week=date.fromisoformat(row["week"]) if row["week"] else None,
                created_by=row["created_by"],
                created_at=_required_time(row["created_at"]),
                ends_at=_required_time(row["ends_at"]),
                ended_at=_time(row["ended_at"]),
                voters=row["voters"],
                counts_source=row["counts_source"],
                results_message_id=row["results_message_id"],
                answers=tuple(answers[row["id"]]),
                seen_voters=voters.get(row["id"], 0),
                anonymous=bool(row["anonymous"]),
            )
            for row in rows
        ]

    async def get_poll(self, poll_id: int, guild_id: int | None = None) -> PollRecord | None:
        if guild_id is None:
            found = await self._records("id = ?", (poll_id,))
        else:
            found = await self._records("id = ? AND guild_id = ?", (poll_id, guild_id))
        return found[0] if found else None

    async def recent_polls(self, guild_id: int, limit: int = 10) -> list[PollRecord]:
        return await self._records(  # an anonymous poll whose post is not up yet is not listed
            "guild_id = ? AND message_id IS NOT NULL", (guild_id, limit), "ORDER BY id DESC LIMIT ?"
        )

    async def search_polls(
        self, guild_id: int, query: str, *, open_only: bool = False, limit: int = 25
    ) -> list[tuple[int, str, bool]]:
        """(id, question, open) of the newest polls whose question or number matches, for autocomplete."""
        where = "guild_id = ? AND message_id IS NOT NULL AND (question LIKE ? ESCAPE '\\' OR CAST(id AS TEXT) = ?)"
        if open_only:
            where += " AND ended_at IS NULL"
        needle = query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = await self._db.fetchall(
            f"SELECT id, question, ended_at IS NULL AS open FROM polls WHERE {where} ORDER BY id DESC LIMIT ?",
            (guild_id, f"%{needle}%", query.strip().lstrip("#"), limit),
        )
        return [(row["id"], row["question"], bool(row["open"])) for row in rows]

    async def polls_due(self, now: datetime) -> list[PollRecord]:
        return await self._records(
            "ended_at IS NULL AND ends_at <= ? AND message_id IS NOT NULL", (iso(now),), "ORDER BY ends_at"
        )

    async def finish_poll(
        self,
        poll_id: int,
        *,
        counts: Mapping[int, int],
        voters: int,
        source: str,
        ended_at: datetime,
        results_due: datetime | None = None,
    ) -> bool:
        """Store the final counts; False when the poll had already ended (someone else finished it)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE polls SET ended_at = ?, voters = ?, counts_source = ?"
                " WHERE id = ? AND ended_at IS NULL AND anonymous = 0",
                (iso(ended_at), voters, source, poll_id),
            )
            if cursor.rowcount == 0:
                return False
            await conn.executemany(
                "UPDATE poll_answers SET final_count = ? WHERE poll_id = ? AND answer_id = ?",
                [(count, poll_id, answer_id) for answer_id, count in counts.items()],
            )
            await self._closed(conn, poll_id, ended_at, results_due)
            return True

    async def poll_for_week(self, schedule_id: int, week: date) -> PollRecord | None:
        found = await self._records("schedule_id = ? AND week = ?", (schedule_id, week.isoformat()))
        return found[0] if found else None

    async def enqueue_missing(self, now: datetime) -> int:
        """Jobs for what has none (polls and claimed weeks from before the queue): close every open posted
        poll at its end, post every week still claimed. Keys already there are kept; how many were added."""
        async with self._db.transaction() as conn:
            polls = await conn.execute_fetchall(
                "SELECT id, guild_id, ends_at FROM polls WHERE ended_at IS NULL AND message_id IS NOT NULL"
            )
            weeks = await conn.execute_fetchall(
                "SELECT r.schedule_id, r.week, s.guild_id FROM poll_schedule_runs r"
                " JOIN poll_schedules s ON s.id = r.schedule_id WHERE r.status = 'claimed'"
            )
            jobs = [effects.on_posted(row["guild_id"], row["id"], _required_time(row["ends_at"])) for row in polls]
            jobs += [
                effects.on_claimed(row["guild_id"], row["schedule_id"], date.fromisoformat(row["week"]))
                for row in weeks
            ]
            before = conn.total_changes  # jobs whose key is there already are not inserted (nor counted)
            await enqueue_effects(conn, self._jobs, jobs, now)
            return conn.total_changes - before

    async def postpone_end(self, poll_id: int, until: datetime) -> bool:
        """Look again later (Discord has not finalised the counts yet); False when it closed meanwhile."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE polls SET ends_at = ? WHERE id = ? AND ended_at IS NULL", (iso(until), poll_id)
            )
            return cursor.rowcount > 0

    async def set_results_message(self, poll_id: int, message_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE polls SET results_message_id = ? WHERE id = ? AND results_message_id IS NULL",
                (message_id, poll_id),
            )
            return cursor.rowcount > 0

    # -- votes ---------------------------------------------------------------------------------

    async def record_vote(self, message_id: int, user_id: int, answer_id: int, at: datetime) -> bool:
        """Remember a vote on a poll message we posted; False when the message is not one of our polls."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO poll_votes (poll_id, user_id, answer_id, voted_at)"
                " SELECT id, ?, ?, ? FROM polls WHERE message_id = ?",
                (user_id, answer_id, iso(at), message_id),
            )
            return cursor.rowcount > 0

    async def remove_vote(self, message_id: int, user_id: int, answer_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM poll_votes WHERE user_id = ? AND answer_id = ?"
                " AND poll_id = (SELECT id FROM polls WHERE message_id = ?)",
                (user_id, answer_id, message_id),
            )
            return cursor.rowcount > 0

    async def next_due(self) -> datetime | None:
        """The earliest moment anything needs doing: a poll to close or a schedule to fire."""
        value = await self._db.fetchval(
            "SELECT MIN(t) FROM ("
            " SELECT MIN(ends_at) AS t FROM polls WHERE ended_at IS NULL AND message_id IS NOT NULL"
            " UNION ALL SELECT MIN(next_run_at) FROM poll_schedules WHERE removed_at IS NULL AND paused = 0)"
        )
        return _time(value)

    async def schedule_polls(self, schedule_id: int) -> list[PollRecord]:
        return await self._records("schedule_id = ?", (schedule_id,), "ORDER BY week")

    # -- export --------------------------------------------------------------------------------

    async def polls_for_export(self, guild_id: int, schedule_id: int | None = None) -> list[PollRecord]:
        if schedule_id is None:
            return await self._records("guild_id = ?", (guild_id,), "ORDER BY id")
        return await self._records("guild_id = ? AND schedule_id = ?", (guild_id, schedule_id), "ORDER BY id")

    # -- data lifecycle ------------------------------------------------------------------------

    async def forget_votes(self, guild_id: int | None, user_id: int) -> int:
        """Erase one member's stored votes (in one server, or everywhere); the number of votes erased."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM poll_votes WHERE user_id = ?"
                " AND (? IS NULL OR poll_id IN (SELECT id FROM polls WHERE guild_id = ?))",
                (user_id, guild_id, guild_id),
            )
            return cursor.rowcount

    async def forget_guild(self, guild_id: int) -> int:
        """Erase a server's polls, answers, votes, schedules, queue and runs; the number of rows erased."""
        polls = "SELECT id FROM polls WHERE guild_id = ?"
        schedules = "SELECT id FROM poll_schedules WHERE guild_id = ?"
        statements = (
            f"DELETE FROM poll_schedule_runs WHERE schedule_id IN ({schedules})",
            f"DELETE FROM poll_votes WHERE poll_id IN ({polls})",
            f"DELETE FROM poll_ballots WHERE poll_id IN ({polls})",
            f"DELETE FROM poll_answers WHERE poll_id IN ({polls})",
            f"DELETE FROM poll_queue WHERE schedule_id IN ({schedules})",
            "DELETE FROM polls WHERE guild_id = ?",
            "DELETE FROM poll_schedules WHERE guild_id = ?",
        )
        erased = 0
        async with self._db.transaction() as conn:
            for sql in statements:
                cursor = await conn.execute(sql, (guild_id,))
                erased += cursor.rowcount
        return erased
