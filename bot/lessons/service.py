"""The lessons' use cases: read, search, list, track progress, and moderators' edits. No Discord here.

Adapters (cogs/lessons/) parse what was typed or clicked, call one method and render what it returns.
Refusals are `UserError`s whose message is shown as is. Implements `bot.core.ports.LessonCatalog` (for
stories) and `bot.core.lifecycle.DataOwner` (for the privacy feature).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from importlib.resources.abc import Traversable
from pathlib import Path

from bot.core import ports
from bot.core.clock import Clock
from bot.core.errors import Conflict, NotFound, UserError
from bot.core.lifecycle import Forgotten
from bot.core.resources import shipped_path
from bot.core.text import clean_input, plural, quote_inline
from bot.lessons.archive import export_zip
from bot.lessons.card import bold, build_card, lesson_card, outline_card, progress_card, search_card
from bot.lessons.cooldown import Cooldown
from bot.lessons.model import (
    DoneState,
    Export,
    ImportSummary,
    Lesson,
    LessonRef,
    LessonView,
    OutlineView,
    ProgressView,
    Reloaded,
    SavedLesson,
    SearchResult,
)
from bot.lessons.outline import outline_page, progress_bar
from bot.lessons.rules import (
    POST_COOLDOWN,
    cooldown_refusal,
    form_lesson,
    form_too_long,
    form_values,
    lesson_problems,
    parse_form,
)
from bot.lessons.store import LessonStorage
from bot.lessons.text import slugify
from bot.lessons.validation import CourseFolder, load_folder

log = logging.getLogger("coursebot.lessons")

SEARCH_RESULTS = 5
SUGGESTIONS = 3
PROBLEMS_SHOWN = 10
ECHO = 100
"""Characters of a typed topic, query or module echoed back in a reply."""

NO_LESSONS = "The course has no lessons yet."


def _more(problems: Sequence[str]) -> str:
    shown = "\n".join(f"• {problem}" for problem in problems[:PROBLEMS_SHOWN])
    rest = len(problems) - PROBLEMS_SHOWN
    return shown + (f"\n… and {rest} more." if rest > 0 else "")


class LessonService:
    """Everything learners and moderators do with lessons, on one store and one clock."""

    feature = "lessons"

    def __init__(
        self,
        store: LessonStorage,
        clock: Clock,
        *,
        lessons_dir: Path | None = None,
        post_cooldown: timedelta = POST_COOLDOWN,
    ) -> None:
        self.store = store
        self.clock = clock
        self.lessons_dir = lessons_dir
        self.cooldown = Cooldown(post_cooldown, clock)

    # -- the course files -------------------------------------------------------------------------

    @property
    def course_source(self) -> Path | Traversable:
        """Where the lesson files are: LESSONS_DIR, or the starter course shipped with coursebot."""
        return self.lessons_dir if self.lessons_dir is not None else shipped_path("lessons")

    async def read_course(self, directory: Path | Traversable | None = None) -> CourseFolder:
        return await asyncio.to_thread(load_folder, directory if directory is not None else self.course_source)

    async def load_if_empty(self) -> ImportSummary | None:
        """At start: load the lesson files into an empty database (a fresh install); None if it had lessons."""
        if await self.store.count():
            return None
        folder = await self.read_course()
        for problem in folder.problems:
            log.warning("lesson file problem: %s", problem)
        if not folder.lessons:
            return None
        summary = await self.store.import_lessons(folder.lessons)
        log.info("loaded the course from %s: %s", self.course_source, summary.describe())
        return summary

    async def import_folder(self, folder: CourseFolder, *, remove_missing: bool = False) -> ImportSummary:
        return await self.store.import_lessons(folder.lessons, remove_missing=remove_missing)

    # -- finding one lesson ---------------------------------------------------------------------

    async def resolve(self, topic: str) -> Lesson:
        """The lesson a learner meant: a slug from autocomplete, an exact name, or the best fuzzy match."""
        topic = clean_input(topic, "the topic")
        lesson = await self.store.find(topic)
        if lesson is None:
            best = await self.store.suggest(topic, 1)
            lesson = await self.store.get(best[0].slug) if best else None
        if lesson is None:
            raise NotFound(
                f"I couldn't find a lesson about “{quote_inline(topic, ECHO)}”. Try `/lesson search` with other "
                "words, or `/lesson list` for the whole course."
            )
        return lesson

    async def named(self, topic: str) -> Lesson:
        """The lesson a moderator picked (slug from autocomplete, or exact title or alias); no guessing."""
        lesson = await self.store.find(clean_input(topic, "the topic"))
        if lesson is None:
            raise NotFound(f"There is no lesson “{quote_inline(topic, ECHO)}”. Pick one from the list as you type.")
        return lesson

    async def existing(self, slug: str, why: str = "") -> Lesson:
        lesson = await self.store.get(slug)
        if lesson is None:
            raise NotFound(f"That lesson is no longer in the course{why}. `/lesson list` shows what there is.")
        return lesson

    async def suggest(self, query: str, limit: int) -> list[LessonRef]:
        """Autocomplete: lessons whose names look like what was typed (typos forgiven), best first."""
        return await self.store.suggest(query, limit)

    async def module_choices(self, typed: str, limit: int) -> list[str]:
        needle = typed.casefold().strip()
        return [module for module in await self.store.modules() if needle in module.casefold()][:limit]

    # -- showing lessons --------------------------------------------------------------------------

    async def view(self, lesson: Lesson, page: int = 0, *, done: bool = False) -> LessonView:
        """One page of a lesson as a card, with what its buttons need."""
        related = await self.store.refs(lesson.related)
        position, total = await self.store.position(lesson.slug) or (None, None)
        page_card = build_card(lesson, page, related=related, position=position, total=total)
        return LessonView(lesson_card(page_card), lesson.slug, page_card.page, page_card.pages, position, total, done)

    async def private_view(self, guild_id: int, user_id: int, slug: str, page: int = 0) -> LessonView:
        """A lesson for one learner only (their done mark shown)."""
        lesson = await self.existing(slug)
        return await self.view(lesson, page, done=await self.store.is_done(guild_id, user_id, slug))

    async def neighbour_view(self, guild_id: int, user_id: int, slug: str, step: int) -> LessonView:
        target = await self.store.neighbour(slug, step)
        if target is None:
            where = "first" if step < 0 else "last"
            raise NotFound(f"This is the {where} lesson of the course (or it was removed).")
        return await self.private_view(guild_id, user_id, target.slug)

    async def show(self, guild_id: int, channel_id: int, user_id: int, lesson: Lesson, *, private: bool) -> LessonView:
        """A lesson to post: privately any time, publicly once per learner per channel per cooldown.

        A public post shows "Mark as done" to everyone, whatever the poster has done. If the post then
        fails, `release_post` gives the use back."""
        if not private:
            retry_at = self.cooldown.try_use((guild_id, channel_id, user_id))
            if retry_at is not None:
                raise UserError(cooldown_refusal(self.clock.now(), retry_at))
        done = private and await self.store.is_done(guild_id, user_id, lesson.slug)
        return await self.view(lesson, done=done)

    def release_post(self, guild_id: int, channel_id: int, user_id: int) -> None:
        self.cooldown.reset((guild_id, channel_id, user_id))

    async def random(self, guild_id: int, user_id: int) -> Lesson:
        lesson = await self.store.random(guild_id, user_id)
        if lesson is None:
            raise NotFound(NO_LESSONS)
        return lesson

    # -- search, outline, progress ----------------------------------------------------------------

    async def search(self, query: str) -> SearchResult:
        query = clean_input(query, "your search")
        echo = quote_inline(query, ECHO)
        hits = await self.store.search(query, SEARCH_RESULTS)
        if hits:
            return SearchResult(search_card(echo, hits), tuple(hits))
        guesses = await self.store.suggest(query, SUGGESTIONS)
        if guesses:
            names = ", ".join(f"{bold(ref.title)} (`{ref.slug}`)" for ref in guesses)
            return SearchResult(None, text=f"No lesson matches “{echo}”. Did you mean {names}?", guesses=tuple(guesses))
        return SearchResult(
            None, text=f"No lesson matches “{echo}”. Try fewer or different words, or browse `/lesson list`."
        )

    async def module_index(self, module: str | None) -> tuple[str | None, int]:
        """(the module's name as the course spells it, its place from 1), or (None, 0) for the whole course."""
        if module is None:
            return None, 0
        modules = await self.store.modules()
        wanted = clean_input(module, "the module").casefold()
        index = next((i for i, name in enumerate(modules, start=1) if name.casefold() == wanted), 0)
        if not index:
            listed = ", ".join(bold(name) for name in modules)
            raise NotFound(f"There is no module called “{quote_inline(module, ECHO)}”. Modules: {listed}")
        return modules[index - 1], index

    async def outline(self, guild_id: int, user_id: int, module_index: int, page: int) -> OutlineView:
        """A page of the outline of module number `module_index` (from 1; 0 or unknown: the whole course)."""
        modules = await self.store.modules()
        index = module_index if 0 < module_index <= len(modules) else 0
        module = modules[index - 1] if index else None
        entries = await self.store.outline(guild_id, user_id, module)
        if not entries:
            raise NotFound(NO_LESSONS)
        shown = outline_page(entries, page)
        card = outline_card(module, shown, sum(entry.done for entry in entries), len(entries))
        return OutlineView(card, index, shown.page, shown.pages)

    async def outline_of(self, guild_id: int, user_id: int, module: str | None) -> OutlineView:
        """The first page of `/lesson list [module:]`."""
        _, index = await self.module_index(module)
        return await self.outline(guild_id, user_id, index, 0)

    async def progress(self, guild_id: int, user_id: int) -> ProgressView:
        result = await self.store.progress(guild_id, user_id)
        if not result.total:
            raise NotFound(NO_LESSONS)
        return ProgressView(progress_card(result), result.next_lesson)

    async def set_done(self, guild_id: int, user_id: int, slug: str, done: bool) -> DoneState:
        """Mark a lesson as done or not done (one conditional write: of two presses one changes it)."""
        lesson = await self.existing(slug, ", so it can't be marked")
        title = bold(lesson.title)
        if done:
            changed = await self.store.mark_done(guild_id, user_id, slug)
            first = f"✅ Marked {title} as done." if changed else f"You had already marked {title} as done."
        else:
            changed = await self.store.unmark_done(guild_id, user_id, slug)
            first = f"Marked {title} as not done." if changed else f"{title} was not marked as done."
        result = await self.store.progress(guild_id, user_id)
        lines = [first, f"{progress_bar(result.done, result.total)} {result.done} of {result.total} lessons done."]
        if result.next_lesson is not None:
            lines.append(f"Next up: {bold(result.next_lesson.title)}")
        else:
            lines.append("That was the last one: you have finished the course! 🎉")
        return DoneState(slug, done, "\n".join(lines), result.next_lesson)

    # -- moderators -----------------------------------------------------------------------------

    async def edit_form(self, topic: str) -> tuple[str, dict[str, str]]:
        """(slug, the form's fields) for `/lessons edit`; refused when the body is too long for a form."""
        lesson = await self.named(topic)
        reason = form_too_long(lesson)
        if reason is not None:
            raise UserError(f"{bold(lesson.title)} can't be edited here: {reason}")
        return lesson.slug, form_values(lesson)

    async def save_form(self, slug: str | None, values: Mapping[str, str], *, editor: str) -> SavedLesson:
        """Check the form's lesson and save it (added when `slug` is None, else edited), or say what is wrong."""
        form = parse_form(values)
        existing = await self.store.get(slug) if slug is not None else None
        if slug is not None and existing is None:
            raise Conflict("That lesson was removed while you were editing it. Use `/lessons add` to add it again.")
        order = await self.store.next_order(form.module)
        new_slug = existing.slug if existing is not None else await self.store.free_slug(slugify(form.title))
        lesson = form_lesson(form, existing=existing, slug=new_slug, order=order, editor=editor)
        problems = lesson_problems(lesson, related=await self.store.refs(lesson.related))
        if problems:
            return SavedLesson(None, problems=tuple(message for _, message in problems))
        if existing is None:
            try:
                await self.store.add(lesson)
            except ValueError:
                raise Conflict("Someone added a lesson with that title a moment ago; please try again.") from None
            verb = "added"
        else:
            if not await self.store.update(lesson):
                raise Conflict("That lesson was removed while you were editing it. Use `/lessons add` to add it again.")
            verb = "edited"
        return SavedLesson(lesson, verb, named=f"{bold(lesson.title)} (`{lesson.slug}`)")

    @staticmethod
    def form_problems_text(problems: Sequence[str]) -> str:
        return f"The lesson was not saved ({plural(len(problems), 'problem')}):\n{_more(problems)}"

    async def removal_question(self, topic: str) -> tuple[Lesson, str]:
        lesson = await self.named(topic)
        return lesson, (
            f"Remove {bold(lesson.title)} (`{lesson.slug}`) from the course? Learners' progress on it goes "
            "too. If it comes from a lesson file, also delete the file, or `/lessons reload` brings it back."
        )

    async def remove(self, slug: str) -> tuple[str, str]:
        """Remove a lesson: (reply, mod-log line). Of two confirmations, the second is told it was done."""
        lesson = await self.store.get(slug)
        if lesson is None or not await self.store.remove(slug):
            raise Conflict("That lesson was already removed.")
        named = f"{bold(lesson.title)} (`{slug}`)"
        return f"Removed {named}.", f"removed lesson {named}."

    async def reload(self, *, remove_missing: bool = False, directory: Path | None = None) -> Reloaded:
        """Load the lesson files again, only if every file is fine."""
        folder = await self.read_course(directory)
        if folder.problems:
            count = len(folder.problems)
            shown = _more([f"`{problem}`" for problem in map(str, folder.problems)])
            return Reloaded(
                None,
                f"Nothing was changed: the lesson files have {plural(count, 'problem')}.\n{shown}\n"
                "Fix them (`coursebot lessons validate` lists them all) and reload again.",
            )
        summary = await self.import_folder(folder, remove_missing=remove_missing)
        return Reloaded(summary, f"Reloaded: {summary.describe()}.", log=f"reloaded the lessons: {summary.describe()}.")

    async def export(self) -> Export:
        lessons = await self.store.all_lessons()
        if not lessons:
            raise NotFound("The course has no lessons to export.")
        data = await asyncio.to_thread(export_zip, lessons)
        count = len(lessons)
        return Export(
            f"lessons-{self.clock.now():%Y-%m-%d}.zip",
            data,
            f"The course: {plural(count, 'lesson')} as Markdown files (load them with `coursebot lessons import`).",
            f"exported the lessons ({count}).",
        )

    # -- LessonCatalog (for stories) ----------------------------------------------------------------

    async def lesson_ref(self, slug: str) -> ports.LessonRef | None:
        lesson = await self.store.get(slug)
        return ports.LessonRef(lesson.slug, lesson.title) if lesson is not None else None

    async def suggest_refs(self, query: str, limit: int) -> list[ports.LessonRef]:
        return [ports.LessonRef(ref.slug, ref.title) for ref in await self.store.suggest(query, limit)]

    # -- DataOwner (for privacy) --------------------------------------------------------------------

    def stored_data(self) -> str:
        return (
            "Lessons: which lessons each member marked as done in this server (and when), kept until they ask "
            "to be forgotten or the server is left; for a minute after a public lesson post, that they posted one."
        )

    async def forget_member(self, guild_id: int | None, user_id: int) -> Forgotten:
        rows = await self.store.forget_progress(guild_id, user_id)
        # Cooldown keys are (guild, channel, member).
        self.cooldown.forget(lambda key: key[-1] == user_id and guild_id in (None, key[0]))
        return Forgotten(self.feature, rows)

    async def forget_guild(self, guild_id: int) -> Forgotten:
        rows = await self.store.forget_guild(guild_id)
        self.cooldown.forget(lambda key: key[0] == guild_id)
        return Forgotten(self.feature, rows)
