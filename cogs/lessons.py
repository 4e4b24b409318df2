"""Lessons in Discord: `/lesson show|search|list|random`, `/progress`, and moderators' `/lessons ...`."""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import CourseBot
from bot.checks import require
from bot.errors import UserError, describe_wait
from bot.lessons.archive import export_zip
from bot.lessons.card import build_card, choice_name
from bot.lessons.cooldown import Cooldown
from bot.lessons.frontmatter import normalize_body
from bot.lessons.model import Lesson
from bot.lessons.outline import outline_page, progress_bar
from bot.lessons.rules import lesson_problems
from bot.lessons.text import slugify
from bot.lessons.validation import load_folder
from bot.notify import mod_log
from bot.permissions import Role
from bot.persistent import CourseButton, CourseModal, CourseView
from bot.storage.lessons import LessonStore

log = logging.getLogger("coursebot.lessons")

POST_COOLDOWN = timedelta(seconds=60)
"""How often one learner may post a lesson publicly in one channel."""
LESSON_COLOUR = discord.Colour.blurple()
SEARCH_RESULTS = 5
MODAL_BODY_MAX = 4000  # Discord's limit for a text input
SLUG = r"(?P<slug>[a-z0-9-]{1,60})"


def escape(text: str) -> str:
    return discord.utils.escape_markdown(text)


def lessons_cog(interaction: discord.Interaction) -> LessonsCog:
    cog = interaction.client.get_cog("Lessons")  # type: ignore[attr-defined]
    if not isinstance(cog, LessonsCog):
        raise UserError("Lessons are not available right now; please try again in a moment.")
    return cog


def guild_id_of(interaction: discord.Interaction) -> int:
    return interaction.guild_id or 0


def button(
    custom_id: str,
    label: str,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    *,
    disabled: bool = False,
) -> discord.ui.Button[Any]:
    """The Discord button a persistent lesson button wraps."""
    return discord.ui.Button(label=label[:80], style=style, custom_id=custom_id, disabled=disabled)


# -- persistent buttons ------------------------------------------------------------------------------


class LessonNavButton(CourseButton, template=rf"lesson:nav:{SLUG}:(?P<direction>prev|next)"):
    """◀ Previous / Next ▶ lesson in course order."""

    def __init__(self, slug: str, direction: str, *, disabled: bool = False) -> None:
        self.slug, self.direction = str(slug), direction
        label = "◀ Previous" if direction == "prev" else "Next ▶"
        super().__init__(button(f"lesson:nav:{self.slug}:{direction}", label, disabled=disabled))

    async def handle(self, interaction: discord.Interaction) -> None:
        cog = lessons_cog(interaction)
        target = await cog.store.neighbour(self.slug, -1 if self.direction == "prev" else 1)
        if target is None:
            where = "first" if self.direction == "prev" else "last"
            raise UserError(f"This is the {where} lesson of the course (or it was removed).")
        await cog.reply_lesson(interaction, target.slug, replace=True)


class LessonPageButton(CourseButton, template=rf"lesson:page:{SLUG}:(?P<page>\d{{1,3}})"):
    """Flip to another page of a long lesson."""

    def __init__(self, slug: str, page: int, *, label: str = "Page", disabled: bool = False) -> None:
        self.slug, self.page = str(slug), int(page)
        custom_id = f"lesson:page:{self.slug}:{self.page}"
        super().__init__(button(custom_id, label, discord.ButtonStyle.primary, disabled=disabled))

    async def handle(self, interaction: discord.Interaction) -> None:
        await lessons_cog(interaction).reply_lesson(interaction, self.slug, page=self.page, replace=True)


class LessonOpenButton(CourseButton, template=rf"lesson:open:{SLUG}"):
    """Open a lesson just for the clicker (from search results, progress, a confirmation)."""

    def __init__(self, slug: str, *, label: str = "Open") -> None:
        self.slug = str(slug)
        super().__init__(button(f"lesson:open:{self.slug}", label))

    async def handle(self, interaction: discord.Interaction) -> None:
        await lessons_cog(interaction).reply_lesson(interaction, self.slug, replace=False)


class LessonDoneButton(CourseButton, template=rf"lesson:done:{SLUG}"):
    """Mark as done: records the lesson in the clicker's progress."""

    def __init__(self, slug: str, *, done: bool = False) -> None:
        self.slug = str(slug)
        label = "Done ✓" if done else "Mark as done"
        super().__init__(button(f"lesson:done:{self.slug}", label, discord.ButtonStyle.success))

    async def handle(self, interaction: discord.Interaction) -> None:
        await lessons_cog(interaction).mark_done(interaction, self.slug)


