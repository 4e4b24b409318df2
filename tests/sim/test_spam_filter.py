"""The spam filter watching the server: what is flagged (one incident each, with reasons), what is left alone."""

from __future__ import annotations

from simcord.enums import MessageType

from bot.app import CourseBot
from bot.spam.model import DecisionAction, IncidentStatus
from tests.sim import spam_world
from tests.sim.spam_world import (
    AIRDROP_POST,
    INVITE_POST,
    LEARNER_POSTS,
    NEWCOMER,
    NITRO_POST,
    PHISHING_POST,
    SEO_POST,
    STEAM_POST,
    SpamWorld,
    button,
    fields,
    message_ids,
)

ages = spam_world.ages  # fixtures
spam = spam_world.spam


async def test_seo_link_drop_from_the_seed_is_flagged(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    posted = await spam.spammer.send(general, SEO_POST)

    post = spam.only_post()
    embed = post.embeds[0]
    assert embed.title == "Spam incident #1: flagged for review"
    assert "[germany phone number list](hxxps://latestdatabase[.]com/germany-phone-number-list/)" in (
        embed.description or ""
    )
    info = fields(post)
    assert "Totally Real" in info["Author"] and "Account: 5 hours old · joined 20 minutes ago" in info["Author"]
    assert (
        f"<#{general.id}> · [jump](https://discord.com/channels/{spam.course.guild.id}/{general.id}/{posted.id})"
        in (info["Where: 1 copy in 1 channel"])
    )
    assert info["Domains"] == "`latestdatabase[.]com`"
    assert "spam wording near a link" in info["Why"] and "phone number list" in info["Why"]
    assert "newcomer" in info["Why"]
    assert posted.id in message_ids(general)  # flagged, not deleted
    incident = await spam.incident(1)
    assert incident.status is IncidentStatus.OPEN and incident.copies[0].content == SEO_POST
    assert incident.queue_message_id == post.id


async def test_masked_nitro_link_is_flagged_with_the_mismatch(spam: SpamWorld) -> None:
    await spam.spammer.send(spam.course.channel("general"), NITRO_POST)
    why = fields(spam.only_post())["Why"]
    assert "masked link shows discord.com but opens dlscord-nitro.gift" in why
    assert '"free discord nitro" (free nitro)' in why
    assert set((await spam.incident(1)).reason_codes) >= {"masked_mismatch", "spam_wording"}


async def test_lookalike_steam_link_is_flagged(spam: SpamWorld) -> None:
    await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    info = fields(spam.only_post())
    assert "lookalike of steamcommunity: stearncommunity.net" in info["Why"]
    assert info["Domains"] == "`stearncommunity[.]net`"


async def test_invite_to_another_server_is_flagged_even_from_a_regular(spam: SpamWorld) -> None:
    learner = spam.course.learner
    await learner.send(spam.course.channel("general"), INVITE_POST)
    info = fields(spam.only_post())
    assert "Lee Learner" in info["Author"] and "Account: 1 year old · joined 6 months ago" in info["Author"]
    assert "invite to another server: discord.gg/abcdEFG" in info["Why"]
    assert "Domains" not in info  # an invite is judged by its code: there is no domain to trust or block
    assert button(spam.only_post(), "Trust domain").disabled and button(spam.only_post(), "Block domain").disabled
    assert (await spam.incident(1)).reason_codes == ("invite", "spam_wording")


async def test_three_channel_flood_is_one_incident_listing_every_copy(spam: SpamWorld) -> None:
    learner = spam.course.learner  # a long-standing member whose account was taken over
    channels = [spam.course.channel(name) for name in ("general", "lessons", "polls")]
    copies = [await learner.send(channel, AIRDROP_POST) for channel in channels]

    post = spam.only_post()
    info = fields(post)
    where = info["Where: 3 copies in 3 channels"]
    for channel, copy in zip(channels, copies, strict=True):
        assert (
            f"<#{channel.id}> · [jump](https://discord.com/channels/{spam.course.guild.id}/{channel.id}/{copy.id})"
            in where
        )
    assert "same message in 3 channels" in info["Why"]
    incident = await spam.incident(1)
    assert [c.message_id for c in incident.copies] == [c.id for c in copies]
    assert "flood" in incident.reason_codes


async def test_link_free_flood_lists_the_copies_posted_before_it_was_noticed(spam: SpamWorld) -> None:
    text = "Big announcement for everyone here today, DM me right now for the details!!"
    channels = [spam.course.channel(name) for name in ("general", "lessons", "stories")]
    copies = [await spam.course.learner2.send(channel, text) for channel in channels]
    incident = await spam.incident(1)
    assert [c.message_id for c in incident.copies] == [c.id for c in copies]
    assert [c.content for c in incident.copies] == [text] * 3
    assert "Where: 3 copies in 3 channels" in fields(spam.only_post())


async def test_a_settings_change_mid_flood_keeps_the_copies_already_seen(spam: SpamWorld) -> None:
    text = "Big announcement for everyone here today, DM me right now for the details!!"
    channels = [spam.course.channel(name) for name in ("general", "lessons", "stories")]
    copies = [await spam.course.learner2.send(channel, text) for channel in channels[:2]]
    await spam.course.moderator.slash(spam.course.channel("mod-log"), "spam allow", domain="example.org")
    copies.append(await spam.course.learner2.send(channels[2], text))
    incident = await spam.incident(1)
    assert [c.message_id for c in incident.copies] == [c.id for c in copies]
    assert "flood" in incident.reason_codes


async def test_learners_real_links_are_left_alone(spam: SpamWorld, simcord_bot: CourseBot) -> None:
    general = spam.course.channel("general")
    fresh = spam.course.guild.add_member(spam.course.env.create_user("freshlearner"))
    spam.ages[fresh.id] = NEWCOMER
    changes_before = await simcord_bot.db.fetchval("SELECT total_changes()")  # clean posts write nothing
    for text in LEARNER_POSTS:
        await spam.course.learner.send(general, text)
        await fresh.send(spam.course.channel("lessons"), text)
    assert spam.posts() == []
    assert await simcord_bot.db.fetchval("SELECT total_changes()") == changes_before
    assert len(general.history()) == len(LEARNER_POSTS)


async def test_an_edit_that_adds_a_scam_link_is_caught(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    posted = await spam.course.learner2.send(general, "Here are my notes from the lesson on funnels")
    assert spam.posts() == []
    await spam.course.learner2.edit(posted, "Here are my notes: " + NITRO_POST)
    post = spam.only_post()
    assert "· edited" in fields(post)["Where: 1 copy in 1 channel"]
    assert "dlscord-nitro[.]gift" in (post.embeds[0].description or "")
    incident = await spam.incident(1)
    assert incident.copies[0].message_id == posted.id and incident.copies[0].edited


async def test_an_edit_of_a_dismissed_post_is_flagged_again_only_for_a_new_link(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    posted = await spam.course.learner.send(general, INVITE_POST)
    await spam.course.moderator.click(spam.only_post(), label="Dismiss (not spam)")
    await spam.course.learner.edit(posted, INVITE_POST + " (we meet on Fridays)")
    assert len(spam.posts()) == 1
    await spam.course.learner.edit(posted, INVITE_POST + " " + STEAM_POST)
    assert len(spam.posts()) == 2
    second = await spam.incident(2)
    assert second.copies[0].message_id == posted.id and second.copies[0].edited


async def test_phishing_host_is_deleted_at_once_kept_in_the_incident_and_author_told(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    posted = await spam.spammer.send(general, PHISHING_POST)
    assert posted.id not in message_ids(general)
    post = spam.only_post()
    assert post.embeds[0].title == "Spam incident #1: deleted automatically"
    assert "steamcommunitty[.]ru" in (post.embeds[0].description or "")
    assert "deleted" in fields(post)["Where: 1 copy in 1 channel"]
    assert "Deleted automatically (1 message)" in fields(post)["Decisions"]
    incident = await spam.incident(1)
    assert incident.copies[0].content == PHISHING_POST and incident.copies[0].deleted
    assert [d.action for d in incident.decisions] == [DecisionAction.AUTO_DELETE]
    assert any("Spam incident #1" in line and "the filter deleted 1 message" in line for line in spam.mod_log())
    dms = spam.spammer.user.dm_channel.history()
    assert len(dms) == 1
    assert "removed by the spam filter" in dms[0].content and "known phishing host" in dms[0].content


async def test_delete_still_happens_when_the_author_cannot_be_told(spam: SpamWorld) -> None:
    spam.course.env.inject_error("POST", "/users/@me/channels", status=403, code=50007)  # DMs closed
    general = spam.course.channel("general")
    posted = await spam.spammer.send(general, PHISHING_POST)
    assert posted.id not in message_ids(general)
    assert (await spam.incident(1)).copies[0].deleted


async def test_bots_webhooks_system_messages_dms_and_exempt_places_are_skipped(spam: SpamWorld) -> None:
    course = spam.course
    general = course.channel("general")
    hook = course.guild.create_webhook(general, "Feeds")
    await hook.send(NITRO_POST)
    robot = course.guild.add_member(course.env.create_user("otherbot", bot=True))
    await robot.send(general, NITRO_POST)
    await spam.spammer.send_dm(NITRO_POST)
    course.guild.create_system_message(general, MessageType.NEW_MEMBER, author=spam.spammer)
    partners = course.guild.create_role("Partners")
    partner = course.guild.add_member(course.env.create_user("partner"), roles=[partners])
    await course.moderator.slash(
        course.channel("mod-log"), "spam settings", exempt_role=partners, exempt_channel=course.channel("lessons")
    )
    await partner.send(general, NITRO_POST)
    await spam.spammer.send(course.channel("lessons"), NITRO_POST)
    await course.moderator.send(course.channel("mod-queue"), "Look at this one: " + NITRO_POST)
    assert spam.posts() == []
    await spam.spammer.send(general, NITRO_POST)
    assert len(spam.posts()) == 1


async def test_an_incident_whose_post_failed_is_posted_after_a_restart(spam: SpamWorld, bot_factory) -> None:  # type: ignore[no-untyped-def]
    env = spam.course.env
    env.inject_error("POST", f"/channels/{spam.queue.id}/messages", status=500, times=None)
    await spam.spammer.send(spam.course.channel("general"), STEAM_POST)
    assert spam.posts() == []
    assert (await spam.incident(1)).queue_message_id is None  # stored all the same
    env.backend.faults.clear()
    await env.restart_bot(bot_factory())
    await env.advance_time(60)  # the queue's next attempt, in the new process
    post = spam.only_post()
    assert post.embeds[0].title == "Spam incident #1: flagged for review"
    assert (await spam.incident(1)).queue_message_id == post.id


async def test_quoted_spam_keeps_its_lines(spam: SpamWorld) -> None:
    await spam.spammer.send(spam.course.channel("general"), SEO_POST)
    description = spam.only_post().embeds[0].description or ""
    lines = description.splitlines()
    assert lines[0] == "```" and lines[-1] == "```"
    assert lines[1].startswith("Defining the Domains")
    assert any(line.startswith("Data Management & Security") for line in lines)
    assert len(lines) >= 6
