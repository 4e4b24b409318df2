"""The stories feature's forms and buttons: the share / edit / decline forms, the "Edit and send again" button
(one attempt only) and the persistent review buttons. The pager and the withdraw confirmation: views.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

import discord

from bot.core import limits
from bot.core.text import truncate
from bot.notify import tell
from bot.permissions import Role
from bot.persistent import CourseButton, CourseModal
from bot.stories.drafts import DraftKind, Rejected
from bot.stories.model import ANONYMOUS_CREDIT
from bot.stories.rules import DID_NOT_WORK, REASON, STORY_FIELDS, TITLE, TRIED, WORKED, FieldRule, parse_anonymous
from cogs.stories import flows
from cogs.stories.render import service_of

_HINTS: dict[str, tuple[str, str]] = {
    TITLE.key: ("A short headline", "e.g. Our first Instagram giveaway"),
    TRIED.key: ("The channel, the idea, who it was for", "What did you try, where and for whom?"),
    WORKED.key: ("What you would do again", "What worked, and how did you know?"),
    DID_NOT_WORK.key: ("What you would change", "What fell flat or surprised you?"),
}


def _text_input(rule: FieldRule, default: str | None) -> discord.ui.TextInput[Any]:
    return discord.ui.TextInput(
        custom_id=rule.key,
        style=discord.TextStyle.paragraph if rule.paragraph else discord.TextStyle.short,
        placeholder=_HINTS.get(rule.key, ("", ""))[1] or None,
        default=truncate(default, rule.maximum) if default else None,
        required=True,
        max_length=rule.maximum,
    )


def _label(rule: FieldRule, component: discord.ui.Item[Any]) -> discord.ui.Label[Any]:
    hint = _HINTS.get(rule.key, ("", ""))[0]
    description = f"{hint} (at least {rule.minimum} characters)" if hint else f"At least {rule.minimum} characters"
    return discord.ui.Label(text=rule.label, description=description, component=component)


async def offer_retry(interaction: discord.Interaction[Any], rejected: Rejected) -> None:
    """Explain what was wrong (ephemeral) with a button that reopens the form, text kept, once."""
    view = discord.ui.View(timeout=None)
    view.add_item(RetryButton(rejected.draft_id))
    await tell(interaction, str(rejected), view=view)


class StoryFieldsModal(CourseModal):
    """A modal with the four story fields; subclasses decide what submitting does."""

    def __init__(self, *, title: str, values: Mapping[str, str | None] | None = None) -> None:
        super().__init__(title=truncate(title, limits.MODAL_TITLE))
        values = values or {}
        self.inputs: dict[str, discord.ui.TextInput[Any]] = {}
        for rule in STORY_FIELDS:
            self.inputs[rule.key] = _text_input(rule, values.get(rule.key))
            self.add_item(_label(rule, self.inputs[rule.key]))

    def values(self) -> dict[str, str | None]:
        return {key: field.value for key, field in self.inputs.items()}


class ShareStoryModal(StoryFieldsModal):
    """`/story share`: the story and whether to publish it with the learner's name."""

    def __init__(
        self,
        *,
        lesson_slug: str | None,
        values: Mapping[str, str | None] | None = None,
        anonymous: bool = False,
        draft_id: int | None = None,
    ) -> None:
        super().__init__(title="Share your story", values=values)
        self.lesson_slug = lesson_slug
        self.draft_id = draft_id
        self.credit: discord.ui.RadioGroup[Any] = discord.ui.RadioGroup(
            custom_id="credit",
            options=[
                discord.RadioGroupOption(label="Publish with my name", value="named", default=not anonymous),
                discord.RadioGroupOption(
                    label="Publish anonymously",
                    value="anonymous",
                    description=f"Credited to “{ANONYMOUS_CREDIT}”; moderators still see who wrote it",
                    default=anonymous,
                ),
            ],
        )
        self.add_item(discord.ui.Label(text="Credit", component=self.credit))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.guild is None:
            return
        try:
            story = await service_of(interaction).submit(
                interaction.guild.id,
                interaction.user.id,
                interaction.user.display_name,
                self.values(),
                anonymous=parse_anonymous(self.credit.value),
                lesson_slug=self.lesson_slug,
                draft_id=self.draft_id,
            )
        except Rejected as rejected:
            await offer_retry(interaction, rejected)
            return
        await flows.submitted(interaction, story)


