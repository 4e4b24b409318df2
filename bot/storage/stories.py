"""SQL for learner stories: submission, review decisions, publishing, withdrawal, browsing and export."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.lifecycle import PostRef
from bot.storage.database import Database
from bot.storage.jobs import JobStore, enqueue_effects
from bot.stories.model import Decision, NewStory, Screening, Story, StoryStatus, StoryText
from bot.stories.store import Effects

_PUBLISHED = StoryStatus.PUBLISHED.value
_PENDING = StoryStatus.PENDING.value
_WITHDRAWN = StoryStatus.WITHDRAWN.value
# What erasing a story's words leaves: the row (for numbering), no text, no author, no posts.
_ERASED = (
    "title = '', tried = '', worked = '', did_not_work = '', author_id = 0, author_name = '', "
    "decline_reason = NULL, spam_reasons = '[]', queue_channel_id = NULL, queue_message_id = NULL, "
    "post_channel_id = NULL, post_message_id = NULL, thread_id = NULL"
)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _story(row: sqlite3.Row) -> Story:
    submitted = _time(row["submitted_at"])
    assert submitted is not None
    return Story(
        id=row["id"],
        guild_id=row["guild_id"],
        number=row["number"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        text=StoryText(row["title"], row["tried"], row["worked"], row["did_not_work"]),
        anonymous=bool(row["anonymous"]),
        lesson_slug=row["lesson_slug"],
        status=StoryStatus(row["status"]),
        submitted_at=submitted,
        screening=Screening(
            flagged=bool(row["flagged"]), score=row["spam_score"], reasons=tuple(json.loads(row["spam_reasons"]))
        ),
        decided_by=row["decided_by"],
        decided_at=_time(row["decided_at"]),
        decline_reason=row["decline_reason"],
        edited=bool(row["edited"]),
        withdrawn_at=_time(row["withdrawn_at"]),
        queue_channel_id=row["queue_channel_id"],
        queue_message_id=row["queue_message_id"],
        post_channel_id=row["post_channel_id"],
        post_message_id=row["post_message_id"],
        thread_id=row["thread_id"],
    )


def _published_filter(guild_id: int, lesson_slug: str | None, author_id: int | None) -> tuple[str, list[Any]]:
    """WHERE clause for public listings; an author filter never reveals their anonymous stories."""
    where, params = ["guild_id = ?", "status = ?"], [guild_id, _PUBLISHED]
    if lesson_slug is not None:
        where.append("lesson_slug = ?")
        params.append(lesson_slug)
    if author_id is not None:
        where += ["author_id = ?", "anonymous = 0"]
        params.append(author_id)
    return " AND ".join(where), params


def _posts(rows: list[sqlite3.Row]) -> tuple[PostRef, ...]:
    """The bot's posts of erased stories: the published post (with its thread) and the review post."""
    posts: list[PostRef] = []
    for row in rows:
        if row["post_channel_id"] is not None and row["post_message_id"] is not None:
            posts.append(PostRef(row["post_channel_id"], row["post_message_id"], row["thread_id"]))
        if row["queue_channel_id"] is not None and row["queue_message_id"] is not None:
            posts.append(PostRef(row["queue_channel_id"], row["queue_message_id"]))
    return tuple(posts)


