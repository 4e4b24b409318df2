"""Moderator commands of the spam filter: /spam check, allow, block, unlist, lists, settings, stats."""

from __future__ import annotations

import discord
from simcord.results import InteractionResult, ResponseMessage

from bot.permissions import Role
from bot.spam.model import DomainLists, SpamSettings
from tests.sim import spam_world
from tests.sim.spam_world import (
    AIRDROP_POST,
    NITRO_POST,
    STEAM_POST,
    SpamWorld,
    fields,
)

ages = spam_world.ages  # fixtures
spam = spam_world.spam


def reply(result: InteractionResult) -> ResponseMessage:
    assert result.response is not None
    return result.response


def text(result: InteractionResult) -> str:
    return reply(result).content


def embed(result: InteractionResult) -> discord.Embed:
    return reply(result).embeds[0]


def embed_fields(result: InteractionResult) -> dict[str, str]:
    return {f.name or "": f.value or "" for f in embed(result).fields}


async def test_check_is_a_private_dry_run_with_reasons(spam: SpamWorld) -> None:
    moderator = spam.course.moderator
    result = await moderator.slash(spam.course.channel("mod-log"), "spam check", text=NITRO_POST)
    assert result.ephemeral
    shown = embed(result)
    assert shown.title == "Would be flagged for review"
    assert (shown.description or "").startswith("Score **")
    info = embed_fields(result)
    assert "masked link shows discord.com but opens dlscord-nitro.gift" in info["Why"]
    assert (
        "`hxxps://dlscord-nitro[.]gift/claim` → `dlscord-nitro[.]gift` (shown as “discord.com/nitro”)"
        in (info["Links found"])
    )
    assert spam.posts() == [] and await spam.store().get(1) is None  # nothing posted or stored

    seo = "the germany phone number list is here https://latestdatabase.com/germany-phone-number-list/"
    regular = await moderator.slash(spam.course.channel("mod-log"), "spam check", text=seo)
    newcomer = await moderator.slash(spam.course.channel("mod-log"), "spam check", text=seo, newcomer=True)
    assert "newcomer" not in embed_fields(regular)["Why"]
    assert "link from a newcomer" in embed_fields(newcomer)["Why"]
    assert (embed(newcomer).footer.text or "").startswith("Checked as the first post of a member who joined")

    clean = await moderator.slash(spam.course.channel("mod-log"), "spam check", text="See you at the live session!")
    assert embed(clean).title == "Not flagged"
    assert embed_fields(clean) == {"Why": "No spam signals.", "Links found": "None."}


