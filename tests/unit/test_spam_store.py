"""SpamStore: settings, domain lists, incidents with copies and decisions, stats."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest_asyncio

from bot.spam.config import SpamConfig
from bot.spam.model import (
    Copy,
    DecisionAction,
    DomainLists,
    IncidentStatus,
    ListName,
    NewIncident,
    SpamSettings,
)
from bot.spam.rules import engine_config
from bot.storage.database import Database, open_database
from bot.storage.spam import SpamStore

GUILD = 111
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "spam.db")
    yield database
    await database.close()


def new_incident(
    message_id: int = 1,
    *,
    channel_id: int = 10,
    when: datetime = NOW,
    action: str = "flag",
    domains: tuple[str, ...] = ("shady.example",),
) -> NewIncident:
    return NewIncident(
        guild_id=GUILD,
        author_id=42,
        author_name="Spammy",
        flood_key="k1",
        action=action,
        score=2.5,
        reasons=("Link to a host on the phishing list",),
        reason_codes=("phishing_list",),
        domains=domains,
        account_age_days=1.5,
        member_age_days=0.1,
        first_copy=Copy(channel_id, message_id, "free nitro https://shady.example", when),
    )


async def test_settings_default_change_reset_and_survive_a_new_store(db: Database) -> None:
    store = SpamStore(db)
    assert await store.settings(GUILD) == SpamSettings(GUILD)
    changed = await store.update_settings(
        GUILD,
        7,
        NOW,
        flag_threshold=2.0,
        delete_enabled=True,
        protected_names=("mycourse",),
        exempt_role_ids=frozenset({5}),
        exempt_channel_ids=frozenset({6, 9}),
        timeout_minutes=30,
    )
    assert changed.flag_threshold == 2.0 and changed.delete_enabled is True
    reread = await SpamStore(db).settings(GUILD)
    assert reread == changed
    assert (await SpamStore(db).settings(GUILD + 1)) == SpamSettings(GUILD + 1)
    await store.reset_settings(GUILD, 7, NOW)
    assert await SpamStore(db).settings(GUILD) == SpamSettings(GUILD)


async def test_update_settings_rejects_unknown_names(db: Database) -> None:
    store = SpamStore(db)
    try:
        await store.update_settings(GUILD, 1, NOW, colour="red")
    except ValueError as error:
        assert "colour" in str(error)
    else:
        raise AssertionError("unknown setting accepted")


async def test_domain_on_one_list_at_a_time(db: Database) -> None:
    store = SpamStore(db)
    assert await store.set_domain(GUILD, "example.com", ListName.BLOCK, 1, NOW) is None
    assert await store.set_domain(GUILD, "good.org", ListName.ALLOW, 1, NOW) is None
    assert await store.set_domain(GUILD, "example.com", ListName.ALLOW, 1, NOW) is ListName.BLOCK
    assert await SpamStore(db).domain_lists(GUILD) == DomainLists(allowed=("example.com", "good.org"))
    assert await store.remove_domain(GUILD, "good.org") is ListName.ALLOW
    assert await store.remove_domain(GUILD, "good.org") is None
    assert (await store.domain_lists(GUILD)).allowed == ("example.com",)
    assert (await store.domain_lists(GUILD + 1)) == DomainLists()


async def test_incident_with_flood_copies_and_decisions(db: Database) -> None:
    store = SpamStore(db)
    first = await store.create_incident(new_incident(1))
    assert first.number == 1 and first.status is IncidentStatus.OPEN
    assert first.domains == ("shady.example",)
    assert [c.message_id for c in first.copies] == [1]
    later = NOW + timedelta(seconds=30)
    updated = await store.add_copy(
        first.id,
        Copy(20, 2, "free nitro https://shady.example", later),
        score=4.0,
        reasons=("Same link in 3 channels",),
        reason_codes=("flood",),
        domains=("shady.example", "other.example"),
    )
    assert updated.score == 4.0
    assert updated.reasons == ("Link to a host on the phishing list", "Same link in 3 channels")
    assert updated.domains == ("shady.example", "other.example")
    assert updated.channel_ids == (10, 20)
    found = await store.open_flood_incident(GUILD, 42, "k1", NOW)
    assert found is not None and found.id == first.id
    assert await store.open_flood_incident(GUILD, 43, "k1", NOW) is None
    assert await store.open_flood_incident(GUILD, 42, "k1", later + timedelta(seconds=1)) is None
    by_message = await store.incident_for_message(GUILD, 2)
    assert by_message is not None and by_message.id == first.id
    assert await store.listed_messages(GUILD, [1, 2, 3]) == {1, 2}
    assert await store.listed_messages(GUILD + 1, [1, 2]) == set()
    assert await store.listed_messages(GUILD, []) == set()

    await store.mark_deleted(first.id, [1, 2], 7, later)
    decided = await store.decide(first.id, 7, DecisionAction.DELETE, later, "2 messages")
    assert decided.status is IncidentStatus.DELETED
    assert decided.live_copies == ()
    assert [(d.moderator_id, d.action, d.detail) for d in decided.decisions] == [
        (7, DecisionAction.DELETE, "2 messages")
    ]
    trusted = await store.decide(first.id, 8, DecisionAction.TRUST_DOMAIN, later, "other.example")
    assert trusted.status is IncidentStatus.DELETED  # a list change does not settle the incident
    assert await store.open_flood_incident(GUILD, 42, "k1", NOW) is None  # settled: a new flood starts anew

    second = await store.create_incident(new_incident(3))
    assert second.number == 2


async def test_edit_of_a_listed_copy_updates_its_text(db: Database) -> None:
    store = SpamStore(db)
    incident = await store.create_incident(new_incident(1))
    edited = Copy(10, 1, "now with https://scam.example", NOW, edited=True)
    updated = await store.add_copy(incident.id, edited, score=1.0, reasons=(), reason_codes=(), domains=())
    assert len(updated.copies) == 1
    assert updated.copies[0].content == "now with https://scam.example" and updated.copies[0].edited
    assert updated.score == 2.5


async def test_automatic_deletion_is_recorded_as_a_decision_of_the_filter(db: Database) -> None:
    store = SpamStore(db)
    incident = await store.create_incident(new_incident(1, action="delete"))
    await store.mark_deleted(incident.id, [1], None, NOW)
    incident = await store.decide(incident.id, None, DecisionAction.AUTO_DELETE, NOW, "1 message")
    assert incident.copies[0].deleted and incident.copies[0].deleted_by is None
    assert [(d.moderator_id, d.action) for d in incident.decisions] == [(None, DecisionAction.AUTO_DELETE)]
    assert incident.status is IncidentStatus.OPEN  # still waiting for a moderator's review


async def test_stats_count_the_window_only(db: Database) -> None:
    store = SpamStore(db)
    old = await store.create_incident(new_incident(1, when=NOW - timedelta(days=40)))
    await store.decide(old.id, 7, DecisionAction.DISMISS, NOW)
    a = await store.create_incident(new_incident(2, when=NOW - timedelta(days=2)))
    b = await store.create_incident(new_incident(3, when=NOW - timedelta(days=1), domains=("b.example",)))
    auto = await store.create_incident(new_incident(4, when=NOW, action="delete"))
    await store.decide(auto.id, None, DecisionAction.AUTO_DELETE, NOW)
    await store.decide(a.id, 7, DecisionAction.DISMISS, NOW)
    await store.decide(b.id, 7, DecisionAction.BAN, NOW)

    stats = await store.stats(GUILD, NOW - timedelta(days=30), 30)
    assert (stats.incidents, stats.flagged, stats.auto_deleted, stats.copies) == (3, 2, 1, 3)
    assert (stats.open, stats.reviewed, stats.dismissed) == (1, 2, 1)
    assert stats.dismissed_share == 0.5
    assert stats.decisions == {"auto_delete": 1, "ban": 1, "dismiss": 1}
    assert stats.top_domains == (("shady.example", 2), ("b.example", 1))
    assert [(d.day.isoformat(), d.flagged, d.deleted) for d in stats.per_day] == [
        ("2026-02-27", 1, 0),
        ("2026-02-28", 1, 0),
        ("2026-03-01", 0, 1),
    ]
    empty = await store.stats(GUILD + 1, NOW - timedelta(days=30), 30)
    assert empty.incidents == 0 and empty.dismissed_share is None and empty.top_domains == ()


def test_engine_config_applies_server_changes_over_defaults() -> None:
    settings = SpamSettings(
        GUILD,
        flag_threshold=2.0,
        delete_enabled=True,
        protected_names=("mycourse", "discord"),
        exempt_role_ids=frozenset({5}),
        timeout_minutes=15,
    )
    config = engine_config(settings, DomainLists(allowed=("good.org",), blocked=("bad.net",)))
    default = SpamConfig()
    assert config.flag_threshold == 2.0 and config.delete_enabled is True and config.timeout_minutes == 15
    assert config.delete_threshold == default.delete_threshold
    assert config.protected_names == (*default.protected_names, "mycourse")
    assert "good.org" in config.allowed_domains and "bad.net" in config.blocked_domains
    assert config.exempt_role_ids == frozenset({5})
    assert engine_config(SpamSettings(GUILD), DomainLists()) == default