class StoryStore:
    """Reads and writes the `stories` table (implements bot.stories.store.StoryRecords); every write is one
    transaction and every state change one conditional UPDATE on the expected status. The Discord effects of a
    change that won are enqueued as jobs in its transaction (`jobs`, or directly when there is no job store)."""

    def __init__(self, db: Database, jobs: JobStore | None = None) -> None:
        self._db = db
        self._jobs = jobs

    async def _transition(
        self, sql: str, params: Sequence[Any], effects: Effects, now: datetime | None
    ) -> Story | None:
        """One conditional UPDATE ... RETURNING *: the story after it when it won (its effects enqueued in the
        same transaction), None when the story was not in the expected state."""
        async with self._db.transaction() as conn:
            rows = list(await conn.execute_fetchall(sql + " RETURNING *", params))
            if not rows:
                return None
            story = _story(rows[0])
            await enqueue_effects(conn, self._jobs, effects(story) if effects else (), now)
        return story

    # -- submission ----------------------------------------------------------------------------

    async def add(self, new: NewStory, effects: Effects = None) -> Story:
        """Store a pending story; its per-server number is allocated in the same transaction. A database that
        is busy (locked by another writer), full or read-only raises TryAgainLater (Database.transaction):
        nothing was stored."""
        text, screening = new.text, new.screening
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO stories (guild_id, number, author_id, author_name, anonymous, lesson_slug, "
                "title, tried, worked, did_not_work, flagged, spam_score, spam_reasons, submitted_at) "
                "VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM stories WHERE guild_id = ?), "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    new.guild_id,
                    new.guild_id,
                    new.author_id,
                    new.author_name,
                    int(new.anonymous),
                    new.lesson_slug,
                    text.title,
                    text.tried,
                    text.worked,
                    text.did_not_work,
                    int(screening.flagged),
                    screening.score,
                    json.dumps(list(screening.reasons)),
                    new.submitted_at.isoformat(),
                ),
            )
            row = await cursor.fetchone()
            await cursor.close()
            assert row is not None
            story = _story(row)
            await enqueue_effects(conn, self._jobs, effects(story) if effects else (), new.submitted_at)
        return story

    async def set_queue_post(self, story_id: int, channel_id: int, message_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE stories SET queue_channel_id = ?, queue_message_id = ? WHERE id = ?",
                (channel_id, message_id, story_id),
            )

    # -- reading -------------------------------------------------------------------------------

    async def get(self, story_id: int) -> Story | None:
        row = await self._db.fetchone("SELECT * FROM stories WHERE id = ?", (story_id,))
        return _story(row) if row else None

    async def by_number(self, guild_id: int, number: int) -> Story | None:
        row = await self._db.fetchone("SELECT * FROM stories WHERE guild_id = ? AND number = ?", (guild_id, number))
        return _story(row) if row else None

    async def by_author(self, guild_id: int, author_id: int) -> list[Story]:
        """A learner's own stories, newest first, anonymous ones included."""
        rows = await self._db.fetchall(
            "SELECT * FROM stories WHERE guild_id = ? AND author_id = ? ORDER BY number DESC",
            (guild_id, author_id),
        )
        return [_story(row) for row in rows]

    async def pending(self, guild_id: int, limit: int = -1) -> list[Story]:
        """Stories waiting for review, oldest first (all of them unless `limit` is given)."""
        rows = await self._db.fetchall(
            "SELECT * FROM stories WHERE guild_id = ? AND status = ? ORDER BY number LIMIT ?",
            (guild_id, _PENDING, limit),
        )
        return [_story(row) for row in rows]

    async def count_pending(self, guild_id: int) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM stories WHERE guild_id = ? AND status = ?", (guild_id, _PENDING)
            )
        )

    async def count_published(
        self, guild_id: int, *, lesson_slug: str | None = None, author_id: int | None = None
    ) -> int:
        where, params = _published_filter(guild_id, lesson_slug, author_id)
        return int(await self._db.fetchval(f"SELECT COUNT(*) FROM stories WHERE {where}", params))

    async def published(
        self,
        guild_id: int,
        *,
        lesson_slug: str | None = None,
        author_id: int | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> list[Story]:
        """Published stories, newest publication first."""
        where, params = _published_filter(guild_id, lesson_slug, author_id)
        rows = await self._db.fetchall(
            f"SELECT * FROM stories WHERE {where} ORDER BY decided_at DESC, number DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_story(row) for row in rows]

    async def random_published(self, guild_id: int, rng: random.Random | None = None) -> Story | None:
        total = await self.count_published(guild_id)
        if total == 0:
            return None
        found = await self.published(guild_id, offset=(rng or random).randrange(total), limit=1)
        return found[0] if found else None

    async def all_stories(self, guild_id: int) -> list[Story]:
        """Every story of a server in number order (for export)."""
        rows = await self._db.fetchall("SELECT * FROM stories WHERE guild_id = ? ORDER BY number", (guild_id,))
        return [_story(row) for row in rows]

    # -- review --------------------------------------------------------------------------------

    async def _decide(
        self, story_id: int, sql: str, params: tuple[Any, ...], at: datetime, effects: Effects
    ) -> Decision:
        won = await self._transition(sql + " WHERE id = ? AND status = ?", (*params, story_id, _PENDING), effects, at)
        story = won or await self.get(story_id)
        if story is None:
            raise LookupError(f"story {story_id} does not exist")
        return Decision(won is not None, story)

    async def approve(
        self,
        story_id: int,
        moderator_id: int,
        at: datetime,
        edited_text: StoryText | None = None,
        effects: Effects = None,
    ) -> Decision:
        """Publish a pending story (optionally with the moderator's edits); no-op if already decided."""
        if edited_text is None:
            return await self._decide(
                story_id,
                "UPDATE stories SET status = ?, decided_by = ?, decided_at = ?",
                (_PUBLISHED, moderator_id, at.isoformat()),
                at,
                effects,
            )
        text = edited_text
        return await self._decide(
            story_id,
            "UPDATE stories SET status = ?, decided_by = ?, decided_at = ?, edited = 1, "
            "title = ?, tried = ?, worked = ?, did_not_work = ?",
            (_PUBLISHED, moderator_id, at.isoformat(), text.title, text.tried, text.worked, text.did_not_work),
            at,
            effects,
        )

    async def decline(
        self, story_id: int, moderator_id: int, at: datetime, reason: str, effects: Effects = None
    ) -> Decision:
        """Decline a pending story with a reason for the learner; no-op if already decided."""
        return await self._decide(
            story_id,
            "UPDATE stories SET status = ?, decided_by = ?, decided_at = ?, decline_reason = ?",
            (StoryStatus.DECLINED.value, moderator_id, at.isoformat(), reason),
            at,
            effects,
        )

    async def reopen(self, story_id: int) -> bool:
        """Undo an approval whose post could not be made, so the story can be approved again."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE stories SET status = ?, decided_by = NULL, decided_at = NULL, edited = 0 "
                "WHERE id = ? AND status = ? AND post_message_id IS NULL",
                (_PENDING, story_id, _PUBLISHED),
            )
            return cursor.rowcount == 1

    async def set_published_post(
        self,
        story_id: int,
        channel_id: int,
        message_id: int,
        thread_id: int | None,
        effects: Effects = None,
        at: datetime | None = None,
    ) -> bool:
        """Remember the public post of a story that is still published (its effects, the author's DM, in the
        same transaction); False when it was withdrawn while the post was being made (the caller then takes
        the post down)."""
        won = await self._transition(
            "UPDATE stories SET post_channel_id = ?, post_message_id = ?, thread_id = COALESCE(?, thread_id) "
            "WHERE id = ? AND status = ?",
            (channel_id, message_id, thread_id, story_id, _PUBLISHED),
            effects,
            at,
        )
        return won is not None

    async def set_thread(self, story_id: int, thread_id: int) -> bool:
        """Remember the discussion thread of a story that is still published; False when it was withdrawn."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE stories SET thread_id = ? WHERE id = ? AND status = ?", (thread_id, story_id, _PUBLISHED)
            )
            return cursor.rowcount == 1

    # -- withdrawal ----------------------------------------------------------------------------

    async def withdraw(self, story_id: int, author_id: int, at: datetime, effects: Effects = None) -> Decision:
        """Withdraw the author's pending or published story; not done when it was neither (anymore).

        The learner took it back, so its text is erased; the title stays for their own `/story mine`.
        """
        won = await self._transition(
            "UPDATE stories SET status = ?, withdrawn_at = ?, tried = '', worked = '', did_not_work = '', "
            "spam_reasons = '[]' WHERE id = ? AND author_id = ? AND status IN (?, ?)",
            (_WITHDRAWN, at.isoformat(), story_id, author_id, _PENDING, _PUBLISHED),
            effects,
            at,
        )
        story = won or await self.get(story_id)
        if story is None:
            raise LookupError(f"story {story_id} does not exist")
        return Decision(won is not None, story)

    # -- data lifecycle ------------------------------------------------------------------------

    async def forget_author(
        self, guild_id: int | None, author_id: int, at: datetime
    ) -> tuple[int, tuple[PostRef, ...]]:
        """Erase the text and author of every story by one member (in one server or all); returns how many
        and the bot's posts of them that must go. Open stories become withdrawn."""
        where, params = "author_id = ?", [author_id]
        if guild_id is not None:
            where += " AND guild_id = ?"
            params.append(guild_id)
        async with self._db.transaction() as conn:
            rows = list(await conn.execute_fetchall(f"SELECT * FROM stories WHERE {where}", params))
            await conn.execute(
                f"UPDATE stories SET {_ERASED}, "
                "withdrawn_at = CASE WHEN status IN (?, ?) THEN ? ELSE withdrawn_at END, "
                "status = CASE WHEN status IN (?, ?) THEN ? ELSE status END "
                f"WHERE {where}",
                [_PENDING, _PUBLISHED, at.isoformat(), _PENDING, _PUBLISHED, _WITHDRAWN, *params],
            )
        return len(rows), _posts(rows)

    async def forget_guild(self, guild_id: int) -> tuple[int, tuple[PostRef, ...]]:
        """Delete every story of a server; returns how many and the bot's posts of them."""
        async with self._db.transaction() as conn:
            rows = list(await conn.execute_fetchall("SELECT * FROM stories WHERE guild_id = ?", (guild_id,)))
            await conn.execute("DELETE FROM stories WHERE guild_id = ?", (guild_id,))
        return len(rows), _posts(rows)