class EditAndApproveModal(StoryFieldsModal):
    """A moderator's edit of a pending story, published as edited."""

    required_role = Role.MODERATOR

    def __init__(
        self, story_id: int, number: int, values: Mapping[str, str | None], draft_id: int | None = None
    ) -> None:
        super().__init__(title=f"Edit story #{number}, then approve", values=values)
        self.story_id = story_id
        self.draft_id = draft_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await flows.approve(interaction, self.story_id, self.values(), self.draft_id)
        except Rejected as rejected:
            await offer_retry(interaction, rejected)


class DeclineModal(CourseModal):
    """Asks the moderator why a story is declined; the author is told."""

    required_role = Role.MODERATOR

    def __init__(self, story_id: int, number: int, reason: str | None = None, draft_id: int | None = None) -> None:
        super().__init__(title=truncate(f"Decline story #{number}", limits.MODAL_TITLE))
        self.story_id = story_id
        self.draft_id = draft_id
        self.reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id=REASON.key,
            style=discord.TextStyle.paragraph,
            placeholder="The author reads this: say what would make the story publishable.",
            default=truncate(reason, REASON.maximum) if reason else None,
            max_length=REASON.maximum,
        )
        self.add_item(
            discord.ui.Label(
                text="Reason for the author",
                description=f"At least {REASON.minimum} characters, sent to the author",
                component=self.reason,
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await flows.decline(interaction, self.story_id, self.reason.value, self.draft_id)
        except Rejected as rejected:
            await offer_retry(interaction, rejected)


class RetryButton(CourseButton, template=r"story:retry:(?P<draft_id>\d+)"):
    """Reopens a rejected form with everything typed so far, for the attempt it was made for only."""

    def __init__(self, draft_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Edit and send again",
                style=discord.ButtonStyle.primary,
                emoji="✏️",
                custom_id=f"story:retry:{draft_id}",
            )
        )
        self.draft_id = draft_id

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        draft = service.draft(self.draft_id, interaction.user.id)  # Conflict when used, replaced or expired
        modal: discord.ui.Modal
        if draft.kind is DraftKind.SHARE:
            modal = ShareStoryModal(
                lesson_slug=draft.lesson_slug, values=draft.values, anonymous=draft.anonymous, draft_id=draft.id
            )
        else:
            assert draft.story_id is not None and draft.story_number is not None
            await service.pending(interaction.guild_id, draft.story_id)
            if draft.kind is DraftKind.EDIT:
                modal = EditAndApproveModal(draft.story_id, draft.story_number, draft.values, draft.id)
            else:
                modal = DeclineModal(draft.story_id, draft.story_number, draft.values.get(REASON.key), draft.id)
        await interaction.response.send_modal(modal)


class ReviewButton(CourseButton, template=re.compile(r"(?!)")):
    """A moderator's review button; the custom_id `story:<action>:<story id>` makes it restart-proof."""

    required_role = Role.MODERATOR
    action: ClassVar[str]
    label: ClassVar[str]
    style: ClassVar[discord.ButtonStyle]
    emoji: ClassVar[str]

    def __init__(self, story_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.label, style=self.style, emoji=self.emoji, custom_id=f"story:{self.action}:{story_id}"
            )
        )
        self.story_id = story_id


class ApproveStoryButton(ReviewButton, template=r"story:approve:(?P<story_id>\d+)"):
    action, label, style, emoji = "approve", "Approve", discord.ButtonStyle.success, "✅"

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        await flows.approve(interaction, self.story_id)


class DeclineStoryButton(ReviewButton, template=r"story:decline:(?P<story_id>\d+)"):
    action, label, style, emoji = "decline", "Decline", discord.ButtonStyle.danger, "✖️"

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        story = await service_of(interaction).pending(interaction.guild_id, self.story_id)
        await interaction.response.send_modal(DeclineModal(story.id, story.number))


class EditStoryButton(ReviewButton, template=r"story:edit:(?P<story_id>\d+)"):
    action, label, style, emoji = "edit", "Edit and approve", discord.ButtonStyle.secondary, "✏️"

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        story = await service.pending(interaction.guild_id, self.story_id)
        await interaction.response.send_modal(EditAndApproveModal(story.id, story.number, service.edit_values(story)))


PERSISTENT_BUTTONS: tuple[type[CourseButton], ...] = (
    ApproveStoryButton,
    DeclineStoryButton,
    EditStoryButton,
    RetryButton,
)


def review_view(story_id: int) -> discord.ui.View:
    """The Approve / Decline / Edit-and-approve buttons for one story (they survive restarts)."""
    view = discord.ui.View(timeout=None)
    for button in (ApproveStoryButton, DeclineStoryButton, EditStoryButton):
        view.add_item(button(story_id))
    return view
