"""The use cases of learner stories: share, review (approve, decline, edit and approve), withdraw, read, export,
and forget. Plain values in, outcomes and Cards out; no Discord. Every state change is one conditional update on
the expected status (of two racing actions exactly one wins, the other is told what happened), and its Discord
effects are jobs enqueued in the same transaction (bot.stories.effects), run by the job queue's runner.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Iterable, Mapping
from functools import partial

from bot.core.cards import Card, Tone
from bot.core.clock import Clock
from bot.core.errors import Conflict, NotFound, TryAgainLater, UserError
from bot.core.lifecycle import Forgotten, PostRef
from bot.core.paging import clamp_page, page_count
from bot.core.ports import LessonCatalog, TextScreener
from bot.core.text import neutralise, quote_inline
from bot.stories import cards, effects
from bot.stories.drafts import Draft, DraftKind, Drafts, Rejected, ShareLimit
from bot.stories.export import ExportFormat, render_export
from bot.stories.model import BrowsePage, Export, NewStory, Screening, Shown, Story, StoryStatus, StoryText, Withdrawal
from bot.stories.rules import StoryValidationError, can_withdraw, reply_is_private, validate_reason, validate_story
from bot.stories.store import StoryRecords

log = logging.getLogger(__name__)

BROWSE_PAGE_SIZE = 10
QUEUE_LINES = 20  # a line is up to ~200 characters; 20 fit an embed description
LESSON_CHOICES = 25
ECHO = 100  # how much of what a user typed is echoed back


class StoryService:
    """Learner stories on one store and clock; `screener`, `catalog`: the spam and lessons features (or None)."""

    feature = "stories"

    def __init__(
        self,
        store: StoryRecords,
        clock: Clock,
        *,
        screener: TextScreener | None = None,
        catalog: LessonCatalog | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.screener = screener
        self.catalog = catalog
        self.drafts = Drafts(clock)
        self.share_limit = ShareLimit(clock)

    # -- lessons -------------------------------------------------------------------------------

    async def lesson_choices(self, query: str) -> list[tuple[str, str]]:
        """(label, slug) pairs for a `lesson:` autocomplete, best match first."""
        if self.catalog is None:
            return []
        found = await self.catalog.suggest_refs(query, LESSON_CHOICES)
        return [(ref.title, ref.slug) for ref in found]

    async def lesson_title(self, slug: str | None) -> str | None:
        if not slug or self.catalog is None:
            return None
        ref = await self.catalog.lesson_ref(slug)
        return ref.title if ref is not None else None

    async def lesson_titles(self, stories: Iterable[Story]) -> dict[str, str]:
        slugs = {story.lesson_slug for story in stories if story.lesson_slug}
        titles = {slug: await self.lesson_title(slug) for slug in slugs}
        return {slug: title for slug, title in titles.items() if title}

    async def check_lesson(self, raw: str | None) -> str | None:
        """The lesson slug if it names a lesson; a UserError that says what to do otherwise."""
        if raw is None or not raw.strip():
            return None
        slug = raw.strip()
        if self.catalog is None:
            raise UserError("There are no lessons to link yet: leave the lesson option empty.")
        if await self.catalog.lesson_ref(slug) is None:
            matches = await self.catalog.suggest_refs(slug, 1)
            hint = f" Did you mean “{quote_inline(matches[0].title, ECHO)}”?" if matches else ""
            raise NotFound(
                f"I don't know the lesson “{quote_inline(slug, ECHO)}”.{hint} "
                "Pick one from the list, or leave it empty."
            )
        return slug

    # -- submission ----------------------------------------------------------------------------

    async def open_share(self, guild_id: int, user_id: int, lesson: str | None) -> str | None:
        """A learner opens the share form: within the hourly limit, and with a lesson that exists."""
        slug = await self.check_lesson(lesson)
        self.share_limit.take(guild_id, user_id)
        return slug

    def draft(self, draft_id: int, user_id: int) -> Draft:
        """The draft behind an "Edit and send again" button (a Conflict when it is used or stale)."""
        return self.drafts.usable(draft_id, user_id)

    async def _screen(self, text: StoryText) -> Screening:
        """The spam filter's view of the whole story. A failing filter must not lose the story: it goes to
        review flagged."""
        if self.screener is None:
            return Screening()
        try:
            seen = self.screener.screen_text(text.joined())
        except Exception:
            log.exception("the spam filter failed on a story; sending it to review flagged")
            return Screening(flagged=True, reasons=("the spam filter could not check this story",))
        return Screening(flagged=seen.flagged, score=seen.score, reasons=tuple(seen.reasons))

    async def submit(
        self,
        guild_id: int,
        user_id: int,
        display_name: str,
        fields: Mapping[str, str | None],
        *,
        anonymous: bool,
        lesson_slug: str | None,
        draft_id: int | None = None,
    ) -> Story:
        """Validate, screen and store a story (pending). Rejected leaves nothing stored."""
        draft = self.drafts.claim(draft_id, user_id)
        try:
            text = validate_story(fields)
        except StoryValidationError as error:
            self.drafts.replaced(draft)
            retry = self.drafts.add(DraftKind.SHARE, user_id, fields, lesson_slug=lesson_slug, anonymous=anonymous)
            raise Rejected(error, retry.id) from None
        try:
            story = await self.store.add(
                NewStory(
                    guild_id=guild_id,
                    author_id=user_id,
                    author_name=display_name,
                    text=text,
                    anonymous=anonymous,
                    submitted_at=self.clock.now(),
                    lesson_slug=lesson_slug,
                    screening=await self._screen(text),
                ),
                effects.on_submitted,  # the review post, enqueued with the story
            )
        except TryAgainLater as busy:  # the database is locked, full or read-only: the form comes back filled
            self.drafts.replaced(draft)
            retry = self.drafts.add(DraftKind.SHARE, user_id, fields, lesson_slug=lesson_slug, anonymous=anonymous)
            raise Rejected(busy, retry.id) from None
        except BaseException:
            self.drafts.release(draft)
            raise
        self.drafts.sent(draft, story.number)
        return story

    async def review_cards(self, story: Story) -> list[Card]:
        return cards.review_cards(story, lesson_title=await self.lesson_title(story.lesson_slug))

    async def record_queue_post(self, story_id: int, channel_id: int, message_id: int) -> None:
        await self.store.set_queue_post(story_id, channel_id, message_id)

    # -- review --------------------------------------------------------------------------------

    async def story_in(self, guild_id: int | None, story_id: int) -> Story:
        story = await self.store.get(story_id)
        if story is None or story.guild_id != guild_id:
            raise NotFound("That story no longer exists.")
        return story

    async def pending(self, guild_id: int | None, story_id: int) -> Story:
        """The story if it still waits for review; otherwise a Conflict that says who decided it."""
        story = await self.story_in(guild_id, story_id)
        if story.status is not StoryStatus.PENDING:
            raise Conflict(cards.already_decided(story))
        return story

    def edit_values(self, story: Story) -> dict[str, str | None]:
        text = story.text
        return {"title": text.title, "tried": text.tried, "worked": text.worked, "did_not_work": text.did_not_work}

    def _reject(
        self,
        error: StoryValidationError,
        draft: Draft | None,
        kind: DraftKind,
        user_id: int,
        values: Mapping[str, str | None],
        story: Story,
    ) -> Rejected:
        """The form goes back to the moderator: a new draft replaces the one just sent."""
        self.drafts.replaced(draft)
        retry = self.drafts.add(kind, user_id, values, story_id=story.id, story_number=story.number)
        return Rejected(error, retry.id)

    def check_edit(
        self, story: Story, moderator_id: int, fields: Mapping[str, str | None], draft_id: int | None
    ) -> StoryText:
        """The moderator's edited text, or Rejected (with a draft that reopens the edit form)."""
        draft = self.drafts.claim(draft_id, moderator_id)
        try:
            text = validate_story(fields)
        except StoryValidationError as error:
            raise self._reject(error, draft, DraftKind.EDIT, moderator_id, fields, story) from None
        self.drafts.sent(draft, story.number)
        return text

    async def approve(
        self, story: Story, moderator_id: int, text: StoryText | None = None, moderator_name: str = "a moderator"
    ) -> Story:
        """Publish a pending story (with the moderator's edits); a Conflict when someone got there first.
        Its post and #mod-log line are jobs enqueued with the decision; the post's job calls `published()`."""
        jobs = partial(effects.on_decided, moderator_name=moderator_name, moderator_id=moderator_id)
        decision = await self.store.approve(story.id, moderator_id, self.clock.now(), text, jobs)
        if not decision.done:
            raise Conflict(cards.already_decided(decision.story))
        return decision.story

    async def public_cards(self, story: Story) -> list[Card]:
        return cards.public_cards(story, lesson_title=await self.lesson_title(story.lesson_slug))

    async def published(self, story: Story, channel_id: int, message_id: int, thread_id: int | None) -> Story | None:
        """Record the public post (the author's DM is enqueued with it); None when the author withdrew the
        story while it was being posted (the adapter then takes the post down again)."""
        kept = await self.store.set_published_post(
            story.id, channel_id, message_id, thread_id, effects.on_posted, self.clock.now()
        )
        return await self.store.get(story.id) if kept else None

    async def thread_opened(self, story: Story, thread_id: int) -> bool:
        """Record the discussion thread; False when the story was withdrawn meanwhile."""
        return await self.store.set_thread(story.id, thread_id)

    def check_reason(self, story: Story, moderator_id: int, raw_reason: str | None, draft_id: int | None) -> str:
        """The moderator's decline reason, or Rejected (with a draft that reopens the reason form)."""
        draft = self.drafts.claim(draft_id, moderator_id)
        try:
            reason = validate_reason(raw_reason)
        except StoryValidationError as error:
            raise self._reject(error, draft, DraftKind.DECLINE, moderator_id, {"reason": raw_reason}, story) from None
        self.drafts.sent(draft, story.number)
        return reason

    async def decline(self, story: Story, moderator_id: int, reason: str, moderator_name: str = "a moderator") -> Story:
        """Decline a pending story with a reason the author is told (a DM job, enqueued with the decision, as is
        the #mod-log line); Conflict when someone got there first."""
        jobs = partial(effects.on_decided, moderator_name=moderator_name, moderator_id=moderator_id)
        decision = await self.store.decline(story.id, moderator_id, self.clock.now(), reason, jobs)
        if not decision.done:
            raise Conflict(cards.already_decided(decision.story))
        return decision.story

    async def current(self, story: Story) -> Story:
        return await self.store.get(story.id) or story

    # -- withdrawal ----------------------------------------------------------------------------

    async def withdrawable(self, guild_id: int, user_id: int, number: int) -> Story:
        """The author's story that can be withdrawn, or a UserError that says why not."""
        story = await self.store.by_number(guild_id, number)
        if story is None or story.author_id != user_id:
            raise NotFound(f"You have no story #{number}. `/story mine` lists yours.")
        if not can_withdraw(story):
            raise Conflict(f"Story #{number} is {story.status.label}; there is nothing to withdraw.")
        return story

    async def withdraw(self, guild_id: int, user_id: int, number: int) -> Withdrawal:
        """Withdraw one of the author's own stories (its text is erased); taking its post down and the #mod-log
        line are jobs enqueued with it."""
        story = await self.withdrawable(guild_id, user_id, number)
        decision = await self.store.withdraw(story.id, user_id, self.clock.now(), effects.on_withdrawn)
        if not decision.done:
            now = decision.story
            raise Conflict(
                f"{cards.already_decided(now)} Story #{number} is {now.status.label}; nothing was withdrawn."
            )
        was_published = story.status is StoryStatus.PUBLISHED
        withdrawn = decision.story
        post = None
        if withdrawn.post_channel_id is not None and withdrawn.post_message_id is not None:
            post = PostRef(withdrawn.post_channel_id, withdrawn.post_message_id, withdrawn.thread_id)
        return Withdrawal(withdrawn, was_published or post is not None, post)

    # -- reading -------------------------------------------------------------------------------

    async def mine(self, guild_id: int, user_id: int) -> Card:
        stories = await self.store.by_author(guild_id, user_id)
        return cards.list_card(
            "Your stories",
            stories,
            for_author=True,
            empty="You have not shared a story yet. `/story share` opens the form.",
            footer="/story show number:N reads one · /story withdraw number:N takes one back",
        )

    async def open_story_choices(self, guild_id: int, user_id: int, typed: str) -> list[tuple[str, int]]:
        """(label, number) of the author's stories that can be withdrawn, for autocomplete."""
        typed = typed.strip().lstrip("#")
        return [
            (f"#{s.number} {s.title} ({s.status.label})", s.number)
            for s in await self.store.by_author(guild_id, user_id)
            if can_withdraw(s) and (not typed or str(s.number).startswith(typed) or typed.lower() in s.title.lower())
        ]

    async def browse(
        self,
        guild_id: int,
        page: int,
        *,
        lesson_slug: str | None = None,
        author_id: int | None = None,
        author_name: str | None = None,
    ) -> BrowsePage:
        heading = "Published stories"
        if lesson_slug:
            heading += f" on {await self.lesson_title(lesson_slug) or lesson_slug}"
        if author_name is not None:
            heading += f" by {author_name}"
        total = await self.store.count_published(guild_id, lesson_slug=lesson_slug, author_id=author_id)
        count = page_count(total, BROWSE_PAGE_SIZE)
        index = clamp_page(page, total, BROWSE_PAGE_SIZE)
        shown = await self.store.published(
            guild_id,
            lesson_slug=lesson_slug,
            author_id=author_id,
            offset=index * BROWSE_PAGE_SIZE,
            limit=BROWSE_PAGE_SIZE,
        )
        card = cards.list_card(
            neutralise(heading),
            shown,
            lesson_titles=await self.lesson_titles(shown),
            empty="No published stories here yet. `/story share` adds yours!",
            footer=f"Page {index + 1} of {count} · {cards.story_count(total)} · /story show number:N reads one",
        )
        return BrowsePage(card, index, count)

    async def _public(self, story: Story, viewer_id: int) -> Shown:
        return Shown(await self.public_cards(story), ephemeral=reply_is_private(story, viewer_id))

    async def show(self, guild_id: int, viewer_id: int, number: int, *, is_moderator: bool) -> Shown:
        story = await self.store.by_number(guild_id, number)
        if story is not None and story.is_published:
            return await self._public(story, viewer_id)
        if story is not None and story.status is StoryStatus.PENDING and is_moderator:
            return Shown(await self.review_cards(story), ephemeral=True, review_story_id=story.id)
        if story is not None and story.author_id == viewer_id:
            title = await self.lesson_title(story.lesson_slug)
            return Shown(cards.own_story_cards(story, lesson_title=title), ephemeral=True)
        raise NotFound(f"There is no published story #{number}. `/story browse` lists them.")

    async def random(self, guild_id: int, viewer_id: int, rng: random.Random | None = None) -> Shown:
        total = await self.store.count_published(guild_id)
        found = await self.store.published(guild_id, offset=(rng or random).randrange(total), limit=1) if total else []
        if not found:
            raise NotFound("No story has been published yet. Be the first: `/story share`!")
        return await self._public(found[0], viewer_id)

    async def queue(self, guild_id: int) -> Card:
        pending, total = await self.store.pending(guild_id, limit=QUEUE_LINES), await self.store.count_pending(guild_id)
        lines = [cards.queue_line(story) for story in pending]
        if total > len(pending):
            lines.append(f"… and {total - len(pending)} more.")
        return Card(
            title=f"Waiting for review: {cards.story_count(total)}",
            description="\n".join(lines) or "Nothing is waiting for review. 🎉",
            tone=Tone.WARNING,
            footer="Review with the buttons in #mod-queue, or open one with /story show number:N",
        )

    async def export(self, guild_id: int, fmt: ExportFormat) -> Export:
        stories = await self.store.all_stories(guild_id)
        data = await asyncio.to_thread(render_export, stories, fmt)
        name = f"stories-{guild_id}-{self.clock.now():%Y%m%d}.{fmt}"
        summary = f"{cards.story_count(len(stories))} exported (anonymous stories without their author)."
        return Export(data, name, summary)

    # -- data lifecycle (bot.core.lifecycle.DataOwner) -----------------------------------------

    def stored_data(self) -> str:
        return (
            "Stories: the stories you share (title, text, lesson, whether you chose to be anonymous), your name "
            "as it was when you shared, and the moderators' decision; kept until you withdraw a story (its text "
            "is erased, its title stays in your list) or ask to be forgotten (everything goes, with the posts)."
        )

    async def forget_member(self, guild_id: int | None, user_id: int) -> Forgotten:
        rows, posts = await self.store.forget_author(guild_id, user_id, self.clock.now())
        return Forgotten(self.feature, rows, posts)

    async def forget_guild(self, guild_id: int) -> Forgotten:
        rows, posts = await self.store.forget_guild(guild_id)
        return Forgotten(self.feature, rows, posts)
