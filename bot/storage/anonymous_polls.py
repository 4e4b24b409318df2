"""SQL for anonymous polls (implements bot.polls.anonymous_store.AnonymousPollStore).

Ballots are keyed by a hash, never by a member id. Each transition is one conditional statement on the
state it expects: a ballot is written only while the poll is open and before its end, and of two closes
exactly one wins; the closing one keeps the totals and deletes the secret and the ballots.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from bot.core.lifecycle import PostRef
from bot.polls.anonymous_store import AnonymousAnswer, AnonymousPoll, Cast, NewAnonymousPoll
from bot.storage.database import Database


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with a fixed width, so stored times sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _positions(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


class SqliteAnonymousPollStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_poll(self, poll: NewAnonymousPoll, secret: bytes) -> int:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO anonymous_polls (guild_id, channel_id, question, multiselect, hidden_results,"
                " created_by, created_at, ends_at, secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    poll.guild_id,
                    poll.channel_id,
                    poll.question,
                    int(poll.multiselect),
                    int(poll.hidden_results),
                    poll.created_by,
                    iso(poll.created_at),
                    iso(poll.ends_at),
                    secret,
                ),
            )
            poll_id = cursor.lastrowid
            assert poll_id is not None
            await conn.executemany(
                "INSERT INTO anonymous_poll_answers (poll_id, position, text, emoji) VALUES (?, ?, ?, ?)",
                [(poll_id, n, text, emoji) for n, (text, emoji) in enumerate(poll.answers, start=1)],
            )
        return poll_id

    async def set_message(self, poll_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE anonymous_polls SET message_id = ? WHERE id = ?", (message_id, poll_id))

    async def discard(self, poll_id: int) -> None:
        await self.db.execute("DELETE FROM anonymous_polls WHERE id = ? AND message_id IS NULL", (poll_id,))

    async def get_poll(self, poll_id: int) -> AnonymousPoll | None:
        rows = await self.db.fetchall("SELECT * FROM anonymous_polls WHERE id = ?", (poll_id,))
        polls = await self._with_answers(rows)
        return polls[0] if polls else None

    async def _with_answers(self, rows: list[sqlite3.Row]) -> list[AnonymousPoll]:
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ",".join("?" * len(ids))
        answers = await self.db.fetchall(
            f"SELECT * FROM anonymous_poll_answers WHERE poll_id IN ({marks}) ORDER BY poll_id, position", ids
        )
        ballots = await self.db.fetchall(
            f"SELECT poll_id, positions FROM anonymous_poll_ballots WHERE poll_id IN ({marks})", ids
        )
        live: dict[tuple[int, int], int] = {}
        voters: dict[int, int] = {}
        for ballot in ballots:
            voters[ballot["poll_id"]] = voters.get(ballot["poll_id"], 0) + 1
            for position in _positions(ballot["positions"]):
                key = (ballot["poll_id"], position)
                live[key] = live.get(key, 0) + 1
        by_poll: dict[int, list[sqlite3.Row]] = {}
        for answer in answers:
            by_poll.setdefault(answer["poll_id"], []).append(answer)
        result = []
        for row in rows:
            closed = row["closed_at"] is not None
            result.append(
                AnonymousPoll(
                    id=row["id"],
                    guild_id=row["guild_id"],
                    channel_id=row["channel_id"],
                    message_id=row["message_id"],
                    question=row["question"],
                    multiselect=bool(row["multiselect"]),
                    hidden_results=bool(row["hidden_results"]),
                    created_by=row["created_by"],
                    created_at=datetime.fromisoformat(row["created_at"]),
                    ends_at=datetime.fromisoformat(row["ends_at"]),
                    closed_at=datetime.fromisoformat(row["closed_at"]) if closed else None,
                    voters=(row["voters"] or 0) if closed else voters.get(row["id"], 0),
                    answers=tuple(
                        AnonymousAnswer(
                            a["position"],
                            a["text"],
                            a["emoji"],
                            (a["final_count"] or 0) if closed else live.get((row["id"], a["position"]), 0),
                        )
                        for a in by_poll.get(row["id"], [])
                    ),
                    results_message_id=row["results_message_id"],
                )
            )
        return result

    async def secret(self, poll_id: int) -> bytes | None:
        value = await self.db.fetchval(
            "SELECT secret FROM anonymous_polls WHERE id = ? AND closed_at IS NULL", (poll_id,)
        )
        return bytes(value) if value is not None else None

    async def cast(self, poll_id: int, voter_key: str, positions: tuple[int, ...], now: datetime) -> Cast:
        text = ",".join(str(p) for p in sorted(set(positions)))
        async with self.db.transaction() as conn:
            state = await conn.execute_fetchall(
                "SELECT closed_at IS NULL AND ends_at > ? AS open FROM anonymous_polls WHERE id = ?",
                (iso(now), poll_id),
            )
            if not state:
                return Cast.MISSING
            if not next(iter(state))["open"]:
                return Cast.CLOSED
            before = await conn.execute_fetchall(
                "SELECT 1 FROM anonymous_poll_ballots WHERE poll_id = ? AND voter_key = ?", (poll_id, voter_key)
            )
            await conn.execute(
                "INSERT INTO anonymous_poll_ballots (poll_id, voter_key, positions) VALUES (?, ?, ?)"
                " ON CONFLICT (poll_id, voter_key) DO UPDATE SET positions = excluded.positions",
                (poll_id, voter_key, text),
            )
        return Cast.CHANGED if before else Cast.NEW

    async def ballot(self, poll_id: int, voter_key: str) -> tuple[int, ...] | None:
        value = await self.db.fetchval(
            "SELECT positions FROM anonymous_poll_ballots WHERE poll_id = ? AND voter_key = ?", (poll_id, voter_key)
        )
        return _positions(value) if value is not None else None

    async def close(self, poll_id: int, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE anonymous_polls SET closed_at = ?, secret = NULL,"
                " voters = (SELECT COUNT(*) FROM anonymous_poll_ballots WHERE poll_id = ?)"
                " WHERE id = ? AND closed_at IS NULL",
                (iso(now), poll_id, poll_id),
            )
            if cursor.rowcount != 1:
                return False
            ballots = await conn.execute_fetchall(
                "SELECT positions FROM anonymous_poll_ballots WHERE poll_id = ?", (poll_id,)
            )
            totals: dict[int, int] = {}
            for ballot in ballots:
                for position in _positions(ballot["positions"]):
                    totals[position] = totals.get(position, 0) + 1
            await conn.execute("UPDATE anonymous_poll_answers SET final_count = 0 WHERE poll_id = ?", (poll_id,))
            await conn.executemany(
                "UPDATE anonymous_poll_answers SET final_count = ? WHERE poll_id = ? AND position = ?",
                [(count, poll_id, position) for position, count in totals.items()],
            )
            await conn.execute("DELETE FROM anonymous_poll_ballots WHERE poll_id = ?", (poll_id,))
        return True

    async def due(self, now: datetime) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT id FROM anonymous_polls WHERE closed_at IS NULL AND ends_at <= ? ORDER BY ends_at", (iso(now),)
        )
        return [row["id"] for row in rows]

    async def next_due(self) -> datetime | None:
        value = await self.db.fetchval("SELECT MIN(ends_at) FROM anonymous_polls WHERE closed_at IS NULL")
        return datetime.fromisoformat(value) if value else None

    async def set_results_message(self, poll_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE anonymous_polls SET results_message_id = ? WHERE id = ?", (message_id, poll_id))

    async def closed_polls(self, guild_id: int) -> list[AnonymousPoll]:
        rows = await self.db.fetchall(
            "SELECT * FROM anonymous_polls WHERE guild_id = ? AND closed_at IS NOT NULL ORDER BY id", (guild_id,)
        )
        return await self._with_answers(rows)

    async def forget_guild(self, guild_id: int) -> tuple[int, tuple[PostRef, ...]]:
        async with self.db.transaction() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT channel_id, message_id, results_message_id FROM anonymous_polls WHERE guild_id = ?",
                    (guild_id,),
                )
            )
            posts = tuple(
                PostRef(row["channel_id"], message_id)
                for row in rows
                for message_id in (row["message_id"], row["results_message_id"])
                if message_id is not None
            )
            counted = await conn.execute_fetchall(
                "SELECT (SELECT COUNT(*) FROM anonymous_poll_answers a JOIN anonymous_polls p ON p.id = a.poll_id"
                " WHERE p.guild_id = ?) + (SELECT COUNT(*) FROM anonymous_poll_ballots b JOIN anonymous_polls p"
                " ON p.id = b.poll_id WHERE p.guild_id = ?) AS n",
                (guild_id, guild_id),
            )
            await conn.execute("DELETE FROM anonymous_polls WHERE guild_id = ?", (guild_id,))
        return len(rows) + int(next(iter(counted))["n"]), posts
