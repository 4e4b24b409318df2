"""Lesson buttons (persistent DynamicItems: the custom_id carries the lesson) and the views that hold them.
Each click: parse the custom_id -> one service call -> render. The lesson form is in forms.py."""

from __future__ import annotations

from typing import Any

import discord

from bot.app import CourseBot
from bot.core import limits
from bot.core.errors import Conflict
from bot.core.text import person, truncate
from bot.lessons.model import DoneState, LessonRef, LessonView, OutlineView, SearchResult
from bot.lessons.service import LessonService
from bot.notify import mod_log
from bot.permissions import Role
from bot.persistent import CourseButton, CourseView

from . import render

SLUG = r"(?P<slug>[a-z0-9-]{1,60})"


def lessons(interaction: discord.Interaction) -> LessonService:
    """The lesson service of the bot that got the interaction."""
    client = interaction.client
    assert isinstance(client, CourseBot)
    return client.services.lessons


def member(interaction: discord.Interaction) -> tuple[int, int]:
    """(server id, member id) of the clicker; lesson commands and buttons live in servers."""
    return interaction.guild_id or 0, interaction.user.id


async def log_action(interaction: discord.Interaction, text: str) -> None:
    """`<moderator> <text>` in #mod-log."""
    client = interaction.client
    if interaction.guild is not None and isinstance(client, CourseBot):
        await mod_log(client, interaction.guild, f"{person(interaction.user.display_name, interaction.user.id)} {text}")


def button(
    custom_id: str,
    label: str,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    *,
    disabled: bool = False,
) -> discord.ui.Button[Any]:
    """The Discord button a persistent lesson button wraps."""
    return discord.ui.Button(
        label=truncate(label, limits.BUTTON_LABEL), style=style, custom_id=custom_id, disabled=disabled
    )


async def show_privately(interaction: discord.Interaction, view: LessonView, *, replace: bool) -> None:
    """Show a lesson to the clicker only: in place when the clicked message is theirs alone (`replace` and
    ephemeral), otherwise as a new ephemeral message, so a public post never changes."""
    embed, controls = render.lesson_embed(view), lesson_controls(view)
    message = interaction.message
    if replace and message is not None and message.flags.ephemeral:
        await interaction.response.edit_message(embed=embed, view=controls)
    else:
        await interaction.response.send_message(embed=embed, view=controls, ephemeral=True)


# -- persistent buttons ------------------------------------------------------------------------------


class LessonNavButton(CourseButton, template=rf"lesson:nav:{SLUG}:(?P<direction>prev|next)"):
    """◀ Previous / Next ▶ lesson in course order."""

    def __init__(self, slug: str, direction: str, *, disabled: bool = False) -> None:
        self.slug, self.direction = str(slug), direction
        label = "◀ Previous" if direction == "prev" else "Next ▶"
        super().__init__(button(f"lesson:nav:{self.slug}:{direction}", label, disabled=disabled))

    async def handle(self, interaction: discord.Interaction) -> None:
        step = -1 if self.direction == "prev" else 1
        view = await lessons(interaction).neighbour_view(*member(interaction), self.slug, step)
        await show_privately(interaction, view, replace=True)


class LessonPageButton(CourseButton, template=rf"lesson:page:{SLUG}:(?P<page>\d{{1,3}})"):
    """Flip to another page of a long lesson."""

    def __init__(self, slug: str, page: int, *, label: str = "Page", disabled: bool = False) -> None:
        self.slug, self.page = str(slug), int(page)
        custom_id = f"lesson:page:{self.slug}:{self.page}"
        super().__init__(button(custom_id, label, discord.ButtonStyle.primary, disabled=disabled))

    async def handle(self, interaction: discord.Interaction) -> None:
        view = await lessons(interaction).private_view(*member(interaction), self.slug, self.page)
        await show_privately(interaction, view, replace=True)


class LessonOpenButton(CourseButton, template=rf"lesson:open:{SLUG}"):
    """Open a lesson just for the clicker (from search results, progress, a done reply)."""

    def __init__(self, slug: str, *, label: str = "Open") -> None:
        self.slug = str(slug)
        super().__init__(button(f"lesson:open:{self.slug}", label))

    async def handle(self, interaction: discord.Interaction) -> None:
        view = await lessons(interaction).private_view(*member(interaction), self.slug)
        await show_privately(interaction, view, replace=False)


class LessonDoneButton(CourseButton, template=rf"lesson:done:{SLUG}"):
    """On a lesson: "Mark as done" (grey), or a green "Done ✓" where the reader alone sees it and has done it.
    Pressing it marks the lesson done and answers the presser alone, with the way to undo it."""

    def __init__(self, slug: str, *, done: bool = False) -> None:
        self.slug = str(slug)
        label, style = (
            ("Done ✓", discord.ButtonStyle.success) if done else ("Mark as done", discord.ButtonStyle.secondary)
        )
        super().__init__(button(f"lesson:done:{self.slug}", label, style))

    async def handle(self, interaction: discord.Interaction) -> None:
        state = await lessons(interaction).set_done(*member(interaction), self.slug, True)
        await interaction.response.send_message(render.done_content(state), view=done_controls(state), ephemeral=True)


