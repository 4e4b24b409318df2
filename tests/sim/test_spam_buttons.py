"""The incident buttons in #mod-queue: each does what it says, for moderators only, after restarts too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import discord
from simcord.actors import MemberActor

from bot.app import CourseBot
from bot.core.cards import Tone
from bot.permissions import Role
from bot.spam.model import DecisionAction, DomainLists, IncidentStatus
from tests.sim import spam_world
from tests.sim.spam_world import (
    AIRDROP_POST,
    NITRO_POST,
    STEAM_POST,
    SpamWorld,
    button,
    fields,
    message_ids,
)

ages = spam_world.ages  # fixtures
spam = spam_world.spam


FLOOD_CHANNELS = ("general", "lessons", "polls")


async def flood(spam: SpamWorld) -> list[discord.Message]:
    """The newcomer pastes the airdrop scam into three channels: one incident with three copies."""
    return [await spam.spammer.send(spam.course.channel(name), AIRDROP_POST) for name in FLOOD_CHANNELS]


async def timed_out_until(spam: SpamWorld) -> datetime | None:
    """The author's timeout as Discord has it (a new process has not cached the member yet)."""
    guild = spam.course.env.bot.get_guild(spam.course.guild.id)
    assert guild is not None
    return (await guild.fetch_member(spam.spammer.id)).timed_out_until


async def test_dismiss_marks_it_not_spam_shows_who_and_logs_it(spam: SpamWorld) -> None:
    posted = await spam.spammer.send(spam.course.channel("general"), NITRO_POST)
    moderator = spam.course.moderator
    result = await moderator.click(spam.only_post(), label="Dismiss (not spam)")
    assert not result.ephemeral
    post = spam.only_post()
    assert post.embeds[0].footer.text == "Status: dismissed as not spam"
    assert post.embeds[0].colour == discord.Colour(Tone.SUCCESS.value)
    assert f"<@{moderator.id}> dismissed it as not spam" in fields(post)["Decisions"]
    assert button(post, "Dismiss (not spam)").disabled
    assert posted.id in message_ids(spam.course.channel("general"))
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.DISMISSED
    assert [(d.moderator_id, d.action) for d in incident.decisions] == [(moderator.id, DecisionAction.DISMISS)]
    assert any(
        line.startswith(f"Spam incident #1 (Totally Real (`{spam.spammer.id}`)): ")
        and f"Mo Moderator (`{moderator.id}`) dismissed it as not spam" in line
        for line in spam.mod_log()
    )


async def test_delete_removes_every_copy_of_a_flood(spam: SpamWorld) -> None:
    copies = await flood(spam)
    assert len(spam.posts()) == 1
    await spam.course.moderator.click(spam.only_post(), label="Delete")
    for name, copy in zip(FLOOD_CHANNELS, copies, strict=True):
        assert copy.id not in message_ids(spam.course.channel(name))
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.DELETED and incident.live_copies == ()
    assert all(c.deleted_by == spam.course.moderator.id for c in incident.copies)
    post = spam.only_post()
    assert "deleted it (3 messages)" in fields(post)["Decisions"]
    assert fields(post)["Where: 3 copies in 3 channels"].count("· deleted") == 3
    assert button(post, "Delete").disabled
    assert any("deleted 3 messages" in line for line in spam.mod_log())

    fourth = await spam.spammer.send(spam.course.channel("stories"), AIRDROP_POST)  # the flood goes on
    assert len(spam.posts()) == 2
    second = await spam.incident(2)
    assert [c.message_id for c in second.copies] == [fourth.id]  # the deleted copies are not listed again


async def test_delete_and_timeout(spam: SpamWorld) -> None:
    posted = await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    assert spam.spammer.member is not None and not spam.spammer.member.is_timed_out()
    await spam.course.moderator.click(spam.only_post(), label="Delete + timeout")
    until = await timed_out_until(spam)
    assert until is not None and round((until - spam.course.env.now()).total_seconds()) == 60 * 60
    assert posted.id not in message_ids(spam.course.channel("general"))
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.TIMED_OUT
    assert "timed the author out (60 minutes)" in fields(spam.only_post())["Decisions"]


async def test_ban_asks_for_confirmation_first(spam: SpamWorld) -> None:
    copies = await flood(spam)
    moderator = spam.course.moderator
    asked = await moderator.click(spam.only_post(), label="Ban")
    assert asked.ephemeral and asked.response is not None
    assert "Ban **Totally Real**" in asked.response.content and "3 messages" in asked.response.content
    assert spam.course.guild.get_ban(spam.spammer) is None  # nothing happens before the confirmation
    assert (await spam.incident(1)).status is IncidentStatus.OPEN

    done = await moderator.click(asked.response, label="Yes, ban")
    assert done.response is not None and done.response.content.startswith("Banned Totally Real")
    assert spam.course.guild.get_ban(spam.spammer) is not None
    assert all(c.id not in message_ids(spam.course.channel("general")) for c in copies)
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.BANNED
    post = spam.only_post()
    assert post.embeds[0].footer.text == "Status: author banned"
    assert f"<@{moderator.id}> banned the author" in fields(post)["Decisions"]
    assert button(post, "Ban").disabled