class OutlinePageButton(CourseButton, template=r"lesson:outline:(?P<module>\d{1,3}):(?P<page>\d{1,4}):(?P<arrow>[pn])"):
    """Pages of `/lesson list` (module 0 means the whole course)."""

    def __init__(self, module: int, page: int, arrow: str, *, disabled: bool = False) -> None:
        self.module, self.page, self.arrow = int(module), int(page), arrow
        custom_id = f"lesson:outline:{self.module}:{self.page}:{arrow}"
        super().__init__(button(custom_id, "◀" if arrow == "p" else "▶", disabled=disabled))

    async def handle(self, interaction: discord.Interaction) -> None:
        cog = lessons_cog(interaction)
        modules = await cog.store.modules()
        index = self.module if 0 < self.module <= len(modules) else 0
        embed, view = await cog.outline_message(interaction, modules[index - 1] if index else None, index, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


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
        await lessons_cog(interaction).confirm_remove(interaction, self.slug, self.choice == "yes")


# -- modal ---------------------------------------------------------------------------------------------


class LessonModal(CourseModal):
    """Title, module, body, tags and source of a lesson; `slug` set when editing."""

    def __init__(self, *, slug: str | None = None, values: dict[str, str] | None = None) -> None:
        heading = "Add a lesson" if slug is None else "Edit lesson"
        super().__init__(title=heading, custom_id=f"lessons:modal:{slug or 'new'}")
        self.slug = slug
        values = values or {}

        def text_input(key: str, label: str, **kwargs: Any) -> discord.ui.TextInput[Any]:
            item: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=label, custom_id=key, default=values.get(key) or None, **kwargs
            )
            self.add_item(item)
            return item

        self.title_input = text_input("title", "Title", max_length=200)
        self.module_input = text_input(
            "module", "Module (a week or unit)", max_length=100, placeholder="Week 1: The digital shift"
        )
        self.body_input = text_input(
            "body", "Lesson text (Markdown)", style=discord.TextStyle.paragraph, max_length=MODAL_BODY_MAX
        )
        self.tags_input = text_input(
            "tags", "Tags, separated by commas", required=False, max_length=400, placeholder="seo, search"
        )
        self.source_input = text_input(
            "source", "Source of the facts", required=False, max_length=300, placeholder="Course team"
        )

    def values(self) -> dict[str, str]:
        return {
            "title": self.title_input.value,
            "module": self.module_input.value,
            "body": self.body_input.value,
            "tags": self.tags_input.value,
            "source": self.source_input.value,
        }

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await lessons_cog(interaction).save_from_modal(interaction, self.slug, self.values())