class LessonMarkButton(CourseButton, template=rf"lesson:mark:{SLUG}:(?P<state>on|off)"):
    """On the presser's own done reply: "Mark as not done" / "Mark as done", changing the reply in place."""

    def __init__(self, slug: str, state: str) -> None:
        self.slug, self.state = str(slug), state
        label = "Mark as done" if state == "on" else "Mark as not done"
        super().__init__(button(f"lesson:mark:{self.slug}:{state}", label))

    async def handle(self, interaction: discord.Interaction) -> None:
        state = await lessons(interaction).set_done(*member(interaction), self.slug, self.state == "on")
        await interaction.response.edit_message(content=render.done_content(state), view=done_controls(state))


class OutlinePageButton(CourseButton, template=r"lesson:outline:(?P<module>\d{1,3}):(?P<page>\d{1,4}):(?P<arrow>[pn])"):
    """Pages of `/lesson list` (module 0 means the whole course)."""

    def __init__(self, module: int, page: int, arrow: str, *, disabled: bool = False) -> None:
        self.module, self.page, self.arrow = int(module), int(page), arrow
        custom_id = f"lesson:outline:{self.module}:{self.page}:{arrow}"
        super().__init__(button(custom_id, "◀" if arrow == "p" else "▶", disabled=disabled))

    async def handle(self, interaction: discord.Interaction) -> None:
        view = await lessons(interaction).outline(*member(interaction), self.module, self.page)
        await interaction.response.edit_message(embed=render.outline_embed(view), view=outline_controls(view))


class RemoveLessonButton(CourseButton, template=rf"lessons:remove:{SLUG}:(?P<choice>yes|no)"):
    """Confirm or cancel `/lessons remove`."""

    required_role = Role.MODERATOR

    def __init__(self, slug: str, choice: str) -> None:
        self.slug, self.choice = str(slug), choice
        custom_id = f"lessons:remove:{self.slug}:{choice}"
        if choice == "yes":
            super().__init__(button(custom_id, "Remove", discord.ButtonStyle.danger))
        else:
            super().__init__(button(custom_id, "Keep it"))

    async def handle(self, interaction: discord.Interaction) -> None:
        if self.choice != "yes":
            await interaction.response.edit_message(content="Kept: nothing was removed.", view=None)
            return
        try:
            reply, line = await lessons(interaction).remove(self.slug)
        except Conflict as already:
            await interaction.response.edit_message(content=str(already), view=None)
            return
        await interaction.response.edit_message(content=render.content(reply), view=None)
        await log_action(interaction, line)


DYNAMIC_ITEMS = (
    LessonNavButton,
    LessonPageButton,
    LessonOpenButton,
    LessonDoneButton,
    LessonMarkButton,
    OutlinePageButton,
    RemoveLessonButton,
)


# -- the buttons of each message ----------------------------------------------------------------------


def lesson_controls(view: LessonView) -> CourseView:
    """Page, previous / next and done buttons under a lesson."""
    controls = CourseView(timeout=None)
    if view.pages > 1:
        controls.add_item(LessonPageButton(view.slug, max(0, view.page - 1), label="◀ Page", disabled=view.page == 0))
        controls.add_item(
            LessonPageButton(
                view.slug,
                min(view.pages - 1, view.page + 1),
                label=f"Page {min(view.pages, view.page + 2)} ▶",
                disabled=view.page == view.pages - 1,
            )
        )
    controls.add_item(LessonNavButton(view.slug, "prev", disabled=view.position == 1))
    controls.add_item(LessonDoneButton(view.slug, done=view.done))
    controls.add_item(LessonNavButton(view.slug, "next", disabled=view.position == view.total))
    return controls


def done_controls(state: DoneState) -> CourseView:
    """Under the presser's done reply: a green "Done ✓" and "Mark as not done", or "Mark as done" again."""
    controls = CourseView(timeout=None)
    if state.done:
        controls.add_item(button(f"lesson:state:{state.slug}", "Done ✓", discord.ButtonStyle.success, disabled=True))
        controls.add_item(LessonMarkButton(state.slug, "off"))
    else:
        controls.add_item(LessonMarkButton(state.slug, "on"))
    return read_next_controls(state.next_lesson, controls)


def read_next_controls(ref: LessonRef | None, controls: CourseView | None = None) -> CourseView:
    """ "Read next" for the next lesson, when there is one."""
    controls = controls if controls is not None else CourseView(timeout=None)
    if ref is not None:
        controls.add_item(LessonOpenButton(ref.slug, label="Read next"))
    return controls


def outline_controls(view: OutlineView) -> CourseView:
    controls = CourseView(timeout=None)
    if view.pages > 1:
        controls.add_item(OutlinePageButton(view.module_index, max(0, view.page - 1), "p", disabled=view.page == 0))
        controls.add_item(
            OutlinePageButton(
                view.module_index, min(view.pages - 1, view.page + 1), "n", disabled=view.page == view.pages - 1
            )
        )
    return controls


def open_controls(refs: list[LessonRef], *, numbered: bool) -> CourseView:
    controls = CourseView(timeout=None)
    for number, ref in enumerate(refs, start=1):
        controls.add_item(LessonOpenButton(ref.slug, label=f"Open {number}" if numbered else ref.title))
    return controls


def search_controls(result: SearchResult) -> CourseView:
    if result.card is not None:
        return open_controls([hit.ref for hit in result.hits], numbered=True)
    return open_controls(list(result.guesses), numbered=False)


def removal_controls(slug: str) -> CourseView:
    controls = CourseView(timeout=None)
    controls.add_item(RemoveLessonButton(slug, "yes"))
    controls.add_item(RemoveLessonButton(slug, "no"))
    return controls
