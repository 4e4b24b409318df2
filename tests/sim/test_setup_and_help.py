"""/setup and /help, driven as an admin, a moderator, a host and a learner."""

from __future__ import annotations

from collections.abc import Callable

import discord

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.storage.guilds import GuildSettingsStore
from cogs.core import chunk_lines


def field_names(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [field.name for field in result.response.embeds[0].fields]


def help_text(result) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(field.value for field in result.response.embeds[0].fields)


async def test_admin_sets_channels_and_roles_and_they_are_stored(course: CourseWorld, simcord_bot: CourseBot) -> None:
    queue = course.guild.create_text_channel("review-here")
    result = await course.admin.slash(course.channel("general"), "setup channels", mod_queue=queue)
    assert result.ephemeral
    assert "Saved." in result.response.content
    assert queue.mention in result.response.content

    mentors = course.guild.create_role("Mentors")
    result = await course.admin.slash(course.channel("general"), "setup roles", moderator=mentors)
    assert mentors.mention in result.response.content

    stored = await GuildSettingsStore(simcord_bot.db).get(course.guild.id)
    assert stored.mod_queue_channel_id == queue.id
    assert stored.moderator_role_id == mentors.id
    # the change is logged for the other moderators
    assert "set roles" in course.channel("mod-log").last_message.content


async def test_setup_is_refused_and_hidden_for_a_learner(course: CourseWorld, simcord_bot: CourseBot) -> None:
    assert "setup show" not in course.learner.available_commands(course.channel("general"))
    assert "setup show" in course.admin.available_commands(course.channel("general"))
    # a server may lift the default in Server Settings > Integrations: the run-time check still refuses
    setup = next(c for c in await simcord_bot.tree.fetch_commands() if c.name == "setup")
    course.guild.set_command_permissions(setup.id, {course.guild.default_role: True})
    result = await course.learner.slash(course.channel("general"), "setup show")
    assert result.ephemeral
    assert result.response.content == "Only members with the Manage Server permission can do that."
    assert not result.response.embeds


async def test_setup_show_reports_names_found_and_missing_permissions(course: CourseWorld) -> None:
    result = await course.admin.slash(course.channel("general"), "setup show")
    assert result.ephemeral
    embed = result.response.embeds[0]
    values = {field.name: field.value for field in embed.fields}
    assert "found by name #mod-queue" in values["Moderator review queue"]
    assert course.moderators_role.mention in values["Moderators role"]
    assert values["Time zone"] == "UTC"


async def test_setup_timezone_validates_and_autocompletes(course: CourseWorld, simcord_bot: CourseBot) -> None:
    choices = await course.admin.autocomplete(course.channel("general"), "setup timezone", "name", "london")
    assert "Europe/London" in [choice["value"] for choice in choices]
    bad = await course.admin.slash(course.channel("general"), "setup timezone", name="Mars/Base")
    assert bad.ephemeral and "not a time zone I know" in bad.response.content
    await course.admin.slash(course.channel("general"), "setup timezone", name="Europe/London")
    assert await simcord_bot.guild_config.timezone(course.guild.id) == "Europe/London"


async def test_a_review_channel_everyone_can_read_gets_a_warning(course: CourseWorld, simcord_bot: CourseBot) -> None:
    general = course.channel("general")
    result = await course.admin.slash(general, "setup channels", mod_queue=general)
    assert result.ephemeral
    reply = result.response.content
    assert "Saved." in reply
    assert f"Warning: {general.mention} is visible to @everyone" in reply
    assert "names of authors who asked to be anonymous" in reply
    assert "spam filter also skips" in reply
    stored = await GuildSettingsStore(simcord_bot.db).get(course.guild.id)
    assert stored.mod_queue_channel_id == general.id  # saved, with the warning
    shown = await course.admin.slash(general, "setup show")
    values = {field.name: field.value for field in shown.response.embeds[0].fields}
    assert "Visible to @everyone" in values["Moderator review queue"]

    log = await course.admin.slash(general, "setup channels", mod_log=general)
    assert "moderation log there" in log.response.content
    # a public channel for what is public anyway, and a staff-only review channel: no warning
    quiet = await course.admin.slash(
        general, "setup channels", stories=course.channel("stories"), mod_queue=course.channel("mod-queue")
    )
    assert "Warning" not in quiet.response.content


async def test_setup_timezone_refuses_a_long_name_politely(course: CourseWorld, simcord_bot: CourseBot) -> None:
    name = "Europe/" + "x" * 293
    result = await course.admin.slash(course.channel("general"), "setup timezone", name=name)
    assert result.ephemeral
    assert "is not a time zone I know" in result.response.content
    assert name not in result.response.content  # echoed cut short
    assert len(result.response.content) < 200
    assert await simcord_bot.guild_config.timezone(course.guild.id) == "UTC"


async def test_help_differs_by_role(course: CourseWorld) -> None:
    channel = course.channel("general")
    learner = await course.learner.slash(channel, "help")
    moderator = await course.moderator.slash(channel, "help")
    host = await course.host.slash(channel, "help")
    admin = await course.admin.slash(channel, "help")
    assert learner.ephemeral
    assert {name.removesuffix(" (more)") for name in field_names(learner)} == {"For learners"}
    assert "For moderators" not in field_names(host)
    assert "For learners" in field_names(admin) and "For server managers" in field_names(admin)
    assert "/setup channels" in help_text(admin)
    assert "/setup channels" not in help_text(learner)
    assert "/help" in help_text(learner)
    for result in (moderator, host):  # features add their role sections; none of them sees /setup
        assert "/setup channels" not in help_text(result)


async def test_settings_survive_restarts(
    course: CourseWorld, simcord_env, simcord_bot: CourseBot, bot_factory: Callable[[], CourseBot]
) -> None:  # type: ignore[no-untyped-def]
    queue = course.guild.create_text_channel("review-here")
    await course.admin.slash(course.channel("general"), "setup channels", mod_queue=queue, stories=queue)
    await course.admin.slash(course.channel("general"), "setup timezone", name="Asia/Tokyo")

    await simcord_env.restart_bot()  # same process: setup_hook runs again
    assert simcord_bot.setup_count == 2
    result = await course.admin.slash(course.channel("general"), "setup show")
    values = {field.name: field.value for field in result.response.embeds[0].fields}
    assert values["Moderator review queue"].splitlines()[0] == queue.mention

    fresh = bot_factory()
    await simcord_env.restart_bot(fresh)  # a new process on the same database
    assert fresh.setup_count == 1
    result = await course.admin.slash(course.channel("general"), "setup show")
    values = {field.name: field.value for field in result.response.embeds[0].fields}
    assert values["Moderator review queue"].splitlines()[0] == queue.mention
    assert values["Published stories"] == queue.mention
    assert values["Time zone"] == "Asia/Tokyo"


async def test_each_server_keeps_its_own_settings(course: CourseWorld, simcord_env, simcord_bot: CourseBot) -> None:  # type: ignore[no-untyped-def]
    other = simcord_env.create_guild("Another Course")
    other_admin_role = other.create_role("Owners", permissions=discord.Permissions(manage_guild=True))
    other_admin = other.add_member(simcord_env.create_user("other-admin"), roles=[other_admin_role])
    other_general = other.create_text_channel("general")
    await other_admin.slash(other_general, "setup timezone", name="America/Chicago")
    await course.admin.slash(course.channel("general"), "setup timezone", name="Europe/Paris")
    assert await simcord_bot.guild_config.timezone(other.id) == "America/Chicago"
    assert await simcord_bot.guild_config.timezone(course.guild.id) == "Europe/Paris"


def test_help_chunks_long_sections_within_embed_limits() -> None:
    lines = [f"`/cmd{i}`: " + "x" * 90 for i in range(30)]
    chunks = chunk_lines(lines, 1024)
    assert len(chunks) > 1
    assert all(len(chunk) <= 1024 for chunk in chunks)
    assert "\n".join(chunks).split("\n") == lines
