"""The incident post's persistent buttons, the ban confirmation and the domain picker.

Every button is one `SpamAction` (bot/spam/actions.py): its label, look, custom_id, whether it is enabled
and its handler below all come from the enum. Each click checks the moderator role at that moment.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import discord

from bot import notify
from bot.app import CourseBot
from bot.core.limits import SELECT_OPTION_DESCRIPTION, SELECT_OPTION_LABEL, SELECT_OPTION_VALUE, SELECT_OPTIONS
from bot.core.text import plural, quote_inline, truncate
from bot.errors import UserError
from bot.guild_config import Channel
from bot.permissions import Role
from bot.persistent import CourseButton, CourseView
from bot.spam.actions import CUSTOM_ID_TEMPLATE, Look, SpamAction
from bot.spam.cards import defang
from bot.spam.model import Decided, Incident
from cogs.spam.render import delete_copies, incident_embed, log_lines

STYLES = {
    Look.SUCCESS: discord.ButtonStyle.success,
    Look.DANGER: discord.ButtonStyle.danger,
    Look.SECONDARY: discord.ButtonStyle.secondary,
}


def course_bot(interaction: discord.Interaction) -> CourseBot:
    bot = interaction.client
    if not isinstance(bot, CourseBot):
        raise RuntimeError("the spam buttons run only in the course bot")
    return bot


def guild_of(interaction: discord.Interaction) -> discord.Guild:
    if interaction.guild is None:
        raise UserError("The spam filter works inside a server: use this there.")
    return interaction.guild


class IncidentButton(CourseButton, template=CUSTOM_ID_TEMPLATE):
    """One moderator action on one incident; the custom_id carries both, so it works after any restart."""

    required_role = Role.MODERATOR

    def __init__(self, action: SpamAction | str, incident_id: int, *, disabled: bool = False) -> None:
        self.action = SpamAction(action)
        self.incident_id = incident_id
        spec = self.action.spec
        super().__init__(
            discord.ui.Button(
                label=spec.label,
                style=STYLES[spec.look],
                custom_id=self.action.custom_id(incident_id),
                disabled=disabled,
                row=spec.row,
            )
        )

    async def handle(self, interaction: discord.Interaction) -> None:
        bot, guild = course_bot(interaction), guild_of(interaction)
        incident = await bot.services.spam.incident(guild.id, self.incident_id)
        if self.action.spec.slow:
            await interaction.response.defer()  # deleting a long flood may take longer than Discord waits
        await HANDLERS[self.action](interaction, bot, guild, incident)


def incident_view(incident: Incident) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in SpamAction.incident_buttons():
        view.add_item(IncidentButton(action, incident.id, disabled=not action.enabled(incident)))
    return view


def confirm_ban_view(incident: Incident) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(IncidentButton(SpamAction.CONFIRM_BAN, incident.id))
    view.add_item(IncidentButton(SpamAction.CANCEL_BAN, incident.id))
    return view


async def publish(bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    """Post the incident to #mod-queue, or edit its post there when it has one."""
    shown, view = await incident_embed(bot, guild, incident), incident_view(incident)
    if incident.queue_channel_id is not None and incident.queue_message_id is not None:
        channel = guild.get_channel(incident.queue_channel_id)
        if isinstance(channel, discord.TextChannel):
            try:
                await channel.get_partial_message(incident.queue_message_id).edit(embed=shown, view=view)
                return
            except discord.NotFound:
                pass  # the post was deleted: post it again
    queue = await bot.guild_config.resolve_channel(guild, Channel.MOD_QUEUE)
    if queue is None:
        return
    posted = await notify.send_safely(bot, queue, embed=shown, view=view)
    if posted is not None:
        await bot.services.spam.set_queue_post(incident.id, queue.id, posted.id)


async def show_decision(
    interaction: discord.Interaction,
    bot: CourseBot,
    guild: discord.Guild,
    decided: Decided,
    *,
    problems: list[str] | None = None,
    on_queue_post: bool = True,
) -> None:
    """Log the decision to #mod-log and show it on the incident post."""
    await log_lines(bot, guild, decided.log)
    if not on_queue_post:
        await publish(bot, guild, decided.incident)
        return
    shown, view = await incident_embed(bot, guild, decided.incident), incident_view(decided.incident)
    if interaction.response.is_done():
        await interaction.edit_original_response(embed=shown, view=view)
    else:
        await interaction.response.edit_message(embed=shown, view=view)
    if problems:
        await interaction.followup.send("\n".join(problems), ephemeral=True)


Handler = Callable[[discord.Interaction, CourseBot, discord.Guild, Incident], Awaitable[None]]


