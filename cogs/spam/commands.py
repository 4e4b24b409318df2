"""`/spam ...` for moderators: parse the options, call the service, render its answer."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot import notify
from bot.app import CourseBot
from bot.checks import require
from bot.core.limits import AUTOCOMPLETE_CHOICES, CHOICE_NAME, CHOICE_VALUE
from bot.core.text import truncate
from bot.errors import UserError
from bot.permissions import Role
from bot.render import embed
from bot.spam.model import Answer, ListName
from bot.spam.tuning import SettingsRequest

Interaction = discord.Interaction[CourseBot]


def _guild(interaction: Interaction) -> discord.Guild:
    if interaction.guild is None:
        raise UserError("The spam filter works inside a server: use this there.")
    return interaction.guild


async def _answer(interaction: Interaction, answer: Answer) -> None:
    await interaction.response.send_message(
        content=answer.text, embed=embed(answer.card) if answer.card else discord.utils.MISSING, ephemeral=True
    )
    if answer.log:
        await notify.mod_log(interaction.client, _guild(interaction), answer.log)


class SpamCommands(commands.Cog):
    """`/spam check|allow|block|unlist|lists|settings|stats`."""

    spam = app_commands.Group(name="spam", description="The link-spam filter (moderators)", guild_only=True)

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot

    @spam.command(name="check", description="Dry run: would the filter flag this text, and why?")
    @app_commands.describe(
        text="The message text to check (nothing is posted or stored)",
        newcomer="Check it as the first post of a member who joined minutes ago (default: a regular)",
    )
    @require(Role.MODERATOR)
    async def check(
        self, interaction: Interaction, text: app_commands.Range[str, 1, 4000], newcomer: bool = False
    ) -> None:
        card = await interaction.client.services.spam.check(_guild(interaction).id, text, newcomer=newcomer)
        await interaction.response.send_message(embed=embed(card), ephemeral=True)

    async def _set_list(self, interaction: Interaction, domain: str, which: ListName | None) -> None:
        user = interaction.user
        answer = await interaction.client.services.spam.set_list(
            _guild(interaction).id, domain, which, user.id, user.display_name
        )
        await _answer(interaction, answer)

    @spam.command(name="allow", description="Trust a domain: links to it never raise a flag by domain alone")
    @app_commands.describe(domain="A domain such as example.com (covers its subdomains)")
    @require(Role.MODERATOR)
    async def allow(self, interaction: Interaction, domain: app_commands.Range[str, 1, 300]) -> None:
        await self._set_list(interaction, domain, ListName.ALLOW)

    @spam.command(name="block", description="Block a domain: posts linking to it are flagged")
    @app_commands.describe(domain="A domain such as example.com (covers its subdomains)")
    @require(Role.MODERATOR)
    async def block(self, interaction: Interaction, domain: app_commands.Range[str, 1, 300]) -> None:
        await self._set_list(interaction, domain, ListName.BLOCK)

    @spam.command(name="unlist", description="Take a domain off this server's trusted or blocked list")
    @app_commands.describe(domain="The domain to take off")
    @require(Role.MODERATOR)
    async def unlist(self, interaction: Interaction, domain: app_commands.Range[str, 1, 300]) -> None:
        await self._set_list(interaction, domain, None)

    @unlist.autocomplete("domain")
    async def _listed_domains(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        found = await interaction.client.services.spam.listed_domains(interaction.guild.id, current)
        return [
            app_commands.Choice(name=truncate(d, CHOICE_NAME), value=d[:CHOICE_VALUE])
            for d in found[:AUTOCOMPLETE_CHOICES]
        ]

    @spam.command(name="lists", description="Show this server's trusted and blocked domains")
    @require(Role.MODERATOR)
    async def lists(self, interaction: Interaction) -> None:
        card = await interaction.client.services.spam.lists(_guild(interaction).id)
        await interaction.response.send_message(embed=embed(card), ephemeral=True)

    @spam.command(name="settings", description="Show or change the spam filter settings")
    @app_commands.describe(
        flag_threshold="Score from which a post goes to #mod-queue",
        delete_threshold="Score from which a post is deleted at once (when auto_delete is on)",
        auto_delete="Delete posts at the delete threshold (phishing-list links are always deleted)",
        new_member_days="Days after joining during which a link counts as a new member's",
        timeout_minutes="Length of the timeout given by the Delete + timeout button",
        exempt_role="Never scan members with this role",
        unexempt_role="Scan members with this role again",
        exempt_channel="Never scan posts in this channel",
        unexempt_channel="Scan posts in this channel again",
        protect_name="A name whose lookalike domains count as spam (e.g. your course's site)",
        unprotect_name="Stop protecting a name you added",
        reset="Put every setting back to its default (domain lists stay)",
    )
    @require(Role.MODERATOR)
    async def settings(
        self,
        interaction: Interaction,
        flag_threshold: app_commands.Range[float, 0.1, 100.0] | None = None,
        delete_threshold: app_commands.Range[float, 0.1, 100.0] | None = None,
        auto_delete: bool | None = None,
        new_member_days: app_commands.Range[float, 0.0, 365.0] | None = None,
        timeout_minutes: app_commands.Range[int, 1, 40_320] | None = None,
        exempt_role: discord.Role | None = None,
        unexempt_role: discord.Role | None = None,
        exempt_channel: discord.TextChannel | None = None,
        unexempt_channel: discord.TextChannel | None = None,
        protect_name: app_commands.Range[str, 2, 63] | None = None,
        unprotect_name: str | None = None,
        reset: bool = False,
    ) -> None:
        guild = _guild(interaction)
        if exempt_role is not None and exempt_role.is_default():
            raise UserError("Exempting @everyone would switch the filter off: pick a smaller role.")
        request = SettingsRequest(
            flag_threshold=flag_threshold,
            delete_threshold=delete_threshold,
            delete_enabled=auto_delete,
            new_member_days=new_member_days,
            timeout_minutes=timeout_minutes,
            exempt_role=exempt_role.id if exempt_role else None,
            unexempt_role=unexempt_role.id if unexempt_role else None,
            exempt_channel=exempt_channel.id if exempt_channel else None,
            unexempt_channel=unexempt_channel.id if unexempt_channel else None,
            protect_name=protect_name,
            unprotect_name=unprotect_name,
        )
        user = interaction.user
        answer = await interaction.client.services.spam.change_settings(
            guild.id, request, reset=reset, moderator_id=user.id, moderator_name=user.display_name
        )
        await _answer(interaction, answer)

    @spam.command(name="stats", description="Spam incidents and decisions over the last days, with a chart")
    @app_commands.describe(days="How many days back (default 30)")
    @require(Role.MODERATOR)
    async def stats(self, interaction: Interaction, days: app_commands.Range[int, 1, 365] = 30) -> None:
        guild = _guild(interaction)
        await interaction.response.defer(thinking=True, ephemeral=True)
        answer = await interaction.client.services.spam.stats(guild.id, days)
        await interaction.followup.send(
            embed=embed(answer.card),
            file=discord.File(io.BytesIO(answer.chart), filename=answer.file_name),
            ephemeral=True,
        )
