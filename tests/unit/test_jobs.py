"""The job queue core: enqueue (also inside another store's transaction), claim with a lease, backoff with
jitter and retry_after, dead after the last attempt, Retry, recovery of a dead process's jobs, next_due."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.clock import ManualClock
from bot.core.errors import Conflict, NotFound
from bot.jobs import rules
from bot.jobs.model import Failure, JobState, NewJob
from bot.jobs.service import JobService
from bot.storage.database import Database, open_database
from bot.storage.jobs import JobStore, enqueue_in

GUILD = 100


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "jobs.db")
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def store(db: Database, clock: ManualClock) -> JobStore:
    return JobStore(db, clock)


@pytest.fixture
def jobs(store: JobStore, clock: ManualClock) -> JobService:
    return JobService(store, clock, random.Random(7))


def post(key: str = "story:1:publish", **kwargs: object) -> NewJob:
    return NewJob(kind="story.publish", key=key, payload={"story_id": 1}, guild_id=GUILD, **kwargs)  # type: ignore[arg-type]


async def test_enqueue_claim_complete(jobs: JobService, clock: ManualClock) -> None:
    job = await jobs.enqueue(post())
    assert job.state is JobState.PENDING and job.attempts == 0 and job.payload == {"story_id": 1}
    assert job.due_at == clock.now() and job.max_attempts == rules.MAX_ATTEMPTS
    claimed = await jobs.claim_due()
    assert [c.id for c in claimed] == [job.id]
    assert claimed[0].state is JobState.RUNNING and claimed[0].attempts == 1
    assert claimed[0].lease_until == clock.now() + rules.LEASE
    assert await jobs.claim_due() == []  # leased: nobody else gets it
    await jobs.complete(claimed[0], {"message_id": 55})
    done = await jobs.get(job.id)
    assert done is not None and done.state is JobState.DONE and done.result == {"message_id": 55}
    assert done.finished_at == clock.now()


async def test_same_key_is_one_job(jobs: JobService) -> None:
    first = await jobs.enqueue(post())
    again = await jobs.enqueue(NewJob(kind="story.publish", key="story:1:publish", payload={"other": True}))
    assert again.id == first.id and again.payload == {"story_id": 1}
    assert await jobs.count(JobState.PENDING) == 1


async def test_enqueue_inside_another_transaction_commits_or_rolls_back_with_it(
    db: Database, store: JobStore, clock: ManualClock
) -> None:
    woken: list[int] = []
    store.wake = lambda: woken.append(1)
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
        await conn.execute("INSERT INTO things (id) VALUES (1)")
        await store.enqueue_all(conn, [post("a")])
    assert woken == [1]
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO things (id) VALUES (2)")
            await enqueue_in(conn, post("b"), clock.now())
            raise RuntimeError("the state change failed")
    assert await store.by_key("a") is not None
    assert await store.by_key("b") is None  # rolled back with the change
    assert await db.fetchval("SELECT COUNT(*) FROM things") == 1


async def test_future_jobs_wait_and_next_due_says_when(jobs: JobService, clock: ManualClock) -> None:
    later = clock.now() + timedelta(hours=2)
    await jobs.enqueue(post(due_at=later))
    assert await jobs.claim_due() == []
    assert await jobs.next_due() == later
    assert await jobs.seconds_to_next(timedelta(hours=6)) == 7200
    assert await jobs.seconds_to_next(timedelta(hours=1)) == 3600
    clock.advance(hours=2)
    assert len(await jobs.claim_due()) == 1


async def test_next_due_is_none_when_idle(jobs: JobService) -> None:
    assert await jobs.next_due() is None
    assert await jobs.seconds_to_next(timedelta(minutes=10)) == 600


async def test_failures_back_off_then_the_job_dies(jobs: JobService, clock: ManualClock) -> None:
    job = await jobs.enqueue(post(max_attempts=3))
    waits = []
    for attempt in range(1, 4):
        claimed = await jobs.claim_due()
        assert len(claimed) == 1 and claimed[0].attempts == attempt
        after = await jobs.fail(claimed[0], Failure("Discord said 500"))
        if attempt < 3:
            assert after.state is JobState.PENDING and after.last_error == "Discord said 500"
            waits.append((after.due_at - clock.now()).total_seconds())
            clock.set(after.due_at)
    assert after.state is JobState.DEAD and after.last_error == "Discord said 500"
    assert 2.5 <= waits[0] <= 5 and 5 <= waits[1] <= 10  # exponential, with jitter
    assert await jobs.next_due() is None
    assert job.id == after.id


async def test_a_permanent_failure_is_dead_at_once(jobs: JobService) -> None:
    await jobs.enqueue(post())
    claimed = (await jobs.claim_due())[0]
    after = await jobs.fail(claimed, Failure("Missing Access", permanent=True))
    assert after.state is JobState.DEAD and after.attempts == 1


async def test_retry_after_is_honoured(jobs: JobService, clock: ManualClock) -> None:
    await jobs.enqueue(post())
    claimed = (await jobs.claim_due())[0]
    after = await jobs.fail(claimed, Failure("rate limited", retry_after=90))
    assert after.due_at - clock.now() >= timedelta(seconds=90)


def test_backoff_grows_is_capped_and_jittered() -> None:
    rng = random.Random(1)
    for attempts in range(1, 30):
        delay = rules.backoff(attempts, rng)
        ceiling = min(rules.BASE_DELAY * 2 ** (attempts - 1), rules.MAX_DELAY)
        assert ceiling / 2 <= delay <= ceiling
    assert rules.backoff(1, rng, retry_after=120) >= timedelta(seconds=120)
    assert len({rules.backoff(4, rng) for _ in range(20)}) > 1


async def test_retry_revives_a_dead_job_once(jobs: JobService, clock: ManualClock) -> None:
    job = await jobs.enqueue(post())
    await jobs.fail((await jobs.claim_due())[0], Failure("Missing Access", permanent=True))
    with pytest.raises(NotFound):
        await jobs.retry(job.id, guild_id=999)  # another server's job
    revived = await jobs.retry(job.id, GUILD)
    assert revived.state is JobState.PENDING and revived.attempts == 0 and revived.due_at == clock.now()
    with pytest.raises(Conflict, match="already waiting"):
        await jobs.retry(job.id, GUILD)
    claimed = (await jobs.claim_due())[0]
    await jobs.complete(claimed)
    with pytest.raises(Conflict, match="done already"):
        await jobs.retry(job.id, GUILD)


async def test_recover_takes_back_jobs_whose_lease_ran_out(jobs: JobService, clock: ManualClock) -> None:
    job = await jobs.enqueue(post())
    await jobs.claim_due()  # the process dies while running it
    assert await jobs.recover() == 0  # the lease still holds
    assert await jobs.next_due() == clock.now() + rules.LEASE
    clock.advance(rules.LEASE.total_seconds())
    assert await jobs.recover() == 1
    again = (await jobs.claim_due())[0]
    assert again.id == job.id and again.attempts == 2 and again.may_have_run_before


async def test_progress_is_kept_across_attempts(jobs: JobService, clock: ManualClock) -> None:
    await jobs.enqueue(post())
    first = (await jobs.claim_due())[0]
    assert await jobs.record(first, {"message_id": 7}) == {"message_id": 7}
    after = await jobs.fail(first, Failure("thread failed"))
    clock.set(after.due_at)
    second = (await jobs.claim_due())[0]
    assert second.result == {"message_id": 7}
    await jobs.complete(second, {"thread_id": 8})
    done = await jobs.get(second.id)
    assert done is not None and done.result == {"message_id": 7, "thread_id": 8}


async def test_claim_one_is_exclusive(jobs: JobService) -> None:
    job = await jobs.enqueue(post())
    assert (await jobs.claim(job.id)) is not None
    assert await jobs.claim(job.id) is None
    assert await jobs.claim_due() == []


async def test_finished_jobs_are_erased_after_their_time(jobs: JobService, clock: ManualClock) -> None:
    done = await jobs.enqueue(post("done"))
    dead = await jobs.enqueue(post("dead"))
    waiting = await jobs.enqueue(post("waiting", due_at=clock.now() + timedelta(days=60)))
    for job in await jobs.claim_due():
        if job.id == done.id:
            await jobs.complete(job)
        else:
            await jobs.fail(job, Failure("Missing Access", permanent=True))
    clock.advance(days=8)
    assert await jobs.purge_expired(clock.now()) == 1  # the done one; the dead one waits for a Retry
    assert await jobs.get(done.id) is None and await jobs.get(dead.id) is not None
    clock.advance(days=30)
    assert await jobs.purge_expired(clock.now()) == 1
    assert await jobs.get(dead.id) is None and await jobs.get(waiting.id) is not None


async def test_forgetting_a_member_erases_the_finished_jobs_that_name_them(jobs: JobService) -> None:
    lee, sam = 123456789012345678, 876543210987654321
    named = await jobs.enqueue(NewJob("mod_log", "a", {"text": f"Lee (`{lee}`) approved story #1."}, GUILD))
    other = await jobs.enqueue(NewJob("mod_log", "b", {"text": f"Sam (`{sam}`) declined story #2."}, GUILD))
    pending = await jobs.enqueue(NewJob("story.take_down", "c", {"author": lee}, GUILD, due_at=None))
    for job in await jobs.claim_due():
        if job.id != pending.id:
            await jobs.complete(job)
    forgotten = await jobs.forget_member(GUILD, lee)
    assert forgotten.rows == 1 and forgotten.feature == "background tasks"
    assert await jobs.get(named.id) is None and await jobs.get(other.id) is not None
    assert await jobs.get(pending.id) is not None  # still to do: it takes the member's post down
    assert (await jobs.forget_guild(GUILD)).rows == 1
    assert "Background tasks" in jobs.stored_data()