class RetryModalView(CourseView):
    """Offered when a modal's lesson had problems: reopens it with everything typed still there."""

    def __init__(self, slug: str | None, values: dict[str, str]) -> None:
        super().__init__(timeout=900)
        self.slug, self.values = slug, values

    @discord.ui.button(label="Fix and try again", style=discord.ButtonStyle.primary)
    async def retry(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(LessonModal(slug=self.slug, values=self.values))


# -- the cog -------------------------------------------------------------------------------------------


class LessonsCog(commands.Cog, name="Lessons"):
    """Learners read, search and track lessons; moderators edit the course."""

    lesson = app_commands.Group(name="lesson", description="Read the course's lessons", guild_only=True)
    manage = app_commands.Group(name="lessons", description="Manage the course's lessons", guild_only=True)

    def __init__(self, bot: CourseBot) -> None:
        self.bot = bot
        self.cooldown = Cooldown(POST_COOLDOWN)

    @property
    def store(self) -> LessonStore:
        return LessonStore(self.bot.db)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(
            LessonNavButton,
            LessonPageButton,
            LessonOpenButton,
            LessonDoneButton,
            OutlinePageButton,
            RemoveLessonButton,
        )

    async def restore_state(self) -> None:
        """Load the lesson files when the database has no lessons yet (a fresh install)."""
        if await self.store.count():
            return
        directory = self.bot.settings.lessons_dir
        folder = await asyncio.to_thread(load_folder, directory)
        for problem in folder.problems:
            log.warning("lesson file problem: %s", problem)
        if folder.lessons:
            summary = await self.store.import_lessons(folder.lessons)
            log.info("loaded the course from %s: %s", directory, summary.describe())

    # -- rendering ------------------------------------------------------------------------------------

    async def lesson_message(
        self, lesson: Lesson, page: int = 0, *, done: bool = False
    ) -> tuple[discord.Embed, discord.ui.View]:
        """The embed for one page of a lesson, with its persistent buttons."""
        store = self.store
        related = await store.refs(lesson.related)
        position, total = await store.position(lesson.slug) or (None, None)
        card = build_card(lesson, page, related=related, position=position, total=total)
        embed = discord.Embed(title=card.title, description=card.description, colour=LESSON_COLOUR)
        embed.set_author(name=card.author)
        for name, value in card.fields:
            embed.add_field(name=name, value=value, inline=False)
        embed.set_footer(text=card.footer)

        view = CourseView(timeout=None)
        if card.pages > 1:
            view.add_item(LessonPageButton(lesson.slug, max(0, card.page - 1), label="◀ Page", disabled=card.page == 0))
            view.add_item(
                LessonPageButton(
                    lesson.slug,
                    min(card.pages - 1, card.page + 1),
                    label=f"Page {min(card.pages, card.page + 2)} ▶",
                    disabled=card.page == card.pages - 1,
                )
            )
        view.add_item(LessonNavButton(lesson.slug, "prev", disabled=position == 1))
        view.add_item(LessonDoneButton(lesson.slug, done=done))
        view.add_item(LessonNavButton(lesson.slug, "next", disabled=position == total))
        return embed, view

    async def reply_lesson(self, interaction: discord.Interaction, slug: str, *, page: int = 0, replace: bool) -> None:
        """Show a lesson to the clicker only: in place when the clicked message is theirs alone
        (`replace` and ephemeral), otherwise as a new ephemeral message, so a public post never changes."""
        lesson = await self.store.get(slug)
        if lesson is None:
            raise UserError("That lesson is no longer in the course. `/lesson list` shows what there is.")
        done = await self.store.is_done(guild_id_of(interaction), interaction.user.id, slug)
        embed, view = await self.lesson_message(lesson, page, done=done)
        message = interaction.message
        if replace and message is not None and message.flags.ephemeral:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    async def outline_message(
        self, interaction: discord.Interaction, module: str | None, module_index: int, page: int
    ) -> tuple[discord.Embed, discord.ui.View]:
        """One page of the outline; `module_index` is the module's place in the course from 1 (0: all)."""
        entries = await self.store.outline(guild_id_of(interaction), interaction.user.id, module)
        if not entries:
            raise UserError("The course has no lessons yet." if module is None else f"No module called {module!r}.")
        shown = outline_page(entries, page)
        done = sum(entry.done for entry in entries)
        title = "Course outline" if module is None else module
        embed = discord.Embed(title=title, description=shown.text, colour=LESSON_COLOUR)
        embed.set_footer(
            text=f"Page {shown.page + 1} of {shown.pages} · {done} of {len(entries)} done · open one with /lesson show"
        )
        view = CourseView(timeout=None)
        if shown.pages > 1:
            view.add_item(OutlinePageButton(module_index, max(0, shown.page - 1), "p", disabled=shown.page == 0))
            view.add_item(
                OutlinePageButton(
                    module_index, min(shown.pages - 1, shown.page + 1), "n", disabled=shown.page == shown.pages - 1
                )
            )
        return embed, view

    async def resolve(self, topic: str) -> Lesson:
        """The lesson a learner meant: a slug from autocomplete, an exact name, or the best fuzzy match."""
        store = self.store
        lesson = await store.find(topic)
        if lesson is None:
            best = await store.suggest(topic, 1)
            lesson = await store.get(best[0].slug) if best else None
        if lesson is None:
            raise UserError(
                f"I couldn't find a lesson about “{escape(topic[:100])}”. Try `/lesson search` with other "
                "words, or `/lesson list` for the whole course."
            )
        return lesson

    async def named_lesson(self, topic: str) -> Lesson:
        """The lesson a moderator picked (slug from autocomplete, or exact title or alias); no guessing."""
        lesson = await self.store.find(topic)
        if lesson is None:
            raise UserError(f"There is no lesson “{escape(topic[:100])}”. Pick one from the list as you type.")
        return lesson

    async def log_action(self, interaction: discord.Interaction, text: str) -> None:
        """`@moderator <text>` in #mod-log."""
        assert interaction.guild is not None  # the /lessons commands are guild_only
        await mod_log(self.bot, interaction.guild, f"{interaction.user.mention} {text}")

    # -- learner commands ------------------------------------------------------------------------------

    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        refs = await self.store.suggest(current, 25)
        return [app_commands.Choice(name=choice_name(ref), value=ref.slug) for ref in refs]

    async def module_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.casefold().strip()
        modules = await self.store.modules()
        return [app_commands.Choice(name=m[:100], value=m[:100]) for m in modules if needle in m.casefold()][:25]

    @lesson.command(name="show", description="Post a lesson in this channel")
    @app_commands.describe(topic="Start typing a topic; spelling mistakes are fine", private="Show it only to you")
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def show(
        self, interaction: discord.Interaction, topic: app_commands.Range[str, 1, 100], private: bool = False
    ) -> None:
        lesson = await self.resolve(topic)
        await self.post_lesson(interaction, lesson, private=private)

    @lesson.command(name="random", description="Post a lesson you have not read yet, picked at random")
    @app_commands.describe(private="Show it only to you")
    async def random(self, interaction: discord.Interaction, private: bool = False) -> None:
        lesson = await self.store.random(guild_id_of(interaction), interaction.user.id)
        if lesson is None:
            raise UserError("The course has no lessons yet.")
        await self.post_lesson(interaction, lesson, private=private)

    async def post_lesson(self, interaction: discord.Interaction, lesson: Lesson, *, private: bool) -> None:
        """Post publicly (one per learner per channel per cooldown) or privately (any time)."""
        key = (interaction.channel_id, interaction.user.id)
        if not private:
            retry_at = self.cooldown.try_use(key)
            if retry_at is not None:
                wait = (retry_at - discord.utils.utcnow()).total_seconds()
                raise UserError(
                    f"You posted a lesson in this channel a moment ago. You can post another in "
                    f"{describe_wait(wait)} ({discord.utils.format_dt(retry_at, 'T')}), or add `private: True` "
                    "to read it just for you now."
                )
        # A public post shows "Mark as done" to everyone, whatever the poster has done.
        done = private and await self.store.is_done(guild_id_of(interaction), interaction.user.id, lesson.slug)
        embed, view = await self.lesson_message(lesson, done=done)
        try:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=private)
        except discord.HTTPException:
            self.cooldown.reset(key)
            raise

    @lesson.command(name="search", description="Search every lesson for words or a question")
    @app_commands.describe(query="What you want to know, in plain words")
    async def search(self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200]) -> None:
        store = self.store
        hits = await store.search(query, SEARCH_RESULTS)
        if not hits:
            guesses = await store.suggest(query, 3)
            if guesses:
                names = ", ".join(f"**{escape(ref.title)}** (`{ref.slug}`)" for ref in guesses)
                text = f"No lesson matches “{escape(query)}”. Did you mean {names}?"
                view = CourseView(timeout=None)
                for ref in guesses:
                    view.add_item(LessonOpenButton(ref.slug, label=ref.title))
                await interaction.response.send_message(text, view=view, ephemeral=True)
            else:
                await interaction.response.send_message(
                    f"No lesson matches “{escape(query)}”. Try fewer or different words, or browse `/lesson list`.",
                    ephemeral=True,
                )
            return
        embed = discord.Embed(title=f"Lessons about “{query[:200]}”", colour=LESSON_COLOUR)
        view = CourseView(timeout=None)
        for number, hit in enumerate(hits, start=1):
            embed.add_field(
                name=f"{number}. {hit.ref.title}"[:256],
                value=f"*{escape(hit.ref.module)}* · `{hit.ref.slug}`\n{hit.excerpt}"[:1024],
                inline=False,
            )
            view.add_item(LessonOpenButton(hit.ref.slug, label=f"Open {number}"))
        embed.set_footer(text="Best match first · open one below, or use /lesson show")
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @lesson.command(name="list", description="The course outline, with the lessons you have done ticked")
    @app_commands.describe(module="Only this module")
    @app_commands.autocomplete(module=module_autocomplete)
    async def outline(self, interaction: discord.Interaction, module: str | None = None) -> None:
        index = 0  # the whole course
        if module is not None:
            modules = await self.store.modules()
            wanted = module.casefold().strip()
            index = next((i for i, m in enumerate(modules, start=1) if m.casefold() == wanted), 0)
            if not index:
                raise UserError(
                    f"There is no module called “{escape(module)}”. Modules: "
                    + ", ".join(f"**{escape(m)}**" for m in modules)
                )
            module = modules[index - 1]
        embed, view = await self.outline_message(interaction, module, index, 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @app_commands.command(name="progress", description="How much of the course you have done, and what to read next")
    @app_commands.guild_only()
    async def progress(self, interaction: discord.Interaction) -> None:
        result = await self.store.progress(guild_id_of(interaction), interaction.user.id)
        if not result.total:
            raise UserError("The course has no lessons yet.")
        embed = discord.Embed(
            title="Your progress",
            description=f"{progress_bar(result.done, result.total)} **{result.done} of {result.total}** lessons "
            f"done ({result.percent}%)",
            colour=LESSON_COLOUR,
        )
        for module in result.modules:
            mark = " ✅" if module.done == module.total else ""
            embed.add_field(
                name=module.module[:256],
                value=f"{progress_bar(module.done, module.total, 6)} {module.done}/{module.total}{mark}",
                inline=False,
            )
        view = CourseView(timeout=None)
        if result.next_lesson is not None:
            embed.add_field(
                name="Next up",
                value=f"**{escape(result.next_lesson.title)}** · `/lesson show topic:{result.next_lesson.slug}`",
                inline=False,
            )
            view.add_item(LessonOpenButton(result.next_lesson.slug, label="Read next"))
        else:
            embed.add_field(name="Next up", value="You have done every lesson. Well done! 🎉", inline=False)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    async def mark_done(self, interaction: discord.Interaction, slug: str) -> None:
        store = self.store
        lesson = await store.get(slug)
        if lesson is None:
            raise UserError("That lesson is no longer in the course, so it can't be marked as done.")
        newly = await store.mark_done(guild_id_of(interaction), interaction.user.id, slug)
        result = await store.progress(guild_id_of(interaction), interaction.user.id)
        first = (
            f"✅ Marked **{escape(lesson.title)}** as done."
            if newly
            else (f"You had already marked **{escape(lesson.title)}** as done.")
        )
        lines = [first, f"{progress_bar(result.done, result.total)} {result.done} of {result.total} lessons done."]
        view = CourseView(timeout=None)
        if result.next_lesson is not None:
            lines.append(f"Next up: **{escape(result.next_lesson.title)}**")
            view.add_item(LessonOpenButton(result.next_lesson.slug, label="Read next"))
        else:
            lines.append("That was the last one: you have finished the course! 🎉")
        await interaction.response.send_message("\n".join(lines), view=view, ephemeral=True)

    # -- moderator commands ------------------------------------------------------------------------------

    @manage.command(name="add", description="Write a new lesson (opens a form)")
    @require(Role.MODERATOR)
    async def add(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LessonModal())

    @manage.command(name="edit", description="Change a lesson's title, module, text, tags or source")
    @app_commands.describe(topic="The lesson to edit")
    @app_commands.autocomplete(topic=topic_autocomplete)
    @require(Role.MODERATOR)
    async def edit(self, interaction: discord.Interaction, topic: str) -> None:
        lesson = await self.named_lesson(topic)
        if len(lesson.body) > MODAL_BODY_MAX:
            raise UserError(
                f"**{escape(lesson.title)}** is {len(lesson.body)} characters long; a Discord form holds "
                f"{MODAL_BODY_MAX}. Edit its file instead and run `/lessons reload`."
            )
        values = {
            "title": lesson.title,
            "module": lesson.module,
            "body": lesson.body,
            "tags": ", ".join(lesson.tags),
            "source": lesson.source,
        }
        await interaction.response.send_modal(LessonModal(slug=lesson.slug, values=values))

    async def save_from_modal(self, interaction: discord.Interaction, slug: str | None, values: dict[str, str]) -> None:
        """Check the form's lesson; save it, or explain the problems and offer the filled form again."""
        store = self.store
        title, module = values["title"].strip(), values["module"].strip()
        tags = tuple(dict.fromkeys(t.strip() for t in values["tags"].split(",") if t.strip()))
        source = values["source"].strip() or f"Course team ({interaction.user.display_name}), written in Discord"
        body = normalize_body(values["body"])
        existing = await store.get(slug) if slug is not None else None
        if slug is not None and existing is None:
            raise UserError("That lesson was removed while you were editing it. Use `/lessons add` to add it again.")
        if existing is None:
            new_slug = await store.free_slug(slugify(title))
            lesson = Lesson(new_slug, title, module, await store.next_order(module), body, source, tags=tags)
        else:  # the form does not hold aliases, summary or related lessons: those stay as they were
            order = existing.order if existing.module == module else await store.next_order(module)
            lesson = replace(existing, title=title, module=module, order=order, body=body, source=source, tags=tags)
        problems = lesson_problems(lesson, related=await store.refs(lesson.related))
        if problems:
            text = "\n".join(f"• {message}" for _, message in problems[:10])
            await interaction.response.send_message(
                f"The lesson was not saved:\n{text}", view=RetryModalView(slug, values), ephemeral=True
            )
            return
        if existing is None:
            await store.add(lesson)
            verb = "added"
        else:
            await store.update(lesson)
            verb = "edited"
        embed, view = await self.lesson_message(lesson)
        await interaction.response.send_message(
            f"Lesson {verb}: **{escape(lesson.title)}** (`{lesson.slug}`). This is how learners see it:",
            embed=embed,
            view=view,
            ephemeral=True,
        )
        await self.log_action(interaction, f"{verb} lesson **{escape(lesson.title)}** (`{lesson.slug}`).")

    @manage.command(name="remove", description="Remove a lesson from the course (asks first)")
    @app_commands.describe(topic="The lesson to remove")
    @app_commands.autocomplete(topic=topic_autocomplete)
    @require(Role.MODERATOR)
    async def remove(self, interaction: discord.Interaction, topic: str) -> None:
        lesson = await self.named_lesson(topic)
        view = CourseView(timeout=None)
        view.add_item(RemoveLessonButton(lesson.slug, "yes"))
        view.add_item(RemoveLessonButton(lesson.slug, "no"))
        await interaction.response.send_message(
            f"Remove **{escape(lesson.title)}** (`{lesson.slug}`) from the course? Learners' progress on it goes "
            "too. If it comes from a lesson file, also delete the file, or `/lessons reload` brings it back.",
            view=view,
            ephemeral=True,
        )

    async def confirm_remove(self, interaction: discord.Interaction, slug: str, confirmed: bool) -> None:
        if not confirmed:
            await interaction.response.edit_message(content="Kept: nothing was removed.", view=None)
            return
        lesson = await self.store.get(slug)
        if lesson is None or not await self.store.remove(slug):
            await interaction.response.edit_message(content="That lesson was already removed.", view=None)
            return
        await interaction.response.edit_message(content=f"Removed **{escape(lesson.title)}** (`{slug}`).", view=None)
        await self.log_action(interaction, f"removed lesson **{escape(lesson.title)}** (`{slug}`).")

    @manage.command(name="reload", description="Load the lesson files again (checked first)")
    @app_commands.describe(remove_missing="Also remove lessons that are not in the files (default: keep them)")
    @require(Role.MODERATOR)
    async def reload(self, interaction: discord.Interaction, remove_missing: bool = False) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        directory = self.bot.settings.lessons_dir
        folder = await asyncio.to_thread(load_folder, directory)
        if folder.problems:
            shown = "\n".join(f"• `{p}`" for p in folder.problems[:10])
            more = f"\n… and {len(folder.problems) - 10} more." if len(folder.problems) > 10 else ""
            await interaction.followup.send(
                f"Nothing was changed: the lesson files have {len(folder.problems)} problem(s).\n{shown}{more}\n"
                "Fix them (`coursebot lessons validate` lists them all) and reload again.",
                ephemeral=True,
            )
            return
        summary = await self.store.import_lessons(folder.lessons, remove_missing=remove_missing)
        await interaction.followup.send(f"Reloaded: {summary.describe()}.", ephemeral=True)
        await self.log_action(interaction, f"reloaded the lessons: {summary.describe()}.")

    @manage.command(name="export", description="Download the course as a zip of lesson files")
    @require(Role.MODERATOR)
    async def export(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        lessons = await self.store.all_lessons()
        if not lessons:
            raise UserError("The course has no lessons to export.")
        data = await asyncio.to_thread(export_zip, lessons)
        name = f"lessons-{discord.utils.utcnow():%Y-%m-%d}.zip"
        await interaction.followup.send(
            f"The course: {len(lessons)} lessons as Markdown files (load them with `coursebot lessons import`).",
            file=discord.File(io.BytesIO(data), filename=name),
            ephemeral=True,
        )
        await self.log_action(interaction, f"exported the lessons ({len(lessons)}).")


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(LessonsCog(bot))