async def test_learners_are_refused_every_spam_command(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    for name, options in (
        ("spam check", {"text": "hi"}),
        ("spam allow", {"domain": "example.com"}),
        ("spam lists", {}),
        ("spam settings", {"flag_threshold": 50.0}),
        ("spam stats", {}),
    ):
        result = await spam.course.learner.slash(general, name, **options)
        assert result.ephemeral and text(result) == Role.MODERATOR.refusal
    assert await spam.store().domain_lists(spam.course.guild.id) == DomainLists()
    assert await spam.store().settings(spam.course.guild.id) == SpamSettings(spam.course.guild.id)


async def test_allow_block_unlist_and_lists(spam: SpamWorld) -> None:
    moderator, where = spam.course.moderator, spam.course.channel("mod-log")
    guild_id = spam.course.guild.id
    allowed = await moderator.slash(where, "spam allow", domain="https://www.Growth-Kit.shop/launch")
    assert allowed.ephemeral and text(allowed).startswith("Trusted `growth-kit[.]shop`")
    blocked = await moderator.slash(where, "spam block", domain="stearncommunity.net")
    assert text(blocked).startswith("Blocked `stearncommunity[.]net`")
    assert await spam.store().domain_lists(guild_id) == DomainLists(
        allowed=("growth-kit.shop",), blocked=("stearncommunity.net",)
    )
    again = await moderator.slash(where, "spam block", domain="stearncommunity.net")
    assert text(again) == "`stearncommunity[.]net` is already blocked."
    moved = await moderator.slash(where, "spam block", domain="growth-kit.shop")
    assert "(moved from the trusted list)" in text(moved)
    bad = await moderator.slash(where, "spam allow", domain="not a domain")
    assert bad.ephemeral and "is not a domain I can use" in text(bad)

    shown = await moderator.slash(where, "spam lists")
    info = embed_fields(shown)
    assert info["Trusted here (0)"] == "none yet"
    assert info["Blocked here (2)"] == "`growth-kit[.]shop`\n`stearncommunity[.]net`"
    assert "phishing hosts" in info["Shipped with the bot"]

    choices = await moderator.autocomplete(where, "spam unlist", "domain", "stearn")
    assert [c["value"] for c in choices] == ["stearncommunity.net"]
    unlisted = await moderator.slash(where, "spam unlist", domain="stearncommunity.net")
    assert text(unlisted) == "Took `stearncommunity[.]net` off the blocked list."
    missing = await moderator.slash(where, "spam unlist", domain="stearncommunity.net")
    assert "on neither of this server's lists" in text(missing)
    assert await spam.store().domain_lists(guild_id) == DomainLists(blocked=("growth-kit.shop",))
    assert any("Blocked `stearncommunity[.]net`" in line for line in spam.mod_log())

    await spam.course.learner.send(spam.course.channel("general"), "my toolkit https://growth-kit.shop/launch")
    assert "domain on this server's block list: growth-kit.shop" in fields(spam.only_post())["Why"]


async def test_settings_show_change_and_reject_bad_values(spam: SpamWorld) -> None:
    moderator, where = spam.course.moderator, spam.course.channel("mod-log")
    shown = await moderator.slash(where, "spam settings")
    info = embed_fields(shown)
    assert shown.ephemeral and info["Flag at"] == "1 (default)" and info["Timeout length"] == "60 minutes (default)"
    assert info["Auto-delete"] == "off, except phishing-list links (default)"

    changed = await moderator.slash(
        where,
        "spam settings",
        flag_threshold=2.5,
        timeout_minutes=15,
        new_member_days=7.0,
        exempt_channel=spam.course.channel("polls"),
        protect_name="MyCourse.org",
    )
    assert text(changed) == (
        "Saved: flag threshold, new member days, timeout minutes, exempt channel ids, protected names."
    )
    info = embed_fields(changed)
    assert info["Flag at"] == "2.5" and info["Timeout length"] == "15 minutes" and info["New-member window"] == "7 days"
    assert info["Exempt channels"] == spam.course.channel("polls").mention
    assert "Added here: mycourse.org" in info["Protected names"]
    stored = await spam.store().settings(spam.course.guild.id)
    assert stored.flag_threshold == 2.5 and stored.protected_names == ("mycourse.org",)

    bad = await moderator.slash(where, "spam settings", flag_threshold=5.0)
    assert bad.ephemeral and "must not be above the delete threshold (3)" in text(bad)
    assert (await spam.store().settings(spam.course.guild.id)).flag_threshold == 2.5

    # The new threshold applies at once: the lookalike Steam post scores 2.6 from a newcomer, above 2.5.
    await spam.spammer.send(spam.course.channel("polls"), STEAM_POST)  # exempt channel
    assert spam.posts() == []
    await spam.course.learner.send(spam.course.channel("general"), "my inventory https://stearncommunity.net/id/lee")
    assert len(spam.posts()) == 1

    reset = await moderator.slash(where, "spam settings", reset=True)
    assert text(reset) == "Every setting is back to its default."
    assert await spam.store().settings(spam.course.guild.id) == SpamSettings(spam.course.guild.id)


async def test_stats_with_decisions_top_domains_and_a_chart(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    await spam.spammer.send(general, NITRO_POST)
    await spam.course.learner2.send(general, STEAM_POST)
    await spam.course.moderator.click(spam.posts()[0], label="Delete")
    await spam.course.moderator.click(spam.posts()[1], label="Dismiss (not spam)")
    await spam.spammer.send(general, AIRDROP_POST)

    result = await spam.course.moderator.slash(spam.course.channel("mod-log"), "spam stats", days=7)
    message = result.response  # the deferred "thinking…" reply, replaced by the stats
    assert result.ephemeral and message is not None and message.ephemeral
    shown = message.embeds[0]
    assert shown.title == "Spam filter, last 7 days"
    assert "Incidents: **3** (3 flagged, 0 deleted automatically), 3 messages in all" in (shown.description or "")
    assert "Dismissed as not spam: **50%** of reviewed incidents" in (shown.description or "")
    info = embed_fields(result)
    assert info["Decisions"] == "deleted: 1\ndismissed as not spam: 1"
    assert "`dlscord-nitro[.]gift`: 1" in info["Top domains"]
    assert shown.image.url == "attachment://spam-stats.png"
    assert [a.filename for a in message.attachments] == ["spam-stats.png"]
