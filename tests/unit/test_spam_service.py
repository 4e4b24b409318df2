"""SpamService without Discord: a ManualClock and a real SQLite store on tmp_path."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.clock import ManualClock
from bot.core.errors import UserError
from bot.core.lifecycle import ExpiringData, PostRef
from bot.spam.actions import CUSTOM_ID_TEMPLATE, SpamAction
from bot.spam.model import DecisionAction, IncidentStatus, ListName, MessageFacts
from bot.spam.service import SpamService
from bot.spam.tuning import SettingsRequest
from bot.storage.database import Database, open_database
from bot.storage.spam import SpamStore

GUILD = 1
SPAMMER = 42
MOD, MOD2 = 7, 8
AIRDROP = "Crypto airdrop is live for everyone! Connect your wallet and claim at https://claim-airdrop.xyz/free"
PHISHING = "gift for you https://steamcommunitty.ru/profiles/765611"
CLEAN = "See you all at the live session on Friday, I will bring my notes on funnels"


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "spam.db")
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def service(db: Database, clock: ManualClock) -> SpamService:
    return SpamService(SpamStore(db), clock, retention_days=30)


_ids = iter(range(1000, 100_000))


def post(
    clock: ManualClock, content: str, *, channel: int = 10, author: int = SPAMMER, **changes: object
) -> MessageFacts:
    facts = MessageFacts(
        guild_id=GUILD,
        channel_id=channel,
        message_id=next(_ids),
        author_id=author,
        author_name="Totally Real",
        content=content,
        posted_at=clock.now(),
        account_age_days=0.2,
        member_age_days=0.01,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


async def no_text(channel_id: int, message_id: int) -> str | None:
    return None


async def test_a_clean_post_gives_nothing_to_do_and_stores_nothing(service: SpamService, clock: ManualClock) -> None:
    assert await service.scan(post(clock, CLEAN), no_text) is None
    assert await service.store.get(1) is None


async def test_a_flood_in_three_channels_is_one_incident_with_every_copy(
    service: SpamService, clock: ManualClock
) -> None:
    sent = []
    reports = []
    for channel in (10, 11, 12):
        facts = post(clock, AIRDROP, channel=channel)
        sent.append(facts.message_id)
        reports.append(await service.scan(facts, no_text))
        clock.advance(5)
    assert all(r is not None for r in reports)
    ids = {r.incident.id for r in reports if r is not None}
    assert len(ids) == 1
    incident = await service.incident(GUILD, ids.pop())
    assert [c.message_id for c in incident.copies] == sent
    assert [c.channel_id for c in incident.copies] == [10, 11, 12]


async def test_exempt_roles_channels_and_threads_of_exempt_channels_are_not_scanned(
    service: SpamService, clock: ManualClock
) -> None:
    await service.change_settings(
        GUILD,
        SettingsRequest(exempt_role=500, exempt_channel=20),
        reset=False,
        moderator_id=MOD,
        moderator_name="Mo",
    )
    assert await service.scan(post(clock, AIRDROP, role_ids=frozenset({500})), no_text) is None
    assert await service.scan(post(clock, AIRDROP, channel=20), no_text) is None
    assert await service.scan(post(clock, AIRDROP, channel=21, parent_channel_id=20), no_text) is None
    assert await service.scan(post(clock, AIRDROP, staff_channel=True), no_text) is None
    assert await service.scan(post(clock, AIRDROP, channel=22), no_text) is not None


async def test_phishing_is_deleted_and_recorded_as_the_filters_decision(
    service: SpamService, clock: ManualClock
) -> None:
    report = await service.scan(post(clock, PHISHING), no_text)
    assert report is not None and report.delete
    gone = [c.message_id for c in report.incident.copies]
    done = await service.auto_deleted(report.incident, gone)
    assert done.tell_author and done.log is not None and "the filter deleted 1 message" in done.log
    assert [d.action for d in done.incident.decisions] == [DecisionAction.AUTO_DELETE]
    assert done.incident.live_copies == ()


async def flagged(service: SpamService, clock: ManualClock) -> int:
    report = await service.scan(post(clock, AIRDROP), no_text)
    assert report is not None
    return report.incident.id


async def test_two_moderators_banning_at_once_store_one_decision(service: SpamService, clock: ManualClock) -> None:
    incident = await service.incident(GUILD, await flagged(service, clock))
    # Both read the incident while it was open; both confirm.
    first = await service.record(incident, SpamAction.CONFIRM_BAN, MOD, "Mo", "banned the author")
    with pytest.raises(UserError, match="already banned"):
        await service.record(incident, SpamAction.CONFIRM_BAN, MOD2, "Second", "banned the author")
    assert first.incident.status is IncidentStatus.BANNED
    assert "Mo (`7`) banned the author" in first.log and first.log.startswith("Spam incident #1 (Totally Real (`42`))")
    stored = await service.incident(GUILD, incident.id)
    assert [(d.moderator_id, d.action) for d in stored.decisions] == [(MOD, DecisionAction.BAN)]


async def test_a_dismiss_after_a_delete_is_refused_and_says_who_decided(
    service: SpamService, clock: ManualClock
) -> None:
    incident = await service.incident(GUILD, await flagged(service, clock))
    await service.record(incident, SpamAction.DELETE, MOD, "Mo", "deleted 1 message", "1 message")
    with pytest.raises(UserError, match=r"already settled: <@7> deleted it"):
        await service.record(incident, SpamAction.DISMISS, MOD2, "Second", "dismissed it as not spam")
    stored = await service.incident(GUILD, incident.id)
    assert stored.status is IncidentStatus.DELETED and len(stored.decisions) == 1
    with pytest.raises(UserError, match="already settled"):
        service.require_enabled(stored, SpamAction.DISMISS)


async def test_trusting_a_domain_from_an_incident_rebuilds_the_engine(service: SpamService, clock: ManualClock) -> None:
    incident = await service.incident(GUILD, await flagged(service, clock))
    assert "claim-airdrop.xyz" not in (await service.engine_for(GUILD)).config.allowed_domains
    decided = await service.list_domain(incident, "claim-airdrop.xyz", SpamAction.TRUST, MOD, "Mo")
    assert decided.incident.decisions[-1].action is DecisionAction.TRUST_DOMAIN
    assert "claim-airdrop.xyz" in (await service.engine_for(GUILD)).config.allowed_domains
    with pytest.raises(UserError):
        await service.list_domain(incident, "elsewhere.example", SpamAction.BLOCK, MOD, "Mo")


async def test_forget_member_erases_decided_copies_but_keeps_decisions(
    service: SpamService, clock: ManualClock
) -> None:
    decided = await service.incident(GUILD, await flagged(service, clock))
    await service.set_queue_post(decided.id, 99, 999)
    await service.record(decided, SpamAction.DELETE, MOD, "Mo", "deleted 1 message", "1 message")
    clock.advance(3600)
    still_open = await service.scan(post(clock, PHISHING), no_text)
    assert still_open is not None and still_open.incident.id != decided.id
    forgotten = await service.forget_member(GUILD, SPAMMER)
    assert forgotten.feature == "spam filter" and forgotten.rows >= 1
    assert forgotten.posts == (PostRef(99, 999),)
    erased = await service.incident(GUILD, decided.id)
    assert [c.content for c in erased.copies] == [""] and erased.author_name == ""
    assert [d.action for d in erased.decisions] == [DecisionAction.DELETE]
    kept = await service.incident(GUILD, still_open.incident.id)
    assert kept.copies[0].content == PHISHING  # open: a moderator must see it first
    assert (await service.forget_member(None, SPAMMER)).rows == 0  # nothing left to erase


async def test_forget_guild_erases_incidents_settings_and_lists(service: SpamService, clock: ManualClock) -> None:
    incident_id = await flagged(service, clock)
    await service.set_list(GUILD, "good.org", ListName.ALLOW, MOD, "Mo")
    forgotten = await service.forget_guild(GUILD)
    assert forgotten.rows >= 2
    assert await service.store.get(incident_id) is None
    assert (await service.store.domain_lists(GUILD)).allowed == ()


async def test_copies_of_decided_incidents_expire_after_the_retention(service: SpamService, clock: ManualClock) -> None:
    old = await service.incident(GUILD, await flagged(service, clock))
    await service.record(old, SpamAction.DISMISS, MOD, "Mo", "dismissed it as not spam")
    clock.advance(timedelta(days=10).total_seconds())
    recent = await service.incident(GUILD, await flagged(service, clock))
    await service.record(recent, SpamAction.DISMISS, MOD, "Mo", "dismissed it as not spam")
    assert await service.purge_expired_copies(clock.now() + timedelta(days=25)) == 1
    assert (await service.incident(GUILD, old.id)).copies[0].content == ""
    assert (await service.incident(GUILD, recent.id)).copies[0].content == AIRDROP
    assert "30 days" in service.stored_data()
    assert isinstance(service, ExpiringData)  # so the privacy upkeep purges the copies
    assert await service.purge_expired(clock.now() + timedelta(days=45)) == 1  # the recent one's turn now


def test_screen_text_implements_the_text_screener_port(service: SpamService) -> None:
    flagged_text = service.screen_text(PHISHING)
    assert flagged_text.flagged and flagged_text.score > 0 and flagged_text.reasons
    assert not service.screen_text(CLEAN).flagged


def test_every_action_has_its_custom_id_and_only_the_incident_buttons_show_on_the_post() -> None:
    for action in SpamAction:
        match = re.fullmatch(CUSTOM_ID_TEMPLATE, action.custom_id(12))
        assert match is not None and match["action"] == action.value and match["incident_id"] == "12"
    assert SpamAction.CONFIRM_BAN not in SpamAction.incident_buttons()
    assert SpamAction.CANCEL_BAN not in SpamAction.incident_buttons()
    assert SpamAction.CONFIRM_BAN.decision is DecisionAction.BAN
