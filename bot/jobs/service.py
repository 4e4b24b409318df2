"""The queue's use cases: enqueue, claim what is due (with a lease), record progress, complete, fail (try again
later or give up), retry a dead job, recover jobs of a process that died, and say when the next one is due.

Features enqueue their effects inside their own transactions (`bot.storage.jobs.enqueue_in`); this service is
for the runner and for effects that follow no state change.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from bot.core.clock import Clock
from bot.core.errors import Conflict, NotFound
from bot.core.lifecycle import Forgotten
from bot.jobs import rules
from bot.jobs.model import Failure, Job, JobState, JsonDict, NewJob
from bot.jobs.store import JobRecords

log = logging.getLogger(__name__)

CLAIM_BATCH = 20
REASON_LIMIT = 500


class JobService:
    """The job queue on one store and clock; `rng` makes the jitter reproducible in tests. A DataOwner (jobs
    name members: whom to DM, whose post to delete, who decided) and ExpiringData (finished jobs are erased)."""

    feature = "background tasks"

    def __init__(self, store: JobRecords, clock: Clock, rng: random.Random | None = None) -> None:
        self.store = store
        self.clock = clock
        self.rng = rng or random.Random()

    async def enqueue(self, new: NewJob) -> Job:
        """Store a job on its own (an effect that follows no state change); the same key twice is one job."""
        return await self.store.enqueue(new)

    async def get(self, job_id: int) -> Job | None:
        return await self.store.get(job_id)

    async def by_key(self, key: str) -> Job | None:
        return await self.store.by_key(key)

    def _lease(self) -> tuple[datetime, datetime]:
        now = self.clock.now()
        return now, now + rules.LEASE

    async def claim_due(self, limit: int = CLAIM_BATCH) -> list[Job]:
        """Lease the jobs whose time has come, oldest due first; each counts one more attempt."""
        now, until = self._lease()
        return await self.store.claim_due(now, until, limit)

    async def claim(self, job_id: int) -> Job | None:
        """Lease one pending job now, whatever its due time (the caller runs it at once); None when it is not
        pending (done, dead, or another runner has it)."""
        now, until = self._lease()
        return await self.store.claim(job_id, now, until)

    async def record(self, job: Job, result: JsonDict) -> JsonDict:
        """Keep what a running attempt has done so far (a posted message id), before doing the next step."""
        merged = {**job.result, **result}
        await self.store.record(job.id, merged)
        return merged

    async def complete(self, job: Job, result: JsonDict | None = None) -> None:
        if not await self.store.complete(job.id, {**job.result, **(result or {})}, self.clock.now()):
            log.warning("job %s (%s) was no longer running when it completed", job.id, job.kind)

    async def fail(self, job: Job, failure: Failure) -> Job:
        """Try again after a backoff, or give up (dead) when retrying cannot help or attempts are used up."""
        reason = failure.reason[:REASON_LIMIT]
        now = self.clock.now()
        if rules.gives_up(job.attempts, job.max_attempts, failure.permanent):
            await self.store.bury(job.id, reason, now)
        else:
            delay = rules.backoff(job.attempts, self.rng, failure.retry_after)
            await self.store.reschedule(job.id, now + delay, reason)
        return await self.store.get(job.id) or job

    async def retry(self, job_id: int, guild_id: int | None) -> Job:
        """A moderator's Retry on a dead job: pending again, due now, with a fresh set of attempts."""
        job = await self.store.get(job_id)
        if job is None or job.guild_id != guild_id:
            raise NotFound("That task no longer exists.")
        revived = await self.store.revive(job_id, self.clock.now())
        if revived is None:
            current = await self.store.get(job_id) or job
            raise Conflict(_not_dead(current))
        return revived

    async def recover(self) -> int:
        """Jobs left running by a process that died (their lease ran out) are pending again; how many."""
        count = await self.store.recover(self.clock.now())
        if count:
            log.info("recovered %d job(s) left running by an earlier process", count)
        return count

    async def next_due(self) -> datetime | None:
        """When the runner has something to do next (a pending job's due time or a lease running out)."""
        return await self.store.next_due()

    async def seconds_to_next(self, longest: timedelta | None = None) -> float | None:
        """Seconds the runner may sleep: until the next due time (at least 0, at most `longest`); None when
        nothing is pending or running (it sleeps until woken) and no `longest` is given."""
        due = await self.next_due()
        if due is None:
            return longest.total_seconds() if longest is not None else None
        wait = max((due - self.clock.now()).total_seconds(), 0.0)
        return min(wait, longest.total_seconds()) if longest is not None else wait

    async def count(self, state: JobState, kind: str | None = None) -> int:
        return await self.store.count(state, kind)

    # -- data lifecycle (bot.core.lifecycle.DataOwner, ExpiringData) -------------------------------

    def stored_data(self) -> str:
        return (
            "Background tasks: posts, messages and moderation steps waiting to be done (what to post, for whom); "
            f"once done they are kept {rules.KEEP_DONE.days} days, or {rules.KEEP_DEAD.days} days when they failed."
        )

    async def forget_member(self, guild_id: int | None, user_id: int) -> Forgotten:
        return Forgotten(self.feature, await self.store.forget(guild_id, user_id))

    async def forget_guild(self, guild_id: int) -> Forgotten:
        return Forgotten(self.feature, await self.store.forget(guild_id, None))

    async def purge_expired(self, now: datetime) -> int:
        return await self.store.purge_finished(now - rules.KEEP_DONE, now - rules.KEEP_DEAD)


def _not_dead(job: Job) -> str:
    if job.state is JobState.DONE:
        return "That task has been done already."
    return "That task is already waiting to be tried again."
