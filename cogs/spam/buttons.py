"""The incident post's persistent buttons, the ban confirmation and the domain picker.

Every button is one `SpamAction` (bot/spam/actions.py): its label, look, custom_id, whether it is enabled
and its handler below all come from the enum. Each click checks the moderator role at that moment.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.app import CourseBot
from bot.core.limits import SELECT_OPTION_DESCRIPTION, SELECT_OPTION_LABEL, SELECT_OPTION_VALUE, SELECT_OPTIONS
from bot.core.text import plural, quote_inline, truncate
from bot.errors import UserError
from bot.jobs.model import JobState
from bot.permissions import Role
from bot.persistent import CourseButton, CourseView
from bot.spam import effects
from bot.spam.actions import CUSTOM_ID_TEMPLATE, Look, SpamAction
from bot.spam.cards import defang
from bot.spam.model import Decided, Incident
from cogs.spam.render import incident_embed

log = logging.getLogger(__name__)

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


async def update_post(bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    """Show the incident as it stands on its #mod-queue post (best effort); posting it is a job
    (cogs/spam/jobs.py), run now when it has no post yet."""
    if incident.queue_channel_id is None or incident.queue_message_id is None:
        await bot.jobs.run_key(effects.post_key(incident.id))
        return
    channel = guild.get_channel(incident.queue_channel_id)
    if isinstance(channel, discord.TextChannel):
        shown, view = await incident_embed(bot, guild, incident), incident_view(incident)
        try:
            await channel.get_partial_message(incident.queue_message_id).edit(embed=shown, view=view)
        except discord.HTTPException as error:
            log.warning("could not update the post of spam incident %s: %s", incident.id, error)


async def show_decision(
    interaction: discord.Interaction,
    bot: CourseBot,
    guild: discord.Guild,
    decided: Decided,
    *,
    problems: list[str] | None = None,
    on_queue_post: bool = True,
) -> None:
    """Show the decision on the incident post (its #mod-log line is a job, enqueued with it)."""
    if not on_queue_post:
        await update_post(bot, guild, decided.incident)
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


async def _act(
    interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident, action: SpamAction
) -> tuple[Decided, list[str]] | None:
    """Delete, timeout or ban as one job per incident and action (two clicks do it once), run at once. The
    decision and a list of problems when it was done; None when Discord failed and the queue keeps trying;
    a UserError with the plain reason when it cannot be done (the job is then dead: a new click retries it)."""
    spam, user, jobs = bot.services.spam, interaction.user, bot.services.jobs
    spam.require_enabled(incident, action)
    new = effects.act(guild.id, incident.id, incident.number, action.value, user.id, user.display_name)
    job = await jobs.enqueue(new)
    if job.state is JobState.DEAD:
        job = await jobs.retry(job.id, guild.id)
    ran = await bot.jobs.run_now(job.id) or job
    if ran.state is JobState.DEAD:
        raise UserError(ran.last_error or "Discord refused it.")
    if ran.state is not JobState.DONE:
        await interaction.followup.send(
            f"Discord did not take that just now; I keep trying, and incident #{incident.number} and #mod-log "
            "show it once it is done.",
            ephemeral=True,
        )
        return None
    if "refused" in ran.result:
        raise UserError(ran.result["refused"])
    decided = Decided(await spam.incident(guild.id, incident.id), ran.result.get("log", ""))
    return decided, list(ran.result.get("problems", []))


async def _delete(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    done = await _act(interaction, bot, guild, incident, SpamAction.DELETE)
    if done is not None:
        await show_decision(interaction, bot, guild, done[0], problems=done[1])


async def _timeout(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    done = await _act(interaction, bot, guild, incident, SpamAction.TIMEOUT)
    if done is not None:
        await show_decision(interaction, bot, guild, done[0], problems=done[1])


async def _ask_ban(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    spam = bot.services.spam
    spam.require_enabled(incident, SpamAction.BAN)
    await interaction.response.send_message(
        spam.ban_question(incident), view=confirm_ban_view(incident), ephemeral=True
    )


async def _ban(interaction: discord.Interaction, bot: CourseBot, guild: discord.Guild, incident: Incident) -> None:
    done = await _act(interaction, bot, guild, incident, SpamAction.CONFIRM_BAN)
    if done is None:
        return
    decided, problems = done
    deleted = int((await _act_job(bot, incident)).get("deleted", 0))
    count = plural(deleted, "message")
    name = quote_inline(incident.author_name, 64) or "the author"
    said = f"Banned {name}" + (f" and deleted {count}." if deleted else ".")
    await interaction.edit_original_response(content="\n".join([said, *problems]), view=None)
    await show_decision(interaction, bot, guild, decided, on_queue_post=False)


async def _act_job(bot: CourseBot, incident: Incident) -> dict[str, Any]:
    job = await bot.services.jobs.by_key(effects.act_key(incident.id, SpamAction.CONFIRM_BAN.value))
    return job.result if job is not None else {}


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