async def test_trust_domain_stops_the_next_flag(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    # Only link signals (a bare link drop from a newcomer), so trusting the domain leaves nothing to flag.
    text = "toolkit: https://growth-kit.shop/launch https://growth-kit.shop/pricing https://growth-kit.shop/demo"
    await spam.spammer.send(general, text)
    assert len(spam.posts()) == 1
    await spam.course.moderator.click(spam.only_post(), label="Trust domain")
    assert await spam.store().domain_lists(spam.course.guild.id) == DomainLists(allowed=("growth-kit.shop",))
    assert f"<@{spam.course.moderator.id}> trusted growth-kit.shop" in fields(spam.only_post())["Decisions"]
    await spam.spammer.send(general, text + " (new version)")
    assert len(spam.posts()) == 1
    assert len((await spam.incident(1)).copies) == 1 and await spam.store().get(2) is None  # not flagged, not merged


async def test_block_domain_flags_even_a_regulars_link(spam: SpamWorld) -> None:
    await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    await spam.course.moderator.click(spam.only_post(), label="Block domain")
    assert (await spam.store().domain_lists(spam.course.guild.id)).blocked == ("stearncommunity.net",)
    await spam.course.learner.send(spam.course.channel("lessons"), "my profile is at stearncommunity.net/id/lee")
    assert len(spam.posts()) == 2
    assert "domain on this server's block list: stearncommunity.net" in fields(spam.posts()[1])["Why"]


async def test_trust_with_several_domains_asks_which(spam: SpamWorld) -> None:
    text = "two shops https://growth-kit.shop/a and https://crm-leads.biz/b, buy email lists and leads now"
    await spam.spammer.send(spam.course.channel("general"), text)
    asked = await spam.course.moderator.click(spam.only_post(), label="Trust domain")
    assert asked.ephemeral and asked.response is not None and "Which domain" in asked.response.content
    picked = await spam.course.moderator.select(asked.response, ["crm-leads.biz"])
    assert picked.response is not None and "Trusted `crm-leads[.]biz`" in picked.response.content
    assert (await spam.store().domain_lists(spam.course.guild.id)).allowed == ("crm-leads.biz",)
    assert "trusted crm-leads.biz" in fields(spam.only_post())["Decisions"]


async def test_a_learner_cannot_use_the_buttons(spam: SpamWorld) -> None:
    course = spam.course
    # #mod-queue is staff-only; to let a learner reach the buttons, the queue goes to a public channel.
    await course.admin.slash(course.channel("general"), "setup channels", mod_queue=course.channel("stories"))
    posted = await spam.spammer.send(course.channel("general"), NITRO_POST)
    post = next(m for m in course.channel("stories").history() if m.embeds)
    for label in ("Dismiss (not spam)", "Delete", "Delete + timeout", "Ban", "Trust domain", "Block domain"):
        result = await course.learner.click(post, label=label)
        assert result.ephemeral and result.response is not None
        assert result.response.content == Role.MODERATOR.refusal
    assert posted.id in message_ids(course.channel("general"))
    assert await timed_out_until(spam) is None
    assert course.guild.get_ban(spam.spammer) is None
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.OPEN and incident.decisions == ()
    assert await spam.store().domain_lists(course.guild.id) == DomainLists()
    assert course.channel("stories").history()[-1].embeds[0].footer.text == "Status: waiting for a moderator"


async def test_buttons_work_after_a_restart(spam: SpamWorld) -> None:
    copies = await flood(spam)
    await spam.course.env.restart_bot()
    await spam.course.moderator.click(spam.only_post(), label="Delete")
    for name, copy in zip(FLOOD_CHANNELS, copies, strict=True):
        assert copy.id not in message_ids(spam.course.channel(name))
    assert (await spam.incident(1)).status is IncidentStatus.DELETED
    await spam.course.env.restart_bot()
    await spam.course.moderator.click(spam.only_post(), label="Block domain")
    assert (await spam.store().domain_lists(spam.course.guild.id)).blocked == ("claim-airdrop.xyz",)


async def test_buttons_work_in_a_new_process(spam: SpamWorld, bot_factory: Callable[[], CourseBot]) -> None:
    await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    await spam.course.env.restart_bot(bot_factory())
    moderator = spam.course.moderator
    await moderator.click(spam.only_post(), label="Delete + timeout")
    assert (await timed_out_until(spam)) is not None
    asked = await moderator.click(spam.only_post(), label="Ban")
    assert asked.response is not None
    await spam.course.env.restart_bot(bot_factory())
    await moderator.click(asked.response, label="Yes, ban")
    assert spam.course.guild.get_ban(spam.spammer) is not None
    incident = await spam.incident(1)
    assert [d.action for d in incident.decisions] == [DecisionAction.TIMEOUT, DecisionAction.BAN]
    await moderator.click(spam.only_post(), label="Trust domain")
    assert (await spam.incident(1)).decisions[-1].action is DecisionAction.TRUST_DOMAIN


async def test_delete_without_permission_says_why_and_keeps_the_incident_open(spam: SpamWorld) -> None:
    posted = await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    spam.course.env.inject_error(
        "DELETE", "/channels/*/messages/*", status=403, code=50013, message="Missing Permissions"
    )
    result = await spam.course.moderator.click(spam.only_post(), label="Delete")
    assert result.followups and result.followups[-1].ephemeral
    assert "my role needs Manage Messages there" in result.followups[-1].content
    assert posted.id in message_ids(spam.course.channel("general"))
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.OPEN and incident.decisions == () and incident.live_copies
    assert not button(spam.only_post(), "Delete").disabled


async def second_moderator(spam: SpamWorld) -> MemberActor:
    course = spam.course
    return course.guild.add_member(
        course.env.create_user("mod2", global_name="Second Mod"), roles=[course.moderators_role]
    )


async def lose_moderator_role(spam: SpamWorld) -> None:
    """The server makes another role its moderator role: members of the old one (who still see #mod-queue) are
    moderators no more."""
    course = spam.course
    mentors = course.guild.create_role("Mentors")
    result = await course.admin.slash(course.channel("general"), "setup roles", moderator=mentors)
    assert result.response is not None


async def test_two_moderators_confirming_the_same_ban_store_one_decision_and_one_log_line(spam: SpamWorld) -> None:
    await flood(spam)
    first, second = spam.course.moderator, await second_moderator(spam)
    asked_first = await first.click(spam.only_post(), label="Ban")
    asked_second = await second.click(spam.only_post(), label="Ban")
    assert asked_first.response is not None and asked_second.response is not None
    done = await first.click(asked_first.response, label="Yes, ban")
    assert done.response is not None and done.response.content.startswith("Banned Totally Real")
    late = await second.click(asked_second.response, label="Yes, ban")
    told = [m.content for m in (late.response, *late.followups) if m is not None]
    assert any("already banned" in text for text in told), told
    incident = await spam.incident(1)
    assert [(d.moderator_id, d.action) for d in incident.decisions] == [(first.id, DecisionAction.BAN)]
    assert len([line for line in spam.mod_log() if "banned the author" in line]) == 1


async def test_the_ban_confirmation_has_a_cancel_that_bans_nobody(spam: SpamWorld) -> None:
    await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    asked = await spam.course.moderator.click(spam.only_post(), label="Ban")
    assert asked.response is not None
    cancelled = await spam.course.moderator.click(asked.response, label="Cancel")
    assert cancelled.response is not None and cancelled.response.content == "Cancelled: nobody was banned."
    assert cancelled.response.components == []
    assert spam.course.guild.get_ban(spam.spammer) is None
    assert (await spam.incident(1)).status is IncidentStatus.OPEN


async def test_a_ban_after_a_delete_says_nothing_about_messages(spam: SpamWorld) -> None:
    await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    moderator = spam.course.moderator
    await moderator.click(spam.only_post(), label="Delete")
    asked = await moderator.click(spam.only_post(), label="Ban")
    assert asked.response is not None
    assert asked.response.content == f"Ban **Totally Real** (<@{spam.spammer.id}>) from the server?"
    done = await moderator.click(asked.response, label="Yes, ban")
    assert done.response is not None and done.response.content == "Banned Totally Real."


async def test_the_domain_picker_refuses_a_member_who_lost_the_moderator_role(spam: SpamWorld) -> None:
    text = "two shops https://growth-kit.shop/a and https://crm-leads.biz/b, buy email lists and leads now"
    await spam.spammer.send(spam.course.channel("general"), text)
    moderator = spam.course.moderator
    asked = await moderator.click(spam.only_post(), label="Trust domain")
    assert asked.response is not None
    await lose_moderator_role(spam)
    picked = await moderator.select(asked.response, ["crm-leads.biz"])
    assert picked.response is not None and picked.response.content == Role.MODERATOR.refusal
    assert await spam.store().domain_lists(spam.course.guild.id) == DomainLists()
    assert (await spam.incident(1)).decisions == ()


async def test_the_ban_confirmation_refuses_a_member_who_lost_the_moderator_role(spam: SpamWorld) -> None:
    await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    moderator = spam.course.moderator
    asked = await moderator.click(spam.only_post(), label="Ban")
    assert asked.response is not None
    await lose_moderator_role(spam)
    refused = await moderator.click(asked.response, label="Yes, ban")
    assert refused.response is not None and refused.response.content == Role.MODERATOR.refusal
    assert spam.course.guild.get_ban(spam.spammer) is None
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.OPEN and incident.decisions == ()
