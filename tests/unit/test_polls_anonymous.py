"""Anonymous polls in the poll service, on a real SQLite store and a manual clock: one vote per member, a
change of mind, hidden results, totals, nothing left that links a vote to a voter once the poll closes, and
the same list, results, export and trend as native polls."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.clock import ManualClock
from bot.core.errors import UserError
from bot.polls.anonymous import voter_key
from bot.polls.model import PollRecord
from bot.polls.service import PollService
from bot.storage.database import Database, open_database
from bot.storage.polls import PollStore

LEARNER, LEARNER2, HOST = 111111111111111111, 222222222222222222, 999999999999999999
GUILD = 10


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "anon.db")
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC))


@pytest.fixture
def service(db: Database, clock: ManualClock) -> PollService:
    return PollService(PollStore(db), clock)


async def create(service: PollService, *, duration_hours: int = 24, **extra: object) -> PollRecord:
    multiselect = bool(extra.pop("multiselect", False))
    spec = service.prepare("Which topic?", "🔍 SEO; Ads; Email", duration_hours, multiselect)
    values: dict[str, object] = dict(guild_id=GUILD, channel_id=20, created_by=HOST)
    values.update(extra)
    poll = await service.record_poll(spec, message_id=None, anonymous=True, **values)  # type: ignore[arg-type]
    return await service.anonymous_posted(poll.id, 30 + poll.id)


async def all_values(db: Database) -> list[object]:
    values: list[object] = []
    for table in ("polls", "poll_answers", "poll_ballots", "poll_votes"):
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            values.extend(row)
    return values


async def test_one_vote_per_member_and_a_change_of_mind(service: PollService) -> None:
    poll = await create(service)
    first = await service.vote(poll.id, LEARNER, (1,))
    assert not first.changed
    assert first.message.startswith("Your vote: **🔍 SEO**. You can change it until the poll closes.")
    await service.vote(poll.id, LEARNER2, (1,))
    again = await service.vote(poll.id, LEARNER, (3,))
    assert again.changed
    assert again.message.startswith("Changed. Your vote: **Email**.")
    current = await service.poll(GUILD, poll.id)
    assert current.anonymous and current.voter_count == 2
    assert [a.count for a in current.answers] == [1, 0, 1]
    assert "Your vote: **Email**" in await service.my_vote(poll.id, LEARNER)
    assert await service.my_vote(poll.id, HOST) == "You haven't voted in this poll yet."


async def test_single_answer_polls_refuse_several_answers_and_unknown_ones(service: PollService) -> None:
    poll = await create(service)
    for answers in ((1, 2), (4,), ()):
        with pytest.raises(UserError, match="not an answer"):
            await service.vote(poll.id, LEARNER, answers)
    several = await create(service, multiselect=True)
    outcome = await service.vote(several.id, LEARNER, (1, 3))
    assert outcome.message.startswith("Your votes: **🔍 SEO**, **Email**.")
    assert [a.count for a in outcome.poll.answers] == [1, 0, 1]
    assert outcome.poll.voter_count == 1


async def test_no_member_id_is_stored_and_close_deletes_the_secret_and_ballots(
    service: PollService, db: Database
) -> None:
    poll = await create(service)
    await service.vote(poll.id, LEARNER, (2,))
    await service.vote(poll.id, LEARNER2, (2,))
    stored = [str(v) for v in await all_values(db)]
    for user in (LEARNER, LEARNER2):
        assert not any(str(user) in value for value in stored)
    secret = await service.store.secret(poll.id)
    assert secret is not None
    keys = {row["voter_key"] for row in await db.fetchall("SELECT voter_key FROM poll_ballots")}
    assert keys == {voter_key(secret, LEARNER), voter_key(secret, LEARNER2)}

    closed = await service.finish(poll)
    assert closed is not None and not closed.is_open
    assert (closed.voter_count, [a.count for a in closed.answers]) == (2, [0, 2, 0])
    assert closed.counts_source == "ballots"
    assert await db.fetchval("SELECT secret FROM polls WHERE id = ?", (poll.id,)) is None
    assert await db.fetchall("SELECT * FROM poll_ballots") == []
    assert "no longer linked to anyone" in await service.my_vote(poll.id, LEARNER)
    assert await service.finish(poll) is None  # the second close loses
    with pytest.raises(UserError, match="This poll has closed"):
        await service.vote(poll.id, LEARNER, (1,))


async def test_keys_differ_between_polls(service: PollService) -> None:
    one, two = await create(service), await create(service)
    secrets = [await service.store.secret(p.id) for p in (one, two)]
    assert secrets[0] is not None and secrets[1] is not None and secrets[0] != secrets[1]
    assert voter_key(secrets[0], LEARNER) != voter_key(secrets[1], LEARNER)


async def test_hidden_results_show_no_counts_to_anyone_until_closed(service: PollService) -> None:
    poll = await create(service, hidden_results=True)
    await service.vote(poll.id, LEARNER, (1,))
    current = await service.poll(GUILD, poll.id)
    card = service.post_card(current)
    assert "results are hidden until the poll closes" in (card.footer or "")
    assert "(100%)" not in card.description and "1 voter so far" in (card.footer or "")
    with pytest.raises(UserError, match="hidden until it closes"):  # /poll results, hosts included
        service.results(current)
    listed = await service.recent(GUILD)
    assert "counts hidden until it closes" in listed.fields[0].value
    rows = list(csv.DictReader(io.StringIO((await service.export(GUILD)).data.decode())))
    assert {(row["votes"], row["voters"], row["anonymous"]) for row in rows} == {("", "", "yes")}

    closed = await service.finish(current)
    assert closed is not None
    card, _ = service.results(closed)
    assert "1 (100%)" in card.description
    assert "1 (100%)" in service.post_card(closed).description


async def test_live_counts_when_not_hidden(service: PollService) -> None:
    poll = await create(service)
    await service.vote(poll.id, LEARNER, (1,))
    current = await service.poll(GUILD, poll.id)
    assert "1 (100%) · **🔍 SEO**" in service.post_card(current).description
    card, _ = service.results(current)
    assert "Anonymous poll #1 · results so far" in (card.footer or "")


async def test_polls_close_by_time_and_show_in_list_results_and_export(
    service: PollService, clock: ManualClock
) -> None:
    early = await create(service, duration_hours=1)
    late = await create(service, duration_hours=5)
    await service.vote(early.id, LEARNER, (3,))
    assert await service.next_due() == early.ends_at
    assert await service.polls_due() == []
    clock.advance(hours=1)
    with pytest.raises(UserError, match="This poll has closed"):  # its time is up, even before the timer ran
        await service.vote(early.id, LEARNER2, (1,))
    [due] = await service.polls_due()
    assert due.id == early.id and await service.finish(due) is not None
    assert await service.next_due() == late.ends_at

    listed = await service.recent(GUILD)
    assert [f.name for f in listed.fields] == ["#2 🕶️ Which topic?", "#1 🕶️ Which topic?"]
    assert listed.fields[1].value.startswith("Closed · 1 voter · top: Email (1)")
    card, chart = service.results(await service.poll(GUILD, early.id))
    assert "final results · 1 voter" in (card.footer or "") and chart.name == "poll-1.png"
    assert chart.render()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader(io.StringIO((await service.export(GUILD)).data.decode())))
    first = [(r["poll_id"], r["answer"], r["votes"], r["counts_from"], r["anonymous"]) for r in rows[:3]]
    assert first == [
        ("1", "SEO", "0", "ballots", "yes"),
        ("1", "Ads", "0", "ballots", "yes"),
        ("1", "Email", "1", "ballots", "yes"),
    ]


async def test_an_anonymous_schedule_keeps_its_options_and_its_weeks_trend(
    service: PollService, db: Database, clock: ManualClock
) -> None:
    schedule = await service.schedule(
        guild_id=GUILD,
        channel_id=20,
        question="How was this week?",
        options="Great; Fine; Hard",
        weekday=0,
        time="09:30",
        zone="UTC",
        duration_hours=24,
        multiselect=False,
        created_by=HOST,
        anonymous=True,
        hidden_results=True,
    )
    assert (schedule.anonymous, schedule.hidden_results) == (True, True)
    assert "🕶️ anonymous" in (await service.schedules_card(GUILD)).fields[0].value
    clock.advance(minutes=30)
    [run] = await service.due_weeks()
    assert run.claim is not None and run.schedule.anonymous
    poll = await service.record_poll(
        service.week_spec(run),
        message_id=None,
        anonymous=True,
        guild_id=GUILD,
        channel_id=20,
        created_by=HOST,
        hidden_results=True,
        schedule_id=schedule.id,
        week=run.claim.week,
    )
    assert await service.store.runs(schedule.id) == [(date(2026, 3, 2), "claimed", None)]
    await service.anonymous_posted(poll.id, 555)
    assert await service.store.runs(schedule.id) == [(date(2026, 3, 2), "posted", poll.id)]
    await service.vote(poll.id, LEARNER, (2,))
    clock.advance(hours=24)
    [due] = await service.polls_due()
    await service.finish(due)
    card, chart = await service.trend(GUILD, schedule.id)
    assert "1 week · voters per week: 1" in card.description
    assert chart.name == f"poll-trend-{schedule.id}.png"


async def test_a_post_that_failed_is_discarded_and_its_week_given_back(service: PollService, db: Database) -> None:
    spec = service.prepare("Which topic?", "A; B", 24, False)
    poll = await service.record_poll(
        spec, guild_id=GUILD, channel_id=20, message_id=None, created_by=HOST, anonymous=True
    )
    assert await service.polls_due() == [] and await service.next_due() is None  # not up yet: nothing to close
    await service.anonymous_discarded(poll.id)
    assert await db.fetchall("SELECT * FROM polls") == []


async def test_data_owner_finds_no_anonymous_vote_of_a_member(service: PollService, db: Database) -> None:
    poll = await create(service)
    await service.vote(poll.id, LEARNER, (1,))
    assert "cannot be looked up" in service.stored_data()
    forgotten = await service.forget_member(GUILD, LEARNER)
    assert forgotten.rows == 0
    assert (await service.poll(GUILD, poll.id)).voter_count == 1  # nothing links that vote to them
    await create(service, guild_id=11)
    gone = await service.forget_guild(GUILD)
    assert gone.rows == 1 + 3 + 1  # the poll, its answers, one ballot
    assert await db.fetchval("SELECT COUNT(*) FROM polls") == 1


async def test_migration_0008_moves_anonymous_polls_with_their_ballots(tmp_path: Path) -> None:
    """A database with 0006's anonymous polls: after 0008 they are polls, an open one still votable."""
    database = await Database.open(tmp_path / "old.db")
    try:
        await database.migrate(target=7)
        secret = b"s" * 32
        await database.execute(
            "INSERT INTO anonymous_polls (id, guild_id, channel_id, message_id, question, created_by, created_at,"
            " ends_at, secret) VALUES (5, ?, 20, 77, 'Old?', ?, ?, ?, ?)",
            (GUILD, HOST, "2026-03-02T09:00:00.000000+00:00", "2026-03-03T09:00:00.000000+00:00", secret),
        )
        for position, text in ((1, "Yes"), (2, "No")):
            await database.execute(
                "INSERT INTO anonymous_poll_answers (poll_id, position, text) VALUES (5, ?, ?)", (position, text)
            )
        await database.execute(
            "INSERT INTO anonymous_poll_ballots (poll_id, voter_key, positions) VALUES (5, ?, '2')",
            (voter_key(secret, LEARNER),),
        )
        await database.migrate()
        store = PollStore(database)
        service = PollService(store, ManualClock(datetime(2026, 3, 2, 10, tzinfo=UTC)))
        new_id = await service.legacy_anonymous(5, legacy=True)
        poll = await service.poll(GUILD, new_id)
        assert (poll.anonymous, poll.duration_hours, poll.message_id, poll.voter_count) == (True, 24, 77, 1)
        assert "Your vote: **No**" in await service.my_vote(new_id, LEARNER)
        assert (await service.vote(new_id, LEARNER, (1,))).changed
    finally:
        await database.close()
