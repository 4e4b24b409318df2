"""PollService without Discord: a ManualClock and a real SQLite store. Validation, closing, weekly runs,
racing transitions, wording, and forgetting members and servers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.clock import ManualClock
from bot.core.errors import Conflict, NotFound, UserError
from bot.core.lifecycle import DataOwner
from bot.polls import rules
from bot.polls.model import PollRecord
from bot.polls.service import PollService
from bot.storage.database import Database, open_database
from bot.storage.polls import PollStore

GUILD, OTHER = 100, 200
HOST, LEE, SAM = 7, 1, 2
MONDAY_9 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "polls.db")
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 1, 1, 12, tzinfo=UTC))


@pytest.fixture
def service(db: Database, clock: ManualClock) -> PollService:
    return PollService(PollStore(db), clock)


async def posted(service: PollService, message_id: int = 500, *, guild: int = GUILD, hours: int = 24) -> PollRecord:
    spec = service.prepare("Which topic next?", "🔍 SEO; Paid social; Email", hours, False)
    return await service.record_poll(
        spec, guild_id=guild, channel_id=50, message_id=message_id, created_by=HOST, expires_at=None
    )


async def weekly(service: PollService, **options: object) -> int:
    values: dict[str, object] = {
        "guild_id": GUILD,
        "channel_id": 50,
        "question": "How was this week's lesson?",
        "options": "Clear; So-so; Lost",
        "weekday": 0,
        "time": "09:00",
        "zone": "UTC",
        "duration_hours": 24,
        "multiselect": False,
        "created_by": HOST,
    }
    values.update(options)
    created = await service.schedule(**values)  # type: ignore[arg-type]
    return created.id


def test_the_service_is_a_data_owner(service: PollService) -> None:
    owner: DataOwner = service
    assert owner.feature == "polls"
    assert "which answer each member picked" in owner.stored_data()


def test_every_problem_is_listed_within_one_message(service: PollService) -> None:
    with pytest.raises(UserError) as refused:
        service.prepare("", ";".join("x" * 300 + str(n) for n in range(40)), 0, False)
    text = str(refused.value)
    assert text.startswith("I didn't post the poll:")
    assert text.count("•") == 8
    assert "other problem" in text
    assert len(text) <= 2000
    assert "x" * 41 not in text  # long answers are echoed cut


async def test_a_poll_closes_once_with_discords_counts(service: PollService, clock: ManualClock) -> None:
    record = await posted(service)
    assert record.ends_at == clock.now() + timedelta(hours=24)
    assert await service.vote_added(500, LEE, 1)
    assert not await service.vote_added(999, LEE, 1)  # not one of our polls
    clock.advance(hours=24)
    [due] = await service.polls_due()
    assert due.id == record.id

    # Discord has not finalised it yet: wait, and look again a minute later
    assert await service.wait_for_final_counts(due, finalised=False)
    assert await service.polls_due() == []
    assert await service.next_wake() == clock.now() + rules.RETRY_AFTER
    clock.advance(minutes=11)  # past the grace period: take the counts as they are
    [again] = await service.polls_due()
    assert not await service.wait_for_final_counts(again, finalised=False)

    closed = await service.finish(again, {1: 3, 2: 1, 3: 0}, 4)
    assert closed is not None and not closed.is_open
    assert (closed.counts_source, closed.voter_count) == ("discord", 4)
    assert await service.finish(again, {1: 9}, 9) is None  # a second close loses, and changes nothing
    stored = await service.poll(GUILD, record.id)
    assert [a.count for a in stored.answers] == [3, 1, 0]
    with pytest.raises(Conflict, match="already closed"):
        await service.poll_to_end(GUILD, record.id)
    with pytest.raises(NotFound):
        await service.poll(OTHER, record.id)


async def test_a_poll_whose_message_is_gone_keeps_the_votes_seen(service: PollService) -> None:
    record = await posted(service)
    await service.vote_added(500, LEE, 3)
    await service.vote_added(500, SAM, 3)
    closed = await service.finish(await service.poll(GUILD, record.id))
    assert closed is not None
    assert (closed.counts_source, closed.voter_count) == ("seen", 2)
    card, chart = service.results(closed)
    assert "the poll message was deleted" in (card.footer or "")
    assert chart.name == f"poll-{closed.id}.png"


async def test_results_and_list_wording(service: PollService) -> None:
    record = await posted(service)
    await service.vote_added(500, LEE, 1)
    listing = await service.recent(GUILD)
    [field] = listing.fields
    assert field.name == "#1 Which topic next?"
    assert field.value.startswith("Open, closes <t:")
    assert field.value.count("open") == 0  # not "open · … · open"
    assert "1 voted so far" in field.value and "[go to the poll](https://discord.com/channels/" in field.value

    one = await service.finish(await service.poll(GUILD, record.id), {1: 1, 2: 0, 3: 0}, 1)
    assert one is not None
    [closed_field] = (await service.recent(GUILD)).fields
    assert "Closed · 1 voter · top: 🔍 SEO (1)" in closed_field.value
    card, _ = service.results(one)
    assert card.fields[0].value == "1"
    assert "Final results" not in card.title and card.title == "Which topic next?"
    text = service.closed_text(one)
    assert text == "📊 The poll is closed. Results of “Which topic next?”"
    with pytest.raises(NotFound, match="No polls yet"):
        await service.recent(OTHER)


async def test_schedule_input_is_checked_and_echoes_are_cut(service: PollService) -> None:
    with pytest.raises(UserError) as long_time:
        await weekly(service, time="9" * 4000)
    assert "The time is 4,000 characters long" in str(long_time.value)
    assert len(str(long_time.value)) < 300
    with pytest.raises(UserError) as long_zone:
        await weekly(service, zone="Europe/" + "x" * 293)
    assert "not a time zone" in str(long_zone.value)
    assert "x" * 50 not in str(long_zone.value)
    with pytest.raises(UserError) as weekly_long:
        await weekly(service, duration_hours=200)
    assert "within a week (168 hours)" in str(weekly_long.value)
    assert await service.store.schedules(GUILD) == []


async def test_a_week_is_claimed_once_and_missed_weeks_are_late_or_skipped(
    service: PollService, clock: ManualClock
) -> None:
    schedule_id = await weekly(service, duration_hours=24)
    assert await service.due_weeks() == []
    assert await service.next_wake() == clock.now() + rules.MAX_SLEEP  # Monday is days away: the safety net

    clock.set(MONDAY_9 + timedelta(hours=6))  # the bot was down at 09:00 but the poll would still be open
    [run] = await service.due_weeks()
    assert run.claim is not None and run.late and run.skipped == ()
    assert run.spec_hours == 18  # closes when planned
    assert service.week_spec(run).duration_hours == 18
    assert await service.due_weeks() == []  # never claimed twice

    clock.set(MONDAY_9 + timedelta(days=14, hours=2))  # two weeks later, after a week fully missed
    [second] = await service.due_weeks()
    assert [o.day.isoformat() for o in second.skipped] == ["2026-01-12"]
    assert second.claim is not None and second.claim.week.isoformat() == "2026-01-19" and second.late
    assert await service.week_failed(second.claim)
    assert not await service.week_failed(second.claim)  # only a claimed week can fail
    runs = await service.store.runs(schedule_id)
    assert [status for _, status, _ in runs] == ["claimed", "skipped", "failed"]


async def test_pause_resume_and_unschedule_are_decided_once(service: PollService, clock: ManualClock) -> None:
    schedule_id = await weekly(service)
    paused = await service.pause(GUILD, schedule_id)
    assert paused.paused
    with pytest.raises(Conflict, match="already paused"):
        await service.pause(GUILD, schedule_id)
    clock.advance(days=10)
    resumed = await service.resume(GUILD, schedule_id)
    assert resumed.next_run_at == datetime(2026, 1, 12, 9, tzinfo=UTC)
    with pytest.raises(Conflict, match="not paused"):
        await service.resume(GUILD, schedule_id)
    with pytest.raises(NotFound):
        await service.pause(OTHER, schedule_id)

    stopped = await service.unschedule(GUILD, schedule_id)
    assert stopped.id == schedule_id
    with pytest.raises(Conflict, match=f"Weekly poll #{schedule_id} was already stopped"):
        await service.unschedule(GUILD, schedule_id)


async def test_queue_schedules_card_trend_and_export_wording(service: PollService, clock: ManualClock) -> None:
    schedule_id = await weekly(service)
    found, position, when = await service.queue_add(GUILD, schedule_id, "Queued?", "Yes; No", HOST)
    assert (found.id, position, when) == (schedule_id, 1, datetime(2026, 1, 5, 9, tzinfo=UTC))
    card = await service.schedules_card(GUILD)
    assert "open for 24 hours · 1 queued question\n" in card.fields[0].value
    assert "Queued?" in await service.queue_text(GUILD, schedule_id)
    with pytest.raises(UserError, match="no closed weeks yet"):
        await service.trend(GUILD, schedule_id)

    clock.set(MONDAY_9)
    [run] = await service.due_weeks()
    assert run.claim is not None and run.claim.question == "Queued?"
    record = await service.record_poll(
        service.week_spec(run),
        guild_id=GUILD,
        channel_id=50,
        message_id=700,
        created_by=HOST,
        expires_at=None,
        schedule_id=schedule_id,
        week=run.claim.week,
    )
    await service.finish(record, {1: 2, 2: 1}, 3)
    trend, chart = await service.trend(GUILD, schedule_id)
    assert trend.description.startswith("1 week · voters per week: 3 · average 3.0")
    assert chart.name == f"poll-trend-{schedule_id}.png"
    exported = await service.export(GUILD, schedule_id)
    assert exported.summary.startswith("1 poll, one row per answer")
    assert exported.name == f"polls-schedule-{schedule_id}.csv"
    with pytest.raises(NotFound, match="no polls to export"):
        await service.export(OTHER)


async def test_forget_a_member_in_one_server_or_everywhere(service: PollService) -> None:
    await posted(service, 500)
    await posted(service, 600, guild=OTHER)
    for message_id in (500, 600):
        await service.vote_added(message_id, LEE, 1)
        await service.vote_added(message_id, SAM, 2)
    here = await service.forget_member(GUILD, LEE)
    assert (here.feature, here.rows) == ("polls", 1)
    assert [a.seen_count for a in (await service.poll(GUILD, 1)).answers] == [0, 1, 0]
    assert [a.seen_count for a in (await service.poll(OTHER, 2)).answers] == [1, 1, 0]
    everywhere = await service.forget_member(None, LEE)
    assert everywhere.rows == 1
    assert [a.seen_count for a in (await service.poll(OTHER, 2)).answers] == [0, 1, 0]
    assert (await service.forget_member(None, LEE)).rows == 0


async def test_forget_a_server_erases_its_polls_schedules_queue_and_votes(
    service: PollService, clock: ManualClock
) -> None:
    await posted(service, 500)
    await service.vote_added(500, LEE, 1)
    schedule_id = await weekly(service)
    await service.queue_add(GUILD, schedule_id, "Queued?", "Yes; No", HOST)
    clock.set(MONDAY_9)
    [run] = await service.due_weeks()
    assert run.claim is not None
    kept = await posted(service, 600, guild=OTHER)
    await service.vote_added(600, SAM, 2)

    forgotten = await service.forget_guild(GUILD)
    assert forgotten.feature == "polls"
    assert forgotten.rows == 1 + 3 + 1 + 1 + 1 + 1  # poll, answers, vote, queue item, run, schedule
    assert await service.store.recent_polls(GUILD) == []
    assert await service.store.schedules(GUILD) == []
    assert await service.store.runs(schedule_id) == []
    assert await service.store.queue(schedule_id, include_used=True) == []
    assert [p.id for p in await service.store.recent_polls(OTHER)] == [kept.id]
    assert (await service.poll(OTHER, kept.id)).voter_count == 1


def test_rules_next_wake_and_grace() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert rules.next_wake(None, now) == now + rules.MAX_SLEEP
    assert rules.next_wake(now + timedelta(hours=1), now) == now + timedelta(hours=1)
    assert rules.next_wake(now + timedelta(days=3), now) == now + rules.MAX_SLEEP
    assert rules.next_wake(now - timedelta(hours=1), now) == now + rules.RETRY_AFTER  # no busy loop
    end = now
    assert rules.wait_for_final_counts(end, False, now + timedelta(minutes=9))
    assert not rules.wait_for_final_counts(end, False, now + rules.FINALISE_GRACE)
    assert not rules.wait_for_final_counts(end, True, now)
    slot = rules.WeeklySlot(0, time(9), "UTC")
    assert rules.nth_run(slot, MONDAY_9, 3) == MONDAY_9 + timedelta(days=14)
    assert rules.timezone_problem("Europe/London") is None
    assert rules.weekly_duration_problem(168, 768) is None


async def test_recover_jobs_adds_a_close_job_only_for_an_open_poll_that_lacks_one(
    service: PollService, db: Database
) -> None:
    record = await posted(service)
    assert await service.recover_jobs() == 0  # recorded with its close job: nothing to add
    await db.execute("DELETE FROM jobs")  # as a poll from before the queue
    assert await service.recover_jobs() == 1
    keys = [row["idempotency_key"] for row in await db.fetchall("SELECT idempotency_key FROM jobs")]
    assert len(keys) == 1 and str(record.id) in keys[0]
    assert await service.recover_jobs() == 0  # once only
