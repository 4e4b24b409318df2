"""Modals, review buttons (persistent) and views of the stories feature."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.checks import ensure_role
from bot.notify import tell
from bot.permissions import Role
from bot.persistent import CourseButton, CourseModal, CourseView
from bot.stories.model import ANONYMOUS_CREDIT, StoryText
from bot.stories.validation import (
    DID_NOT_WORK,
    REASON,
    STORY_FIELDS,
    TITLE,
    TRIED,
    WORKED,
    FieldRule,
    StoryValidationError,
    parse_anonymous,
)
from bot.stories.workflow import StoryService

if TYPE_CHECKING:
    from bot.app import CourseBot

RETRY_TIMEOUT = 15 * 60
PAGER_TIMEOUT = 10 * 60  # below the 15 minutes in which an ephemeral reply can still be edited

_HINTS: dict[str, tuple[str, str]] = {
    TITLE.key: ("A short headline", "e.g. Our first Instagram giveaway"),
    TRIED.key: ("The channel, the idea, who it was for", "What did you try, where and for whom?"),
    WORKED.key: ("What you would do again", "What worked, and how did you know?"),
    DID_NOT_WORK.key: ("What you would change", "What fell flat or surprised you?"),
}


def _service(interaction: discord.Interaction) -> StoryService:
    bot: CourseBot = interaction.client  # type: ignore[assignment]
    return StoryService(bot)


def _text_input(rule: FieldRule, default: str | None) -> discord.ui.TextInput[Any]:
    return discord.ui.TextInput(
        custom_id=rule.key,
        style=discord.TextStyle.paragraph if rule.paragraph else discord.TextStyle.short,
        placeholder=_HINTS.get(rule.key, ("", ""))[1] or None,
        default=default,
        required=True,
        max_length=rule.maximum,
    )


def _label(rule: FieldRule, component: discord.ui.Item[Any]) -> discord.ui.Label[Any]:
    hint = _HINTS.get(rule.key, ("", ""))[0]
    description = f"{hint} (at least {rule.minimum} characters)" if hint else f"At least {rule.minimum} characters"
    return discord.ui.Label(text=rule.label, description=description, component=component)


class StoryFieldsModal(CourseModal):
    """A modal with the four story fields; subclasses decide what submitting does."""

    def __init__(self, *, title: str, values: Mapping[str, str | None] | None = None) -> None:
        super().__init__(title=title)
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
        self, *, lesson_slug: str | None, values: Mapping[str, str | None] | None = None, anonymous: bool = False
    ) -> None:
        super().__init__(title="Share your story", values=values)
        self.lesson_slug = lesson_slug
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

    async def on_submit(self, interaction: discord.Interaction) -> None:
        anonymous = parse_anonymous(self.credit.value)
        try:
            await _service(interaction).submit(
                interaction, self.values(), anonymous=anonymous, lesson_slug=self.lesson_slug
            )
        except StoryValidationError as error:
            values, lesson = self.values(), self.lesson_slug
            await offer_retry(
                interaction,
                error,
                lambda: ShareStoryModal(lesson_slug=lesson, values=values, anonymous=anonymous),
            )


class EditAndApproveModal(StoryFieldsModal):
    """A moderator's edit of a pending story, published as edited."""

    def __init__(self, story_id: int, number: int, values: Mapping[str, str | None]) -> None:
        super().__init__(title=f"Edit story #{number}, then approve"[:45], values=values)
        self.story_id = story_id
        self.number = number

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not await ensure_role(interaction, Role.MODERATOR):
            return
        try:
            await _service(interaction).approve(interaction, self.story_id, self.values())
        except StoryValidationError as error:
            story_id, number, values = self.story_id, self.number, self.values()
            await offer_retry(interaction, error, lambda: EditAndApproveModal(story_id, number, values))


