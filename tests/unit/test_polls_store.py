"""PollStore: polls and votes, final counts, schedules, the queue, and weeks that are never posted twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.polls.options import AnswerSpec
from bot.polls.rules import Occurrence, next_run
from bot.storage.database import Database, open_database
from bot.storage.polls import NewPoll, NewSchedule, PollStore

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday
GUILD, OTHER = 100, 200
HOST, LEE, SAM = 7, 1, 2
ANSWERS = (AnswerSpec("Clear", "👍"), AnswerSpec("So-so"), AnswerSpec("Lost"))


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "polls.db")
    yield database
    await database.close()


@pytest.fixture
def store(db: Database) -> PollStore:
    return PollStore(db)


def poll(message_id: int = 500, *, guild: int = GUILD, hours: int = 24, **extra: object) -> NewPoll:
    return NewPoll(
        guild_id=guild,
        channel_id=50,
        message_id=message_id,
        question="How was the lesson?",
        answers=ANSWERS,
        multiselect=False,
        hidden_results=False,
        duration_hours=hours,
        created_by=HOST,
        created_at=T0,
        ends_at=T0 + timedelta(hours=hours),
        **extra,  # type: ignore[arg-type]
    )


def schedule(next_run_at: datetime = T0) -> NewSchedule:
    return NewSchedule(
        guild_id=GUILD,
        channel_id=50,
        question="Weekly pulse?",
        answers=ANSWERS,
        weekday=0,
        time_of_day=time(9),
        timezone="UTC",
        duration_hours=24,
        multiselect=False,
        next_run_at=next_run_at,
        created_by=HOST,
        created_at=T0 - timedelta(days=3),
    )


async def test_poll_votes_and_final_counts(store: PollStore) -> None:
    poll_id = await store.add_poll(poll())
    assert await store.record_vote(500, LEE, 1, T0)
    assert await store.record_vote(500, SAM, 1, T0)
    assert not await store.record_vote(500, SAM, 1, T0)  # the same vote seen twice
    assert not await store.record_vote(999, LEE, 1, T0)  # not one of our polls
    assert await store.remove_vote(500, SAM, 1)
    assert await store.record_vote(500, SAM, 3, T0)
    record = await store.get_poll(poll_id)
    assert record is not None and record.is_open
    assert [(a.label, a.seen_count, a.count) for a in record.answers] == [
        ("👍 Clear", 1, 1),
        ("So-so", 0, 0),
        ("Lost", 1, 1),
    ]
    assert record.voter_count == 2

    assert await store.polls_due(T0 + timedelta(hours=23)) == []
    assert [p.id for p in await store.polls_due(T0 + timedelta(hours=24))] == [poll_id]
    ended = T0 + timedelta(hours=24)
    assert await store.finish_poll(poll_id, counts={1: 4, 2: 0, 3: 2}, voters=6, source="discord", ended_at=ended)
    assert not await store.finish_poll(poll_id, counts={1: 9}, voters=9, source="discord", ended_at=ended)
    final = await store.get_poll(poll_id)
    assert final is not None and not final.is_open
    assert [a.count for a in final.answers] == [4, 0, 2]  # Discord's counts win over the votes seen
    assert (final.voter_count, final.counts_source, final.ended_at) == (6, "discord", ended)
    assert await store.polls_due(ended + timedelta(days=1)) == []


async def test_polls_are_per_server_and_newest_first(store: PollStore) -> None:
    first = await store.add_poll(poll(501))
    second = await store.add_poll(poll(502))
    await store.add_poll(poll(503, guild=OTHER))
    assert [p.id for p in await store.recent_polls(GUILD)] == [second, first]
    assert await store.get_poll(first, OTHER) is None
    assert [pid for pid, _, _ in await store.search_polls(GUILD, "lesson")] == [second, first]
    assert [pid for pid, _, _ in await store.search_polls(GUILD, str(first))] == [first]
    assert await store.search_polls(GUILD, "100%_") == []
    await store.finish_poll(first, counts={}, voters=0, source="seen", ended_at=T0)
    assert [pid for pid, _, _ in await store.search_polls(GUILD, "", open_only=True)] == [second]


async def test_next_due_is_the_earliest_poll_end_or_schedule(store: PollStore) -> None:
    assert await store.next_due() is None
    await store.add_poll(poll(hours=48))
    assert await store.next_due() == T0 + timedelta(hours=48)
    schedule_id = await store.add_schedule(schedule(T0 + timedelta(hours=1)))
    assert await store.next_due() == T0 + timedelta(hours=1)
    await store.set_paused(schedule_id, True)
    assert await store.next_due() == T0 + timedelta(hours=48)


async def test_claims_take_the_queue_in_order_then_the_schedule_question(store: PollStore) -> None:
    schedule_id = await store.add_schedule(schedule())
    for n in (1, 2):
        await store.add_to_queue(schedule_id, f"Queued {n}?", (AnswerSpec("Yes"), AnswerSpec("No")), HOST, T0)
    questions = []
    due = T0
    for _ in range(3):
        current = await store.get_schedule(schedule_id)
        assert current is not None
        _, following = next_run(current.slot, due)
        claim, skipped = await store.claim_week(current, Occurrence(due.date(), due), [], following, due)
        assert claim is not None and skipped == []
        questions.append(claim.question)
        await store.add_poll(poll(int(due.timestamp()), schedule_id=schedule_id, week=claim.week))
        due = following
    assert questions == ["Queued 1?", "Queued 2?", "Weekly pulse?"]
    assert [status for _, status, _ in await store.runs(schedule_id)] == ["posted"] * 3
    assert await store.queue(schedule_id) == []
    assert [item.used_week for item in await store.queue(schedule_id, include_used=True)] == [
        date(2026, 1, 5),
        date(2026, 1, 12),
    ]


async def test_a_week_is_never_claimed_twice(store: PollStore) -> None:
    schedule_id = await store.add_schedule(schedule())
    stale = await store.get_schedule(schedule_id)
    assert stale is not None
    week = Occurrence(T0.date(), T0)
    claim, _ = await store.claim_week(stale, week, [], T0 + timedelta(days=7), T0)
    assert claim is not None
    # A second pass working from the same (now stale) schedule row gets nothing ...
    assert await store.claim_week(stale, week, [], T0 + timedelta(days=7), T0) == (None, [])
    # ... and neither does one that saw the new row but asks for the same week again.
    fresh = await store.get_schedule(schedule_id)
    assert fresh is not None and fresh.next_run_at == T0 + timedelta(days=7)
    assert await store.claim_week(fresh, week, [], T0 + timedelta(days=14), T0) == (None, [])
    assert len(await store.runs(schedule_id)) == 1


async def test_skipped_weeks_are_recorded_once_and_failed_claims_give_the_question_back(store: PollStore) -> None:
    schedule_id = await store.add_schedule(schedule())
    await store.add_to_queue(schedule_id, "Queued?", (AnswerSpec("Yes"), AnswerSpec("No")), HOST, T0)
    current = await store.get_schedule(schedule_id)
    assert current is not None and current.queued == 1
    missed = [Occurrence(T0.date(), T0)]
    later = Occurrence(date(2026, 1, 12), T0 + timedelta(days=7))
    claim, skipped = await store.claim_week(current, later, missed, T0 + timedelta(days=14), later.due)
    assert skipped == missed
    assert claim is not None and claim.question == "Queued?"
    await store.fail_claim(claim)
    assert [(w.isoformat(), s) for w, s, _ in await store.runs(schedule_id)] == [
        ("2026-01-05", "skipped"),
        ("2026-01-12", "failed"),
    ]
    assert [item.question for item in await store.queue(schedule_id)] == ["Queued?"]


async def test_schedules_pause_resume_remove(store: PollStore) -> None:
    schedule_id = await store.add_schedule(schedule())
    assert [s.id for s in await store.schedules_due(T0)] == [schedule_id]
    await store.set_paused(schedule_id, True)
    assert await store.schedules_due(T0 + timedelta(days=30)) == []
    await store.set_paused(schedule_id, False, T0 + timedelta(days=35))
    resumed = await store.get_schedule(schedule_id, GUILD)
    assert resumed is not None and not resumed.paused and resumed.next_run_at == T0 + timedelta(days=35)
    assert await store.get_schedule(schedule_id, OTHER) is None
    assert await store.search_schedules(GUILD, "pulse") == [(schedule_id, "Weekly pulse?")]
    await store.remove_schedule(schedule_id, T0)
    assert await store.get_schedule(schedule_id) is None
    assert await store.schedules(GUILD) == []
    assert await store.next_due() is None