async def _dismiss(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    spam, user = bot.services.spam, interaction.user
    spam.require_enabled(incident, SpamAction.DISMISS)
    decided = await spam.record(incident, SpamAction.DISMISS, user.id, user.display_name, "dismissed it as not spam")
    await show_decision(interaction, bot, guild, decided)


async def _delete_all(
    interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident
) -> tuple[list[int], list[str]]:
    gone, problems = await delete_copies(guild, incident)
    await bot.services.spam.mark_deleted(incident, gone, interaction.user.id)
    return gone, problems


async def _delete(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    spam, user = bot.services.spam, interaction.user
    spam.require_enabled(incident, SpamAction.DELETE)
    gone, problems = await _delete_all(interaction, bot, guild, incident)
    if problems and not gone:
        raise UserError("\n".join(problems))
    count = plural(len(gone), "message")
    decided = await spam.record(incident, SpamAction.DELETE, user.id, user.display_name, f"deleted {count}", count)
    await show_decision(interaction, bot, guild, decided, problems=problems)


async def _member(guild: discord.Guild, member_id: int) -> discord.Member | None:
    """The member from the cache or from Discord; None when they left."""
    member = guild.get_member(member_id)
    if member is None:
        try:
            member = await guild.fetch_member(member_id)
        except discord.NotFound:
            return None
    return member


async def _timeout(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    spam, user = bot.services.spam, interaction.user
    spam.require_enabled(incident, SpamAction.TIMEOUT)
    minutes = await spam.timeout_minutes(guild.id)
    member = await _member(guild, incident.author_id)
    if member is not None:
        try:
            await member.timeout(timedelta(minutes=minutes), reason=f"Spam incident #{incident.number}, by {user}")
        except discord.Forbidden:
            raise UserError(
                f"I can't time out {quote_inline(member.display_name, 64)}: my role needs the Timeout Members "
                "permission and must be above theirs."
            ) from None
    gone, problems = await _delete_all(interaction, bot, guild, incident)
    length, count = plural(minutes, "minute"), plural(len(gone), "message")
    what = f"deleted {count} and timed the author out for {length}"
    if member is None:
        what = f"deleted {count} (the author had left, so no timeout)"
    detail = length if member is not None else "author had left"
    decided = await spam.record(incident, SpamAction.TIMEOUT, user.id, user.display_name, what, detail)
    await show_decision(interaction, bot, guild, decided, problems=problems)


async def _ask_ban(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    spam = bot.services.spam
    spam.require_enabled(incident, SpamAction.BAN)
    await interaction.response.send_message(
        spam.ban_question(incident), view=confirm_ban_view(incident), ephemeral=True
    )


async def _ban(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    spam, user = bot.services.spam, interaction.user
    spam.require_enabled(incident, SpamAction.CONFIRM_BAN)
    name = quote_inline(incident.author_name, 64) or "the author"
    try:
        await guild.ban(
            discord.Object(incident.author_id),
            reason=f"Spam incident #{incident.number}, by {user}",
            delete_message_seconds=0,
        )
    except discord.Forbidden:
        raise UserError(
            f"I can't ban {name}: my role needs the Ban Members permission and must be above theirs."
        ) from None
    gone, problems = await _delete_all(interaction, bot, guild, incident)
    count = plural(len(gone), "message")
    decided = await spam.record(
        incident, SpamAction.CONFIRM_BAN, user.id, user.display_name, f"banned the author ({count} deleted)", count
    )
    done = f"Banned {name}" + (f" and deleted {count}." if gone else ".")
    await interaction.edit_original_response(content="\n".join([done, *problems]), view=None)
    await show_decision(interaction, bot, guild, decided, on_queue_post=False)


async def _cancel_ban(
    interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident
) -> None:
    await interaction.response.edit_message(content="Cancelled: nobody was banned.", view=None)


async def _list_domain(
    interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident, action: SpamAction
) -> None:
    if not incident.domains:
        raise UserError("This incident has no links, so there is no domain to choose.")
    if len(incident.domains) == 1:
        user = interaction.user
        decided = await bot.services.spam.list_domain(incident, incident.domains[0], action, user.id, user.display_name)
        await show_decision(interaction, bot, guild, decided)
        return
    verb = "trust" if action is SpamAction.TRUST else "block"
    await interaction.response.send_message(
        f"Which domain should I {verb}?", view=DomainPicker(incident, action), ephemeral=True
    )


async def _trust(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    await _list_domain(interaction, bot, guild, incident, SpamAction.TRUST)


async def _block(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    await _list_domain(interaction, bot, guild, incident, SpamAction.BLOCK)


HANDLERS: dict[SpamAction, Handler] = {
    SpamAction.DISMISS: _dismiss,
    SpamAction.DELETE: _delete,
    SpamAction.TIMEOUT: _timeout,
    SpamAction.BAN: _ask_ban,
    SpamAction.TRUST: _trust,
    SpamAction.BLOCK: _block,
    SpamAction.CONFIRM_BAN: _ban,
    SpamAction.CANCEL_BAN: _cancel_ban,
}
assert set(HANDLERS) == set(SpamAction), "every spam action needs its handler"


class DomainPicker(CourseView):
    """Ephemeral choice of one of an incident's domains, for Trust domain and Block domain. The moderator role
    is checked again when the choice is made."""

    required_role = Role.MODERATOR

    def __init__(self, incident: Incident, action: SpamAction) -> None:
        super().__init__(timeout=300)
        self.incident_id, self.action = incident.id, action
        verb = "trust" if action is SpamAction.TRUST else "block"
        select: discord.ui.Select[DomainPicker] = discord.ui.Select(
            placeholder=f"Domain to {verb}",
            options=[
                discord.SelectOption(
                    label=truncate(d, SELECT_OPTION_LABEL),
                    value=d[:SELECT_OPTION_VALUE],
                    description=truncate(defang(d), SELECT_OPTION_DESCRIPTION),
                )
                for d in incident.domains[:SELECT_OPTIONS]
            ],
            custom_id="spam:pick-domain",
        )
        select.callback = self._chosen  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    async def _chosen(self, interaction: discord.Interaction) -> Any:
        bot, guild = course_bot(interaction), guild_of(interaction)
        spam, user = bot.services.spam, interaction.user
        incident = await spam.incident(guild.id, self.incident_id)
        domain = self.select.values[0]
        decided = await spam.list_domain(incident, domain, self.action, user.id, user.display_name)
        verb = "Trusted" if self.action is SpamAction.TRUST else "Blocked"
        await interaction.response.edit_message(content=f"{verb} `{defang(domain)}`.", view=None)
        await show_decision(interaction, bot, guild, decided, on_queue_post=False)
