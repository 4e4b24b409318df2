"""Poll use cases without Discord: validate, record, close, list, schedule weekly runs, trend, export, forget.

Adapters (cogs/polls/) do what only Discord can (post a poll, read its counts, end it) and tell the service
what happened; the service decides and records, on its own clock. Each state change is one conditional
update, so of two racing actions exactly one wins and the other is told what happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.core import limits
from bot.core.cards import Card
from bot.core.clock import Clock
from bot.core.errors import Conflict, NotFound, UserError
from bot.core.lifecycle import Forgotten
from bot.core.text import clean_input, plural, truncate
from bot.polls import cards, effects, rules
from bot.polls.anonymous import AnonymousVoting, new_secret
from bot.polls.export import polls_csv
from bot.polls.model import Chart, Export, NewPoll, NewSchedule, PollRecord, ScheduleRecord
from bot.polls.options import MAX_DURATION_HOURS, PollInputError, PollSpec, build_poll
from bot.polls.results import stamp
from bot.polls.rules import ScheduleInputError, WeeklySlot
from bot.polls.store import PollStore
from bot.polls.weeks import WeeklyRuns

RECENT_SHOWN = 10
PROBLEMS_SHOWN = 8
"""Problems listed in one refusal; the rest are counted."""


def refusal(head: str, problems: list[str]) -> UserError:
    """One refusal listing every problem (the first PROBLEMS_SHOWN of them), within a message's length."""
    shown = [f"• {problem}" for problem in problems[:PROBLEMS_SHOWN]]
    if len(problems) > PROBLEMS_SHOWN:
        shown.append(f"… and {plural(len(problems) - PROBLEMS_SHOWN, 'other problem')}.")
    return UserError(truncate(head + "\n" + "\n".join(shown), limits.MESSAGE_CONTENT))