class DeclineModal(CourseModal):
    """Asks the moderator why a story is declined; the author is told."""

    def __init__(self, story_id: int, number: int, reason: str | None = None) -> None:
        super().__init__(title=f"Decline story #{number}"[:45])
        self.story_id = story_id
        self.number = number
        self.reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id=REASON.key,
            style=discord.TextStyle.paragraph,
            placeholder="The author reads this: say what would make the story publishable.",
            default=reason,
            max_length=REASON.maximum,
        )
        self.add_item(
            discord.ui.Label(
                text="Reason for the author",
                description=f"At least {REASON.minimum} characters, sent to the author",
                component=self.reason,
            )
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if not await ensure_role(interaction, Role.MODERATOR):
            return
        try:
            await _service(interaction).decline(interaction, self.story_id, self.reason.value)
        except StoryValidationError as error:
            story_id, number, reason = self.story_id, self.number, self.reason.value
            await offer_retry(interaction, error, lambda: DeclineModal(story_id, number, reason))


class RetryView(CourseView):
    """One button that reopens a rejected modal with everything typed so far."""

    def __init__(self, user_id: int, make_modal: Callable[[], discord.ui.Modal]) -> None:
        super().__init__(timeout=RETRY_TIMEOUT)
        self.user_id = user_id
        self.make_modal = make_modal

    @discord.ui.button(label="Edit and send again", style=discord.ButtonStyle.primary, emoji="✏️")
    async def retry(self, interaction: discord.Interaction, _button: discord.ui.Button[RetryView]) -> None:
        await interaction.response.send_modal(self.make_modal())


async def offer_retry(
    interaction: discord.Interaction, error: StoryValidationError, make_modal: Callable[[], discord.ui.Modal]
) -> None:
    """Explain what was wrong (ephemeral) with a button that reopens the modal, text kept."""
    text = f"{error}\nNothing was lost: press the button to fix it."
    view = RetryView(interaction.user.id, make_modal)
    await tell(interaction, text, view=view)


# -- persistent review buttons ---------------------------------------------------------------------


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

    async def handle(self, interaction: discord.Interaction) -> None:
        await _service(interaction).approve(interaction, self.story_id)


class DeclineStoryButton(ReviewButton, template=r"story:decline:(?P<story_id>\d+)"):
    action, label, style, emoji = "decline", "Decline", discord.ButtonStyle.danger, "✖️"

    async def handle(self, interaction: discord.Interaction) -> None:
        story = await _service(interaction).pending_story(interaction, self.story_id)
        if story is not None:
            await interaction.response.send_modal(DeclineModal(story.id, story.number))


class EditStoryButton(ReviewButton, template=r"story:edit:(?P<story_id>\d+)"):
    action, label, style, emoji = "edit", "Edit and approve", discord.ButtonStyle.secondary, "✏️"

    async def handle(self, interaction: discord.Interaction) -> None:
        story = await _service(interaction).pending_story(interaction, self.story_id)
        if story is not None:
            values = text_values(story.text)
            await interaction.response.send_modal(EditAndApproveModal(story.id, story.number, values))


REVIEW_BUTTONS: tuple[type[ReviewButton], ...] = (ApproveStoryButton, DeclineStoryButton, EditStoryButton)


def text_values(text: StoryText) -> dict[str, str | None]:
    return {TITLE.key: text.title, TRIED.key: text.tried, WORKED.key: text.worked, DID_NOT_WORK.key: text.did_not_work}


def review_view(story_id: int) -> discord.ui.View:
    """The Approve / Decline / Edit-and-approve buttons for one story (they survive restarts)."""
    view = discord.ui.View(timeout=None)
    for button in REVIEW_BUTTONS:
        view.add_item(button(story_id))
    return view


# -- browsing --------------------------------------------------------------------------------------

# load(page) -> (embed, page actually shown, page count); it clamps the page to what exists now.
PageLoader = Callable[[int], Awaitable[tuple[discord.Embed, int, int]]]


class PagerView(CourseView):
    """Previous / Next buttons over pages that `load(page)` renders."""

    def __init__(self, user_id: int, load: PageLoader, *, page: int, pages: int, timeout: float = PAGER_TIMEOUT):
        super().__init__(timeout=timeout)
        self.user_id = user_id
        self.load = load
        self.page = page
        self.pages = pages
        self._sync()

    message: discord.InteractionMessage | None = None

    async def on_timeout(self) -> None:
        """Take the buttons away once they stop working."""
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=None)

    def _sync(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(
                "These pages belong to someone else: use `/story browse` for your own.", ephemeral=True
            )
            return False
        return True

    async def _turn(self, interaction: discord.Interaction, page: int) -> None:
        embed, self.page, self.pages = await self.load(page)
        self._sync()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button[PagerView]) -> None:
        await self._turn(interaction, self.page - 1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button[PagerView]) -> None:
        await self._turn(interaction, self.page + 1)


def story_count(count: int) -> str:
    return f"{count} {'story' if count == 1 else 'stories'}"
