"""/privacy and the data lifecycle, driven on SimCord: what /privacy says, and a server's data kept through the
grace period after the bot is removed, then erased by the upkeep on the bot's clock."""

from __future__ import annotations

from simcord import Env

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from tests.sim.test_stories_flow import share_story

DAY = 24 * 3600


async def rows(bot: CourseBot, table: str, guild_id: int) -> int:
    count = await bot.db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE guild_id = ?", (guild_id,))
    assert isinstance(count, int)
    return count


async def test_privacy_info_says_what_is_kept_and_for_how_long_to_the_caller_only(course: CourseWorld) -> None:
    shown = await course.learner.slash(course.channel("general"), "privacy info")
    assert shown.ephemeral
    embed = shown.response.embeds[0]
    text = " ".join([embed.title or "", embed.description or "", *(f.name + " " + f.value for f in embed.fields)])
    for feature in ("Stories", "Polls", "Lessons", "Spam"):
        assert feature in text
    assert "30 days" in text and "/privacy forget-me" in text


async def test_a_server_that_removed_the_bot_is_erased_only_after_the_grace_period(
    course: CourseWorld, simcord_bot: CourseBot, simcord_env: Env
) -> None:
    await course.admin.slash(course.channel("general"), "setup timezone", name="Europe/London")
    await share_story(course)
    guild_id = course.guild.id
    assert await rows(simcord_bot, "stories", guild_id) == 1

    simcord_env.backend.remove_guild(guild_id)  # kicked, or removed by mistake
    for _ in range(29):  # a day at a time: the upkeep runs every six hours meanwhile
        await simcord_env.advance_time(DAY)
    assert await rows(simcord_bot, "stories", guild_id) == 1, "kept during the grace period"
    assert await rows(simcord_bot, "guild_settings", guild_id) == 1

    for _ in range(2):
        await simcord_env.advance_time(DAY)
    assert await rows(simcord_bot, "stories", guild_id) == 0
    assert await rows(simcord_bot, "guild_settings", guild_id) == 0
    assert await rows(simcord_bot, "departed_guilds", guild_id) == 0  # nothing left to purge
