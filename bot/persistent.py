"""Bases for buttons and views that report errors the one way, and persistent (restart-proof) buttons."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from bot.checks import ensure_role
from bot.errors import answering, report_interaction_error
from bot.permissions import Role


class CourseView(discord.ui.View):
    """A View whose items check `required_role` on every click (a member may have lost it since the view was
    sent), answer refusals as normal replies, and report any other error the one way."""

    required_role: ClassVar[Role] = Role.LEARNER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in self.children:
            _answer_item(item)

    def add_item(self, item: discord.ui.Item[Any]) -> CourseView:
        _answer_item(item)
        super().add_item(item)
        return self

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if self.required_role is Role.LEARNER:
            return True
        return await ensure_role(interaction, self.required_role)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await report_interaction_error(interaction, error, where=f"{type(self).__name__} item {item!r}")


class CourseModal(discord.ui.Modal):
    """A Modal that checks `required_role` on submit, answers refusals as replies and reports other errors."""

    required_role: ClassVar[Role] = Role.LEARNER

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "on_submit" in cls.__dict__:
            cls.on_submit = answering(cls.__dict__["on_submit"])  # type: ignore[method-assign]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if self.required_role is Role.LEARNER:
            return True
        return await ensure_role(interaction, self.required_role)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await report_interaction_error(interaction, error, where=f"modal {type(self).__name__}")


def _answer_item(item: discord.ui.Item[Any]) -> None:
    if not getattr(item, "_answers_refusals", False):
        item.callback = answering(item.callback)  # type: ignore[method-assign]
        item._answers_refusals = True  # type: ignore[attr-defined]


class CourseButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=re.compile(r"(?!)")):
    """A persistent button: its custom_id carries what it acts on, so it works after any restart.

    Subclass with `template=r"feature:action:(?P<id>\\d+)"`, build the button in `__init__`, set
    `required_role`, and implement `handle()`. Register with `bot.add_dynamic_items(...)` in `cog_load`.
    Named groups of the template that are all digits arrive as ints.
    """

    required_role: ClassVar[Role] = Role.LEARNER

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CourseButton:
        values = {key: int(value) if value.isdigit() else value for key, value in match.groupdict().items()}
        return cls(**values)  # type: ignore[arg-type]

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            if self.required_role is not Role.LEARNER and not await ensure_role(interaction, self.required_role):
                return
            await self.handle(interaction)
        except Exception as error:
            await report_interaction_error(interaction, error, where=f"button {self.custom_id}")

    async def handle(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError
