"""StoryStore: numbers per server, review decisions that happen once, withdrawal, listings, export."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.storage.database import Database, open_database
from bot.storage.stories import StoryStore
from bot.stories.export import COLUMNS, to_csv, to_json
from bot.stories.model import NewStory, Screening, StoryStatus, StoryText

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GUILD, OTHER_GUILD = 100, 200
LEE, SAM, MOD = 1, 2, 9


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "stories.db")
    yield database
    await database.close()


@pytest.fixture
def store(db: Database) -> StoryStore:
    return StoryStore(db)


def new(
    title: str = "Giveaway",
    *,
    guild: int = GUILD,
    author: int = LEE,
    anonymous: bool = False,
    lesson: str | None = None,
    at: datetime = T0,
    screening: Screening | None = None,
) -> NewStory:
    return NewStory(
        guild_id=guild,
        author_id=author,
        author_name={LEE: "Lee", SAM: "Sam"}.get(author, "someone"),
        text=StoryText(title, "tried this", "this worked", "this did not"),
        anonymous=anonymous,
        submitted_at=at,
        lesson_slug=lesson,
        screening=screening or Screening(),
    )


async def test_add_stores_everything_and_numbers_per_server(store: StoryStore) -> None:
    first = await store.add(new("One", screening=Screening(True, 0.75, ("two links", "new account"))))
    second = await store.add(new("Two"))
    elsewhere = await store.add(new("Elsewhere", guild=OTHER_GUILD))
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    stored = await store.by_number(GUILD, 1)
    assert stored == first
    assert stored is not None
    assert stored.status is StoryStatus.PENDING and stored.submitted_at == T0
    assert stored.screening == Screening(True, 0.75, ("two links", "new account"))
    assert stored.text == StoryText("One", "tried this", "this worked", "this did not")


async def test_concurrent_submissions_get_distinct_numbers(store: StoryStore) -> None:
    stories = await asyncio.gather(*(store.add(new(f"Story {i}")) for i in range(20)))
    assert sorted(story.number for story in stories) == list(range(1, 21))


async def test_approve_happens_once_and_records_who_and_when(store: StoryStore) -> None:
    story = await store.add(new())
    first = await store.approve(story.id, MOD, T0 + timedelta(hours=1))
    assert first.done and first.story.status is StoryStatus.PUBLISHED
    assert first.story.decided_by == MOD and first.story.decided_at == T0 + timedelta(hours=1)
    again = await store.approve(story.id, 77, T0 + timedelta(hours=2))
    assert not again.done and again.story.decided_by == MOD
    declined = await store.decline(story.id, 77, T0, "too late")
    assert not declined.done and declined.story.status is StoryStatus.PUBLISHED


async def test_edit_and_approve_replaces_text(store: StoryStore) -> None:
    story = await store.add(new("Typo titel"))
    edited = StoryText("Fixed title", "tried", "worked", "did not")
    decision = await store.approve(story.id, MOD, T0, edited)
    assert decision.done and decision.story.text == edited and decision.story.edited


async def test_decline_keeps_reason(store: StoryStore) -> None:
    story = await store.add(new())
    decision = await store.decline(story.id, MOD, T0, "Please remove the shop link.")
    assert decision.done
    assert (await store.get(story.id)).decline_reason == "Please remove the shop link."  # type: ignore[union-attr]


async def test_reopen_only_undoes_an_unposted_approval(store: StoryStore) -> None:
    story = await store.add(new())
    await store.approve(story.id, MOD, T0)
    await store.reopen(story.id)
    reopened = await store.get(story.id)
    assert reopened is not None and reopened.status is StoryStatus.PENDING and reopened.decided_by is None
    await store.approve(story.id, MOD, T0)
    await store.set_published_post(story.id, 5, 6, 7)
    await store.reopen(story.id)
    posted = await store.get(story.id)
    assert posted is not None and posted.status is StoryStatus.PUBLISHED
    assert (posted.post_channel_id, posted.post_message_id, posted.thread_id) == (5, 6, 7)


async def test_withdraw_pending_and_published_but_not_declined(store: StoryStore) -> None:
    pending, published, declined = [await store.add(new(t)) for t in ("a1234", "b1234", "c1234")]
    await store.approve(published.id, MOD, T0)
    await store.decline(declined.id, MOD, T0, "reason")
    assert not (await store.withdraw(pending.id, SAM, T0)).done  # only its author withdraws a story
    decision = await store.withdraw(pending.id, LEE, T0)
    withdrawn = decision.story
    assert decision.done and withdrawn.status is StoryStatus.WITHDRAWN and withdrawn.withdrawn_at == T0
    # the learner took the story back: its text is erased, its title kept for /story mine
    assert (withdrawn.text.tried, withdrawn.text.worked, withdrawn.text.did_not_work) == ("", "", "")
    assert withdrawn.text.title == pending.text.title
    declined_after = await store.get(declined.id)
    assert declined_after is not None and declined_after.text.tried == declined.text.tried
    assert (await store.withdraw(published.id, LEE, T0)).done
    assert not (await store.withdraw(declined.id, LEE, T0)).done
    assert not (await store.withdraw(pending.id, LEE, T0)).done


async def test_queue_lists_pending_and_missing_posts(store: StoryStore) -> None:
    a, b, c = [await store.add(new(t)) for t in ("a1234", "b1234", "c1234")]
    await store.set_queue_post(a.id, 11, 12)
    await store.approve(c.id, MOD, T0)
    assert [s.number for s in await store.pending(GUILD)] == [a.number, b.number]
    assert [s.number for s in await store.pending(GUILD, limit=1)] == [a.number]
    assert await store.count_pending(GUILD) == 2
    assert (await store.get(a.id)).queue_message_id == 12  # type: ignore[union-attr]


async def test_published_listing_filters_and_hides_anonymous_authors(store: StoryStore) -> None:
    for i in range(6):
        story = await store.add(new(f"Story {i}", author=LEE if i % 2 else SAM, lesson="trust" if i < 3 else None))
        await store.approve(story.id, MOD, T0 + timedelta(minutes=i))
    anonymous = await store.add(new("Secret", author=LEE, anonymous=True))
    await store.approve(anonymous.id, MOD, T0 + timedelta(minutes=10))
    await store.add(new("Pending", author=LEE))

    newest = await store.published(GUILD, limit=3)
    assert [s.title for s in newest] == ["Secret", "Story 5", "Story 4"]
    assert [s.title for s in await store.published(GUILD, offset=3, limit=3)] == ["Story 3", "Story 2", "Story 1"]
    assert await store.count_published(GUILD) == 7
    assert await store.count_published(GUILD, lesson_slug="trust") == 3
    by_lee = await store.published(GUILD, author_id=LEE)
    assert [s.title for s in by_lee] == ["Story 5", "Story 3", "Story 1"]
    assert await store.count_published(GUILD, author_id=LEE) == 3
    mine = await store.by_author(GUILD, LEE)
    assert [s.title for s in mine] == ["Pending", "Secret", "Story 5", "Story 3", "Story 1"]
    assert await store.count_published(OTHER_GUILD) == 0


async def test_random_published(store: StoryStore) -> None:
    assert await store.random_published(GUILD) is None
    story = await store.add(new())
    await store.add(new("Never published"))
    await store.approve(story.id, MOD, T0)
    picks = {(await store.random_published(GUILD, random.Random(seed))).id for seed in range(5)}  # type: ignore[union-attr]
    assert picks == {story.id}


async def test_export_contains_what_was_stored(store: StoryStore) -> None:
    named = await store.add(new("=SUM(A1)", author=LEE, lesson="trust"))
    anonymous = await store.add(new("Anonymous one", author=SAM, anonymous=True))
    await store.decline(named.id, MOD, T0 + timedelta(hours=1), "Needs more detail")
    await store.approve(anonymous.id, MOD, T0 + timedelta(hours=2))
    stories = await store.all_stories(GUILD)

    records = json.loads(to_json(stories))
    assert [r["number"] for r in records] == [1, 2]
    assert records[0]["status"] == "declined" and records[0]["decline_reason"] == "Needs more detail"
    assert records[0]["author_id"] == str(LEE) and records[0]["author_name"] == "Lee"
    assert records[0]["submitted_at"] == T0.isoformat()
    assert records[0]["decided_at"] == (T0 + timedelta(hours=1)).isoformat()
    assert records[0]["lesson"] == "trust" and records[0]["title"] == "=SUM(A1)"
    assert records[1]["anonymous"] is True and records[1]["author_id"] is None and records[1]["author_name"] is None
    assert "Sam" not in to_json(stories).decode()

    rows = list(csv.DictReader(io.StringIO(to_csv(stories).decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["title"] == "'=SUM(A1)"  # spreadsheet programs must not run it
    assert rows[1]["author_name"] == "" and rows[1]["status"] == "published" and rows[1]["anonymous"] == "yes"
    assert rows[1]["tried"] == "tried this"
