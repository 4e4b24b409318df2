"""The timer's side of weekly polls: claim each schedule's due week (the store enqueues the job that posts it,
in the same transaction), rebuild a claimed week for that job when it runs (late, after a crash, or when a
moderator retries it), and enqueue the jobs older polls and weeks lack. Mixed into PollService; no discord."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.clock import Clock
from bot.polls import rules
from bot.polls.model import Claim, WeekRun
from bot.polls.options import PollSpec
from bot.polls.rules import Occurrence
from bot.polls.store import PollStore


class WeeklyRuns:
    store: PollStore
    clock: Clock

    async def due_weeks(self) -> list[WeekRun]:
        """Claim every schedule's due week (a week is claimed once, ever) and note the weeks missed.

        A week missed while the bot was down is posted late if its poll would still be open, for the hours
        left; older missed weeks are skipped."""
        now = self.clock.now()
        runs = []
        for schedule in await self.store.schedules_due(now):
            plan = rules.plan_due(schedule.slot, schedule.next_run_at, now, schedule.duration_hours)
            assert plan.next_due is not None
            claim, skipped = await self.store.claim_week(schedule, plan.post, plan.skipped, plan.next_due, now)
            late = claim is not None and rules.is_late(claim.due, now)
            hours = schedule.duration_hours
            if claim is not None and late:
                hours = rules.remaining_hours(claim.due, schedule.duration_hours, now)
            if claim is not None or skipped:
                runs.append(WeekRun(schedule, tuple(skipped), claim, hours, late))
        return runs

    @staticmethod
    def week_spec(run: WeekRun) -> PollSpec:
        assert run.claim is not None
        return PollSpec(run.claim.question, run.claim.answers, run.spec_hours, run.schedule.multiselect)

    async def week_failed(self, claim: Claim) -> bool:
        """The claimed week could not be posted: it is marked failed and its queued question goes back."""
        return await self.store.fail_claim(claim)

    async def claimed_week(self, schedule_id: int, week: date) -> WeekRun | None:
        """The claimed week a job is to post, for the hours left if it runs late; None when there is nothing to
        post any more (posted, failed, or the schedule stopped). A week whose poll would have closed already is
        marked failed (its queued question goes back) and returned as skipped."""
        schedule = await self.store.get_schedule(schedule_id)
        claim = await self.store.claimed_week(schedule, week) if schedule is not None else None
        if schedule is None or claim is None:
            return None
        now = self.clock.now()
        if claim.due + timedelta(hours=schedule.duration_hours) <= now:
            await self.store.fail_claim(claim)
            return WeekRun(schedule, (Occurrence(claim.week, claim.due),), None, 0, True)
        late = rules.is_late(claim.due, now)
        hours = rules.remaining_hours(claim.due, schedule.duration_hours, now) if late else schedule.duration_hours
        return WeekRun(schedule, (), claim, hours, late)

    async def recover_jobs(self) -> int:
        """At start: a close job for every open poll and a post job for every claimed week that has none."""
        return await self.store.enqueue_missing(self.clock.now())
