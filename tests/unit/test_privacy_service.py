"""The privacy service on a real database with fake feature owners: forgetting, grace periods, removals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.lifecycle import DataOwner, ExpiringData, Forgotten, PostRef
from bot.privacy.service import PrivacyService
from bot.storage.database import Database, open_database
from bot.storage.guilds import GuildSettingsStore
from bot.storage.privacy import SqlitePrivacyStore


class FakeOwner:
    """Keeps (guild, user) rows in memory, with a post for each."""

    def __init__(self, feature: str, rows: list[tuple[int, int]]) -> None:
        self.feature = feature
        self.rows = rows

    def stored_data(self) -> str:
        return f"what {self.feature} keeps"

    async def forget_member(self, guild_id: int | None, user_id: int) -> Forgotten:
        gone = [r for r in self.rows if r[1] == user_id and (guild_id is None or r[0] == guild_id)]
        self.rows = [r for r in self.rows if r not in gone]
        return Forgotten(self.feature, len(gone), tuple(PostRef(r[0], r[1] * 10) for r in gone))

    async def forget_guild(self, guild_id: int) -> Forgotten:
        gone = [r for r in self.rows if r[0] == guild_id]
        self.rows = [r for r in self.rows if r not in gone]
        return Forgotten(self.feature, len(gone))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "p.db")
    yield database
    await database.close()


def make(db: Database, owners: list[FakeOwner], clock: ManualClock) -> PrivacyService:
    store = SqlitePrivacyStore(db, GuildSettingsStore(db))
    return PrivacyService(store, owners, clock, grace_days=30, copy_retention_days=30)


def test_fake_owner_is_a_data_owner() -> None:
    assert isinstance(FakeOwner("x", []), DataOwner)


async def test_forget_member_in_one_server_keeps_others_and_queues_posts(db: Database) -> None:
    stories = FakeOwner("stories", [(1, 7), (1, 8), (2, 7)])
    votes = FakeOwner("polls", [(1, 7)])
    service = make(db, [stories, votes], ManualClock())
    report = await service.forget_member(1, 7)
    assert report.rows == 2
    assert stories.rows == [(1, 8), (2, 7)] and votes.rows == []
    assert report.describe() == "Erased stories: 1 record, polls: 1 record; 2 posts removed from Discord."
    pending = await service.pending_removals()
    assert {(p.channel_id, p.message_id) for p in pending} == {(1, 70)}
    await service.removal_done(pending[0])
    assert await service.pending_removals() == []


async def test_forget_member_everywhere(db: Database) -> None:
    owner = FakeOwner("stories", [(1, 7), (2, 7), (2, 9)])
    report = await make(db, [owner], ManualClock()).forget_member(None, 7)
    assert report.rows == 2 and owner.rows == [(2, 9)]


async def test_a_server_left_is_purged_only_after_the_grace_period(db: Database) -> None:
    owner = FakeOwner("stories", [(5, 1), (6, 1)])
    clock = ManualClock()
    service = make(db, [owner], clock)
    await GuildSettingsStore(db).update(5, clock.now().isoformat(), timezone="Europe/Paris")
    await service.guild_left(5)
    clock.advance(timedelta(days=29).total_seconds())
    assert await service.purge_departed() == {}
    assert owner.rows == [(5, 1), (6, 1)]
    clock.advance(timedelta(days=2).total_seconds())
    purged = await service.purge_departed()
    assert list(purged) == [5]
    assert owner.rows == [(6, 1)]
    assert (await GuildSettingsStore(db).get(5)).timezone is None
    assert await service.purge_departed() == {}  # done once


async def test_coming_back_within_the_grace_period_keeps_the_data(db: Database) -> None:
    owner = FakeOwner("stories", [(5, 1)])
    clock = ManualClock()
    service = make(db, [owner], clock)
    await service.guild_left(5)
    clock.advance(timedelta(days=3).total_seconds())
    await service.guild_joined(5)
    clock.advance(timedelta(days=60).total_seconds())
    assert await service.purge_departed() == {}
    assert owner.rows == [(5, 1)]


def test_summary_names_every_feature_and_the_grace_period(db: Database) -> None:
    card = make(db, [FakeOwner("stories", []), FakeOwner("polls", [])], ManualClock()).summary_card("Course")
    names = [field.name for field in card.fields]
    assert names[:2] == ["Stories", "Polls"]
    assert "30 days later" in card.fields[-1].value


class FakeExpiring(FakeOwner):
    """A data owner that also keeps rows only for a retention period (as the spam feature keeps copies)."""

    def __init__(self, feature: str, rows: list[tuple[int, int]], kept_days: int) -> None:
        super().__init__(feature, rows)
        self.kept_days = kept_days
        self.asked: list[object] = []

    async def purge_expired(self, now: datetime) -> int:
        self.asked.append(now)
        return len(self.rows) if now - START >= timedelta(days=self.kept_days) else 0


START = datetime(2026, 1, 5, 12, tzinfo=UTC)


async def test_purge_expired_asks_only_the_owners_with_a_retention_at_the_clocks_time(db: Database) -> None:
    clock = ManualClock(START)
    copies = FakeExpiring("spam", [(1, 7), (1, 8)], kept_days=30)
    plain = FakeOwner("stories", [(1, 7)])
    service = make(db, [plain, copies], clock)
    assert isinstance(copies, ExpiringData) and not isinstance(plain, ExpiringData)
    assert await service.purge_expired() == {"spam": 0}
    clock.advance(timedelta(days=31).total_seconds())
    assert await service.purge_expired() == {"spam": 2}
    assert copies.asked == [START, START + timedelta(days=31)]
