"""The incident post in #mod-queue: its embed and its persistent moderator buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, cast

import discord

from bot.permissions import Role
from bot.persistent import CourseButton, CourseView
from bot.spam.cards import Card, defang
from bot.spam.records import Incident, IncidentStatus


@dataclass(frozen=True)
class ButtonSpec:
    label: str
    style: discord.ButtonStyle
    row: int


ACTIONS: dict[str, ButtonSpec] = {
    "dismiss": ButtonSpec("Dismiss (not spam)", discord.ButtonStyle.success, 0),
    "delete": ButtonSpec("Delete", discord.ButtonStyle.danger, 0),
    "timeout": ButtonSpec("Delete + timeout", discord.ButtonStyle.danger, 0),
    "ban": ButtonSpec("Ban", discord.ButtonStyle.danger, 0),
    "trust": ButtonSpec("Trust domain", discord.ButtonStyle.secondary, 1),
    "block": ButtonSpec("Block domain", discord.ButtonStyle.secondary, 1),
    "confirmban": ButtonSpec("Yes, ban", discord.ButtonStyle.danger, 0),
}


class IncidentHandler(Protocol):
    """What the buttons call: the cog implements it."""

    async def on_incident_button(self, interaction: discord.Interaction, action: str, incident_id: int) -> None: ...


HANDLER_COG = "SpamFilter"


class IncidentButton(
    CourseButton,
    template=r"spam:(?P<action>dismiss|delete|timeout|ban|trust|block|confirmban):(?P<incident_id>\d+)",
):
    """One moderator action on one incident; the custom_id carries both, so it works after any restart."""

    required_role = Role.MODERATOR

    def __init__(self, action: str, incident_id: int, *, disabled: bool = False) -> None:
        spec = ACTIONS[action]
        super().__init__(
            discord.ui.Button(
                label=spec.label,
                style=spec.style,
                custom_id=f"spam:{action}:{incident_id}",
                disabled=disabled,
                row=spec.row,
            )
        )
        self.action = action
        self.incident_id = incident_id

    async def handle(self, interaction: discord.Interaction) -> None:
        handler = cast(IncidentHandler | None, interaction.client.get_cog(HANDLER_COG))  # type: ignore[attr-defined]
        if handler is None:
            raise RuntimeError("the spam filter cog is not loaded")
        await handler.on_incident_button(interaction, self.action, self.incident_id)


def enabled_actions(incident: Incident) -> dict[str, bool]:
    """Which buttons still make sense for the incident as it stands."""
    banned = incident.status is IncidentStatus.BANNED
    return {
        "dismiss": incident.status is IncidentStatus.OPEN,
        "delete": bool(incident.live_copies),
        "timeout": incident.status not in (IncidentStatus.TIMED_OUT, IncidentStatus.BANNED),
        "ban": not banned,
        "trust": bool(incident.domains),
        "block": bool(incident.domains),
    }


def incident_view(incident: Incident) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action, enabled in enabled_actions(incident).items():
        view.add_item(IncidentButton(action, incident.id, disabled=not enabled))
    return view


def confirm_ban_view(incident: Incident) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(IncidentButton("confirmban", incident.id))
    return view


def card_embed(card: Card) -> discord.Embed:
    embed = discord.Embed(title=card.title, description=card.description, colour=card.colour)
    for field in card.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if card.footer:
        embed.set_footer(text=card.footer)
    if card.image:
        embed.set_image(url=f"attachment://{card.image}")
    return embed


DomainChosen = Callable[[discord.Interaction, str], Awaitable[None]]


class DomainPicker(CourseView):
    """Ephemeral choice of one of an incident's domains, for Trust domain and Block domain."""

    def __init__(self, domains: tuple[str, ...], placeholder: str, on_choice: DomainChosen) -> None:
        super().__init__(timeout=300)
        self._on_choice = on_choice
        select: discord.ui.Select[DomainPicker] = discord.ui.Select(
            placeholder=placeholder,
            options=[
                discord.SelectOption(label=d[:100], value=d[:100], description=defang(d)[:100]) for d in domains[:25]
            ],
            custom_id="spam:pick-domain",
        )
        select.callback = self._chosen  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    async def _chosen(self, interaction: discord.Interaction) -> None:
        await self._on_choice(interaction, self.select.values[0])