class PollService(AnonymousVoting, WeeklyRuns):
    """Polls (native and anonymous) and weekly schedules of every server, on one store and clock.

    A `DataOwner` (feature "polls")."""

    feature = "polls"

    def __init__(self, store: PollStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    # -- one-off polls -------------------------------------------------------------------------

    def prepare(self, question: str, options: str, duration_hours: int, multiselect: bool) -> PollSpec:
        """A valid poll to post, or a UserError listing every broken limit."""
        try:
            return build_poll(
                clean_input(question, "the question"), clean_input(options, "the answers"), duration_hours, multiselect
            )
        except PollInputError as error:
            raise refusal("I didn't post the poll:", error.problems) from None

    async def record_poll(
        self,
        spec: PollSpec,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int | None,
        created_by: int,
        expires_at: datetime | None = None,
        hidden_results: bool = False,
        schedule_id: int | None = None,
        week: date | None = None,
        anonymous: bool = False,
    ) -> PollRecord:
        """Record a poll: a native one Discord has just posted (for a schedule's week: that week becomes
        posted), or an anonymous one, with a fresh secret, before its post (`message_id` None: the adapter
        posts it, then calls `anonymous_posted()`, or `anonymous_discarded()` when the post failed)."""
        now = self.clock.now()
        poll_id = await self.store.add_poll(
            NewPoll(
                guild_id=guild_id,
                channel_id=channel_id,
                message_id=message_id,
                question=spec.question,
                answers=spec.answers,
                multiselect=spec.multiselect,
                hidden_results=hidden_results,
                duration_hours=spec.duration_hours,
                created_by=created_by,
                created_at=now,
                ends_at=expires_at or now + timedelta(hours=spec.duration_hours),
                schedule_id=schedule_id,
                week=week,
                anonymous=anonymous,
            ),
            new_secret() if anonymous else None,
        )
        record = await self.store.get_poll(poll_id)
        assert record is not None
        return record

    async def poll(self, guild_id: int, poll_id: int) -> PollRecord:
        record = await self.store.get_poll(poll_id, guild_id)
        if record is None:
            raise NotFound(f"There is no poll #{poll_id:,} in this server. Pick one from the list.")
        return record

    async def poll_to_end(self, guild_id: int, poll_id: int) -> PollRecord:
        record = await self.poll(guild_id, poll_id)
        if not record.is_open:
            raise Conflict(f"Poll #{record.id} has already closed; `/poll results` shows its counts.")
        return record

    async def wait_for_final_counts(self, record: PollRecord, finalised: bool) -> bool:
        """For a poll that ran out by time: True (and look again in a minute) while Discord has not finalised
        its counts, within the grace period."""
        now = self.clock.now()
        planned_end = record.created_at + timedelta(hours=record.duration_hours)
        if not rules.wait_for_final_counts(planned_end, finalised, now):
            return False
        await self.store.postpone_end(record.id, now + rules.RETRY_AFTER)
        return True

    async def finish(
        self,
        record: PollRecord,
        counts: Mapping[int, int] | None = None,
        voters: int | None = None,
        *,
        posts_results_itself: bool = False,
    ) -> PollRecord | None:
        """Close the poll with Discord's counts (None: the message is gone, keep the votes the bot saw); its
        results job is enqueued with the close (left to the caller for `effects.HANDOFF` when it
        `posts_results_itself`, as a host's End does).

        None when it had closed already (another close won). An anonymous poll closes on its own ballots."""
        now = self.clock.now()
        results_due = now + effects.HANDOFF if posts_results_itself else None
        if record.anonymous:
            return await self.close_anonymous(record, results_due)
        if counts is None or voters is None:
            counts = {answer.answer_id: answer.seen_count for answer in record.answers}
            voters, source = record.seen_voters, "seen"
        else:
            source = "discord"
        closed = await self.store.finish_poll(
            record.id, counts=counts, voters=voters, source=source, ended_at=now, results_due=results_due
        )
        return await self.store.get_poll(record.id) if closed else None

    async def results_posted(self, record: PollRecord, message_id: int) -> PollRecord:
        await self.store.set_results_message(record.id, message_id)
        return replace(record, results_message_id=message_id)

    @staticmethod
    def with_live_counts(record: PollRecord, counts: Mapping[int, int], voters: int) -> PollRecord:
        """An open poll as Discord counts it right now."""
        answers = tuple(replace(a, final_count=counts.get(a.answer_id, 0)) for a in record.answers)
        return replace(record, answers=answers, voters=voters)

    @staticmethod
    def results_private(record: PollRecord, is_host: bool) -> bool:
        """Hidden results of an open poll are shown to learners only privately (an anonymous poll's to no one:
        `results` refuses)."""
        return record.is_open and record.hidden_results and not is_host

    @staticmethod
    def closed_text(record: PollRecord) -> str:
        return cards.closed_text(record)

    @staticmethod
    def refuse_hidden(record: PollRecord) -> None:
        """An open anonymous poll whose counts are hidden shows them to no one, hosts included."""
        if record.counts_hidden:
            raise UserError(
                f"Anonymous poll #{record.id} keeps its counts hidden until it closes "
                f"{stamp(record.ends_at, 'R')}, from everyone, hosts included."
            )

    @classmethod
    def results(cls, record: PollRecord) -> tuple[Card, Chart]:
        """The results card (final once closed, so far while open) and its chart."""
        cls.refuse_hidden(record)
        return cards.results(record)

    @staticmethod
    def post_card(record: PollRecord) -> Card:
        """The post of an anonymous poll: question, answers, and counts unless hidden until the close."""
        return cards.anonymous_post(record)

    async def recent(self, guild_id: int) -> Card:
        polls = await self.store.recent_polls(guild_id, limit=RECENT_SHOWN)
        if not polls:
            raise NotFound("No polls yet in this server.")
        return cards.recent(polls)

    async def poll_choices(self, guild_id: int, query: str, *, open_only: bool) -> list[tuple[str, int]]:
        found = await self.store.search_polls(guild_id, query, open_only=open_only, limit=limits.AUTOCOMPLETE_CHOICES)
        return [
            (truncate(f"#{pid} {question}" + ("" if is_open else " (closed)"), limits.CHOICE_NAME), pid)
            for pid, question, is_open in found
        ]

    # -- votes ---------------------------------------------------------------------------------

    async def vote_added(self, message_id: int, user_id: int, answer_id: int) -> bool:
        return await self.store.record_vote(message_id, user_id, answer_id, self.clock.now())

    async def vote_removed(self, message_id: int, user_id: int, answer_id: int) -> bool:
        return await self.store.remove_vote(message_id, user_id, answer_id)

    # -- weekly polls --------------------------------------------------------------------------

    async def schedule(
        self,
        *,
        guild_id: int,
        channel_id: int,
        question: str,
        options: str,
        weekday: int,
        time: str,
        zone: str,
        duration_hours: int,
        multiselect: bool,
        created_by: int,
        anonymous: bool = False,
        hidden_results: bool = False,
    ) -> ScheduleRecord:
        """A new weekly schedule, or a UserError listing every problem of the input."""
        problems: list[str] = []
        spec: PollSpec | None = None
        try:
            spec = build_poll(
                clean_input(question, "the question"), clean_input(options, "the answers"), duration_hours, multiselect
            )
        except PollInputError as error:
            problems.extend(error.problems)
        weekly = rules.weekly_duration_problem(duration_hours, MAX_DURATION_HOURS)
        if weekly:
            problems.append(weekly)
        try:
            at = rules.parse_time_of_day(time)
        except ScheduleInputError as error:
            problems.append(str(error))
        zone_problem = rules.timezone_problem(zone)
        if zone_problem:
            problems.append(zone_problem)
        if problems or spec is None:
            raise refusal("I didn't schedule the poll:", problems)
        now = self.clock.now()
        _, first = rules.next_run(WeeklySlot(weekday, at, zone), now)
        schedule_id = await self.store.add_schedule(
            NewSchedule(
                guild_id=guild_id,
                channel_id=channel_id,
                question=spec.question,
                answers=spec.answers,
                weekday=weekday,
                time_of_day=at,
                timezone=zone,
                duration_hours=duration_hours,
                multiselect=multiselect,
                next_run_at=first,
                created_by=created_by,
                created_at=now,
                anonymous=anonymous,
                hidden_results=hidden_results,
            )
        )
        created = await self.store.get_schedule(schedule_id)
        assert created is not None
        return created

    async def get_schedule(self, guild_id: int, schedule_id: int) -> ScheduleRecord:
        schedule = await self.store.get_schedule(schedule_id, guild_id)
        if schedule is None:
            raise NotFound(f"There is no weekly poll #{schedule_id:,} in this server. Pick one from the list.")
        return schedule

    async def schedules_card(self, guild_id: int) -> Card:
        found = await self.store.schedules(guild_id)
        if not found:
            raise NotFound("No weekly polls yet. Create one with `/poll schedule`.")
        return cards.schedules(found)

    async def pause(self, guild_id: int, schedule_id: int) -> ScheduleRecord:
        found = await self.get_schedule(guild_id, schedule_id)
        if found.paused or not await self.store.set_paused(found.id, True):
            raise Conflict(f"Weekly poll #{found.id} is already paused.")
        return replace(found, paused=True)

    async def resume(self, guild_id: int, schedule_id: int) -> ScheduleRecord:
        found = await self.get_schedule(guild_id, schedule_id)
        _, upcoming = rules.next_run(found.slot, self.clock.now())
        if not found.paused or not await self.store.set_paused(found.id, False, upcoming):
            raise Conflict(f"Weekly poll #{found.id} is not paused.")
        return replace(found, paused=False, next_run_at=upcoming)

    async def unschedule(self, guild_id: int, schedule_id: int) -> ScheduleRecord:
        """Stop a schedule for good; Conflict when it was stopped already (by another click)."""
        schedule = await self.store.get_schedule(schedule_id, guild_id)
        if schedule is None or not await self.store.remove_schedule(schedule.id, self.clock.now()):
            raise Conflict(f"Weekly poll #{schedule_id:,} was already stopped.")
        return schedule

    async def queue_add(
        self, guild_id: int, schedule_id: int, question: str, options: str, added_by: int
    ) -> tuple[ScheduleRecord, int, datetime | None]:
        """Queue a question: the schedule, its place in line and when it goes out (None while paused)."""
        found = await self.get_schedule(guild_id, schedule_id)
        spec = self.prepare(question, options, found.duration_hours, found.multiselect)
        await self.store.add_to_queue(found.id, spec.question, spec.answers, added_by, self.clock.now())
        position = found.queued + 1
        when = None if found.paused else rules.nth_run(found.slot, found.next_run_at, position)
        return found, position, when

    async def queue_text(self, guild_id: int, schedule_id: int) -> str:
        found = await self.get_schedule(guild_id, schedule_id)
        return cards.queue(found, await self.store.queue(found.id))

    async def schedule_choices(self, guild_id: int, query: str) -> list[tuple[str, int]]:
        found = await self.store.search_schedules(guild_id, query, limit=limits.AUTOCOMPLETE_CHOICES)
        return [(truncate(f"#{sid} {question}", limits.CHOICE_NAME), sid) for sid, question in found]

    async def trend(self, guild_id: int, schedule_id: int) -> tuple[Card, Chart]:
        found = await self.get_schedule(guild_id, schedule_id)
        polls = [p for p in await self.store.schedule_polls(found.id) if not p.is_open]
        if not polls:
            raise UserError(f"Weekly poll #{found.id} has no closed weeks yet; the trend starts after the first.")
        return cards.trend(found, polls)

    async def export(self, guild_id: int, schedule_id: int | None = None) -> Export:
        if schedule_id is not None:
            await self.get_schedule(guild_id, schedule_id)
        polls = await self.store.polls_for_export(guild_id, schedule_id)
        if not polls:
            raise NotFound("There are no polls to export yet.")
        name = f"polls-schedule-{schedule_id}.csv" if schedule_id is not None else "polls.csv"
        summary = (
            f"{plural(len(polls), 'poll')}, one row per answer "
            "(final counts; open polls show the votes seen so far, blank while an anonymous poll hides them)."
        )
        return Export(name, polls_csv(polls).encode("utf-8"), summary)

    # -- the timer -----------------------------------------------------------------------------

    async def polls_due(self) -> list[PollRecord]:
        return await self.store.polls_due(self.clock.now())

    async def next_due(self) -> datetime | None:
        """The earliest moment the polls have work planned (a poll to close, a weekly poll to post), or None."""
        return await self.store.next_due()

    async def next_wake(self) -> datetime:
        return rules.next_wake(await self.store.next_due(), self.clock.now())

    def retry_wake(self) -> datetime:
        return self.clock.now() + rules.RETRY_AFTER

    # -- data lifecycle (bot.core.lifecycle.DataOwner) -----------------------------------------

    def stored_data(self) -> str:
        return (
            "Polls: the polls and weekly schedules hosts create, with their final counts, and which answer "
            "each member picked in a native poll (kept so results survive a deleted poll message) until the "
            "member asks to be forgotten or the server removes the bot. Anonymous polls never store your id: "
            "while one is open your ballot is kept under a keyed hash, and when it closes the key and every "
            "ballot are deleted, leaving only the totals, so those votes cannot be looked up to erase them."
        )

    async def forget_member(self, guild_id: int | None, user_id: int) -> Forgotten:
        return Forgotten(self.feature, await self.store.forget_votes(guild_id, user_id))

    async def forget_guild(self, guild_id: int) -> Forgotten:
        return Forgotten(self.feature, await self.store.forget_guild(guild_id))
