"""The anonymous-poll service on a real SQLite store and a manual clock: one vote per member, a change of
mind, hidden results, totals, and nothing left that links a vote to a voter once the poll closes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.clock import ManualClock
from bot.core.errors import UserError
from bot.core.lifecycle import PostRef
from bot.polls.anonymous import AnonymousPollService, voter_key
from bot.polls.anonymous_store import AnonymousPoll
from bot.storage.anonymous_polls import SqliteAnonymousPollStore
from bot.storage.database import Database, open_database

LEARNER, LEARNER2, HOST = 111111111111111111, 222222222222222222, 999999999999999999


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "anon.db")
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def service(db: Database, clock: ManualClock) -> AnonymousPollService:
    return AnonymousPollService(SqliteAnonymousPollStore(db), clock)


async def create(service: AnonymousPollService, **extra: object) -> AnonymousPoll:
    values: dict[str, object] = dict(
        guild_id=10, channel_id=20, created_by=HOST, question="Which topic?", options="🔍 SEO; Ads; Email"
    )
    values.update(extra)
    poll = await service.create(**values)  # type: ignore[arg-type]
    await service.posted(poll.id, 30 + poll.id)
    return poll


async def all_values(db: Database) -> list[object]:
    values: list[object] = []
    for table in ("anonymous_polls", "anonymous_poll_answers", "anonymous_poll_ballots"):
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            values.extend(row)
    return values


async def test_one_vote_per_member_and_a_change_of_mind(service: AnonymousPollService) -> None:
    poll = await create(service)
    first = await service.vote(poll.id, LEARNER, (1,))
    assert not first.changed
    assert first.message.startswith("Your vote: **🔍 SEO**. You can change it until the poll closes.")
    await service.vote(poll.id, LEARNER2, (1,))
    again = await service.vote(poll.id, LEARNER, (3,))
    assert again.changed
    assert again.message.startswith("Changed. Your vote: **Email**.")
    current = await service.get(poll.id)
    assert current.voters == 2
    assert [a.count for a in current.answers] == [1, 0, 1]
    assert "Your vote: **Email**" in await service.my_vote(poll.id, LEARNER)
    assert await service.my_vote(poll.id, HOST) == "You haven't voted in this poll yet."


async def test_single_answer_polls_refuse_several_answers_and_unknown_ones(service: AnonymousPollService) -> None:
    poll = await create(service)
    for positions in ((1, 2), (4,), ()):
        with pytest.raises(UserError, match="not an answer"):
            await service.vote(poll.id, LEARNER, positions)
    several = await create(service, multiselect=True)
    outcome = await service.vote(several.id, LEARNER, (1, 3))
    assert outcome.message.startswith("Your votes: **🔍 SEO**, **Email**.")
    assert [a.count for a in outcome.poll.answers] == [1, 0, 1]


async def test_no_member_id_is_stored_and_close_deletes_the_secret_and_ballots(
    service: AnonymousPollService, db: Database
) -> None:
    poll = await create(service)
    await service.vote(poll.id, LEARNER, (2,))
    await service.vote(poll.id, LEARNER2, (2,))
    stored = await all_values(db)
    for user in (LEARNER, LEARNER2):
        assert user not in stored and str(user) not in [str(v) for v in stored]
    secret = await service.store.secret(poll.id)
    assert secret is not None
    keys = {row["voter_key"] for row in await db.fetchall("SELECT voter_key FROM anonymous_poll_ballots")}
    assert keys == {voter_key(secret, LEARNER), voter_key(secret, LEARNER2)}

    closed = await service.close(poll.id)
    assert closed is not None and not closed.is_open
    assert (closed.voters, [a.count for a in closed.answers]) == (2, [0, 2, 0])
    assert await db.fetchval("SELECT secret FROM anonymous_polls WHERE id = ?", (poll.id,)) is None
    assert await db.fetchall("SELECT * FROM anonymous_poll_ballots") == []
    assert "no longer linked to anyone" in await service.my_vote(poll.id, LEARNER)
    assert await service.close(poll.id) is None  # the second close loses
    with pytest.raises(UserError, match="This poll has closed"):
        await service.vote(poll.id, LEARNER, (1,))


async def test_keys_differ_between_polls(service: AnonymousPollService) -> None:
    one, two = await create(service), await create(service)
    secrets = [await service.store.secret(p.id) for p in (one, two)]
    assert secrets[0] != secrets[1]
    assert voter_key(secrets[0], LEARNER) != voter_key(secrets[1], LEARNER)  # type: ignore[arg-type]


async def test_hidden_results_show_no_counts_until_closed(service: AnonymousPollService) -> None:
    poll = await create(service, hidden_results=True)
    await service.vote(poll.id, LEARNER, (1,))
    card = service.poll_card(await service.get(poll.id))
    assert "results are hidden until the poll closes" in (card.footer or "")
    assert "(100%)" not in card.description and "1 voter so far" in (card.footer or "")
    closed = await service.close(poll.id)
    assert closed is not None
    assert "1 (100%)" in service.results_card(closed, "x.png").description
    assert "1 (100%)" in service.poll_card(closed).description


async def test_live_counts_when_not_hidden(service: AnonymousPollService) -> None:
    poll = await create(service)
    await service.vote(poll.id, LEARNER, (1,))
    card = service.poll_card(await service.get(poll.id))
    assert "1 (100%) · **🔍 SEO**" in card.description


async def test_polls_close_by_time_and_keep_totals(service: AnonymousPollService, clock: ManualClock) -> None:
    early = await create(service, duration_hours=1)
    late = await create(service, duration_hours=5)
    await service.vote(early.id, LEARNER, (3,))
    assert await service.next_due() == early.ends_at
    assert await service.seconds_to_next_close(timedelta(hours=6)) == 3600
    assert await service.seconds_to_next_close(timedelta(minutes=5)) == 300
    assert await service.close_due() == []
    clock.advance(hours=1)
    with pytest.raises(UserError, match="This poll has closed"):  # its time is up, even before the timer ran
        await service.vote(early.id, LEARNER2, (1,))
    closed = await service.close_due()
    assert [p.id for p in closed] == [early.id]
    assert await service.next_due() == late.ends_at
    totals = await service.closed_polls(10)
    assert [(p.id, p.voters, [a.count for a in p.answers]) for p in totals] == [(early.id, 1, [0, 0, 1])]
    assert service.chart_bars(totals[0])[0].label == "SEO"  # no emoji on charts
    [week] = await service.trend_weeks(10)
    assert (week.label, week.question, week.voters) == ("Mar 02", "Which topic?", 1)
    assert [(bar.label, bar.count) for bar in week.bars] == [("SEO", 0), ("Ads", 0), ("Email", 1)]
    await service.close(late.id)
    assert await service.seconds_to_next_close(timedelta(hours=6)) == 6 * 3600  # nothing open


async def test_invalid_input_lists_every_problem_and_stores_nothing(
    service: AnonymousPollService, db: Database
) -> None:
    with pytest.raises(UserError) as refused:
        await service.create(guild_id=10, channel_id=20, created_by=HOST, question="Q" * 301, options="only")
    assert str(refused.value).count("•") == 2
    assert await db.fetchall("SELECT * FROM anonymous_polls") == []


async def test_data_owner(service: AnonymousPollService, db: Database) -> None:
    poll = await create(service)
    await service.vote(poll.id, LEARNER, (1,))
    assert service.feature == "anonymous polls"
    assert "cannot be looked up" in service.stored_data()
    forgotten = await service.forget_member(10, LEARNER)
    assert (forgotten.feature, forgotten.rows) == ("anonymous polls", 0)
    other = await create(service, guild_id=11)
    gone = await service.forget_guild(10)
    assert gone.rows == 1 + 3 + 1  # the poll, its answers, one ballot
    assert gone.posts == (PostRef(20, 30 + poll.id),)
    assert await db.fetchval("SELECT COUNT(*) FROM anonymous_polls") == 1
    assert (await service.get(other.id)).guild_id == 11
