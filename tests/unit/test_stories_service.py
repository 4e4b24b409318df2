"""StoryService without Discord: a ManualClock, a real SQLite store on tmp_path, fake ports where needed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.clock import ManualClock
from bot.core.errors import Conflict, NotFound, TryAgainLater, UserError
from bot.core.lifecycle import PostRef
from bot.core.ports import LessonRef, TextScreening
from bot.core.text import visible_length
from bot.storage.database import Database, open_database
from bot.storage.jobs import JobStore
from bot.storage.stories import StoryStore
from bot.stories import messages
from bot.stories.cards import public_cards, review_cards
from bot.stories.drafts import DRAFT_MINUTES, SHARES_PER_HOUR
from bot.stories.model import Screening, StoryStatus, StoryText
from bot.stories.service import Rejected, StoryService

GUILD, OTHER = 100, 200
LEE, SAM, MOD = 1, 2, 9
GOOD = {
    "title": "Giveaway on Instagram",
    "tried": "We ran a two-week giveaway for our bakery's followers.",
    "worked": "Comments tripled and we got 200 new followers.",
    "did_not_work": "Most new followers never bought anything.",
}
LINKY = StoryText(
    "Great results",
    "We bought a germany phone number list, cheap: https://cheap-lists.example.shop/buy",
    "More at http://bit.ly/a1 and http://bit.ly/b2 and http://bit.ly/c3",
    "Nothing, buy now at https://cheap-lists.example.shop",
)


class FlagLinks:
    """A spam filter that flags any text with a link."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def screen_text(self, text: str) -> TextScreening:
        self.seen.append(text)
        return TextScreening(flagged="http" in text, score=2.5 if "http" in text else 0.0, reasons=("a link",))


class Broken:
    def screen_text(self, text: str) -> TextScreening:
        raise RuntimeError("lists missing")


class Catalog:
    """Lessons by slug; suggestions by a word in the title."""

    def __init__(self, *refs: LessonRef) -> None:
        self.refs = {ref.slug: ref for ref in refs}

    async def lesson_ref(self, slug: str) -> LessonRef | None:
        return self.refs.get(slug)

    async def suggest_refs(self, query: str, limit: int) -> list[LessonRef]:
        words = query.lower().split()
        return [r for r in self.refs.values() if any(w in r.title.lower() for w in words)][:limit]


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "stories.db")
    yield database
    await database.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def service(db: Database, clock: ManualClock) -> StoryService:
    return StoryService(StoryStore(db), clock)


async def share(service: StoryService, author: int = LEE, **fields: str) -> int:
    story = await service.submit(GUILD, author, "Lee", {**GOOD, **fields}, anonymous=False, lesson_slug=None)
    return story.id


async def test_submit_stores_a_pending_story_at_the_clocks_time(service: StoryService, clock: ManualClock) -> None:
    story = await service.submit(GUILD, LEE, "Lee", GOOD, anonymous=True, lesson_slug=None)
    assert story.status is StoryStatus.PENDING and story.number == 1 and story.submitted_at == clock.now()
    assert story.anonymous and story.screening == Screening()  # no screener: nothing flagged
    assert "anonymously" in messages.received(story)


async def test_screening_through_the_port(db: Database, clock: ManualClock) -> None:
    spam = FlagLinks()
    service = StoryService(StoryStore(db), clock, screener=spam)
    clean = await service.submit(GUILD, LEE, "Lee", GOOD, anonymous=False, lesson_slug=None)
    assert clean.screening == Screening(False, 0.0, ("a link",))
    fields = {"title": LINKY.title, "tried": LINKY.tried, "worked": LINKY.worked, "did_not_work": LINKY.did_not_work}
    flagged = await service.submit(GUILD, LEE, "Lee", fields, anonymous=False, lesson_slug=None)
    assert flagged.screening.flagged and flagged.screening.score == 2.5
    assert spam.seen[-1] == LINKY.joined()  # the whole story, raw


async def test_failing_spam_filter_flags_for_a_human_look(db: Database, clock: ManualClock) -> None:
    service = StoryService(StoryStore(db), clock, screener=Broken())
    story = await service.submit(GUILD, LEE, "Lee", GOOD, anonymous=False, lesson_slug=None)
    assert story.screening.flagged and story.screening.reasons == ("the spam filter could not check this story",)
    assert story.status is StoryStatus.PENDING


async def test_a_retry_draft_belongs_to_one_attempt(service: StoryService, clock: ManualClock) -> None:
    with pytest.raises(Rejected) as first:
        await service.submit(GUILD, LEE, "Lee", {**GOOD, "title": "Hi"}, anonymous=True, lesson_slug=None)
    draft = service.draft(first.value.draft_id, LEE)
    assert draft.values["title"] == "Hi" and draft.anonymous
    with pytest.raises(Conflict, match="someone else"):
        service.draft(first.value.draft_id, SAM)

    # a second failure from that draft replaces it: the old button says so
    with pytest.raises(Rejected) as second:
        await service.submit(GUILD, LEE, "Lee", {**GOOD, "title": "Yo"}, anonymous=True, lesson_slug=None,
                             draft_id=first.value.draft_id)  # fmt: skip
    with pytest.raises(Conflict, match="earlier try"):
        service.draft(first.value.draft_id, LEE)

    story = await service.submit(GUILD, LEE, "Lee", GOOD, anonymous=True, lesson_slug=None,
                                 draft_id=second.value.draft_id)  # fmt: skip
    with pytest.raises(Conflict, match=f"already sent this form \\(story #{story.number}\\)"):
        service.draft(second.value.draft_id, LEE)
    with pytest.raises(Conflict):  # the same form sent twice stores one story
        await service.submit(GUILD, LEE, "Lee", GOOD, anonymous=True, lesson_slug=None, draft_id=second.value.draft_id)
    assert [s.number for s in await service.store.by_author(GUILD, LEE)] == [1]

    with pytest.raises(Rejected) as third:
        await service.submit(GUILD, LEE, "Lee", {**GOOD, "title": "Hi"}, anonymous=False, lesson_slug=None)
    clock.advance(minutes=DRAFT_MINUTES + 1)
    with pytest.raises(Conflict, match="expired"):
        service.draft(third.value.draft_id, LEE)


async def test_title_minimum_counts_visible_characters_and_lone_surrogates_are_refused(service: StoryService) -> None:
    padded = "Hi\u200b\u200b\u200b\u00ad\u200f"
    assert visible_length(padded) == 2 and len(padded) >= 5
    with pytest.raises(Rejected, match="“Title” has 2 visible characters; it needs at least 5"):
        await share(service, title=padded)
    with pytest.raises(Rejected, match="a character I can't read"):
        await share(service, tried="We tried this \ud83d and it broke the text completely")
    assert await service.store.by_author(GUILD, LEE) == []


async def test_approve_then_withdraw_takes_the_post_down(service: StoryService) -> None:
    story = await service.pending(GUILD, await share(service))
    approved = await service.approve(story, MOD)
    kept = await service.published(approved, 5, 6, 7)
    assert kept is not None and kept.post_message_id == 6
    withdrawal = await service.withdraw(GUILD, LEE, story.number)
    assert withdrawal.was_published and withdrawal.post == PostRef(5, 6, 7)
    assert withdrawal.story.status is StoryStatus.WITHDRAWN and withdrawal.story.text.tried == ""
    assert "removed its post" in messages.withdrawn_reply(withdrawal, removed=True)


async def test_withdraw_while_publishing_wins_and_the_post_goes(service: StoryService) -> None:
    story = await service.pending(GUILD, await share(service))
    approved = await service.approve(story, MOD)  # the approval won; the post is being made...
    withdrawal = await service.withdraw(GUILD, LEE, story.number)  # ...when the author withdraws
    assert withdrawal.post is None and withdrawal.was_published
    assert await service.published(approved, 5, 6, 7) is None  # the adapter must take its post down
    now = await service.current(story)
    assert now.status is StoryStatus.WITHDRAWN and now.post_message_id is None


async def test_withdraw_first_refuses_the_approval(service: StoryService) -> None:
    story = await service.pending(GUILD, await share(service))
    await service.withdraw(GUILD, LEE, story.number)
    with pytest.raises(Conflict, match="was withdrawn by its author"):
        await service.approve(story, MOD)
    with pytest.raises(Conflict, match="was withdrawn by its author"):
        await service.pending(GUILD, story.id)


async def test_the_second_decision_is_told_who_made_the_first(service: StoryService, clock: ManualClock) -> None:
    story = await service.pending(GUILD, await share(service))
    await service.approve(story, MOD)
    with pytest.raises(Conflict, match=f"already approved by <@{MOD}> <t:{int(clock.now().timestamp())}:R>"):
        await service.decline(story, 77, "too late")
    with pytest.raises(Conflict, match="already approved"):
        await service.approve(story, 77)


async def test_withdraw_refusals(service: StoryService) -> None:
    story = await service.pending(GUILD, await share(service))
    with pytest.raises(NotFound, match="You have no story #1"):
        await service.withdrawable(GUILD, SAM, story.number)
    await service.decline(story, MOD, service.check_reason(story, MOD, "Needs the results", None))
    with pytest.raises(Conflict, match="is declined; there is nothing to withdraw"):
        await service.withdraw(GUILD, LEE, story.number)


async def test_decision_log_names_people_one_way(service: StoryService) -> None:
    story = await service.pending(GUILD, await share(service, title="Typo titel"))
    text = service.check_edit(story, MOD, {**GOOD, "title": "Fixed title"}, None)
    approved = await service.approve(story, MOD, text)
    assert messages.decision_log(approved, "Mo *Mod*", MOD) == (
        f"Mo \\*Mod\\* (`{MOD}`) edited and approved story #1 “Fixed title”."
    )


async def test_user_text_never_shows_a_live_masked_link(service: StoryService) -> None:
    tricky = "[1] Log in at [the official course portal](https://example.org) or [a](<https://example.org>)"
    story = await service.pending(GUILD, await share(service, title="[a](<https://example.org>) title", tried=tricky))
    for card in [*review_cards(story), *public_cards(story)]:
        shown = " ".join([card.title, card.description, *(f.value for f in card.fields)])
        assert re.search(r"(?<!\\)\]\(", shown) is None  # every "](" of the user's text is escaped
        assert re.search(r"(?<!\\)\[(a|the official)", shown) is None
    body = review_cards(story)[0].description
    assert "\\[the official course portal\\]\\(https://example.org\\)" in body
    assert "\\[a\\]\\(\\<https://example.org\\>\\)" in body


async def test_lessons_without_a_catalog_and_long_echoes(db: Database, clock: ManualClock) -> None:
    bare = StoryService(StoryStore(db), clock)
    assert await bare.lesson_choices("trust") == [] and await bare.lesson_title("trust") is None
    with pytest.raises(UserError, match="no lessons to link yet"):
        await bare.check_lesson("trust")
    assert await bare.check_lesson("   ") is None

    service = StoryService(StoryStore(db), clock, catalog=Catalog(LessonRef("trust", "Building trust online")))
    assert await service.check_lesson(" trust ") == "trust"
    assert await service.lesson_choices("trust") == [("Building trust online", "trust")]
    with pytest.raises(NotFound) as caught:
        await service.check_lesson("trust " + "x" * 4000)
    assert len(str(caught.value)) < 400 and "Did you mean “Building trust online”?" in str(caught.value)


async def test_share_limit_per_hour(service: StoryService, clock: ManualClock) -> None:
    for _ in range(SHARES_PER_HOUR):
        await service.open_share(GUILD, LEE, None)
    with pytest.raises(TryAgainLater, match="Slow down a little: you can share another story in 60 minutes"):
        await service.open_share(GUILD, LEE, None)
    await service.open_share(GUILD, SAM, None)
    clock.advance(minutes=61)
    await service.open_share(GUILD, LEE, None)


async def test_anonymous_authors_see_their_own_story_privately(service: StoryService) -> None:
    story = await service.submit(GUILD, LEE, "Lee", GOOD, anonymous=True, lesson_slug=None)
    await service.published(await service.approve(story, MOD), 5, 6, 7)
    own = await service.show(GUILD, LEE, story.number, is_moderator=False)
    other = await service.show(GUILD, SAM, story.number, is_moderator=False)
    assert own.ephemeral and not other.ephemeral
    assert (await service.random(GUILD, LEE)).ephemeral and not (await service.random(GUILD, SAM)).ephemeral


async def test_forget_member_erases_text_and_author_and_returns_posts(service: StoryService) -> None:
    published = await service.pending(GUILD, await share(service))
    await service.published(await service.approve(published, MOD), 5, 6, 7)
    await service.record_queue_post(published.id, 8, 9)
    pending = await share(service, title="Second story")
    elsewhere = await service.submit(OTHER, LEE, "Lee", GOOD, anonymous=False, lesson_slug=None)
    kept = await share(service, author=SAM)

    forgotten = await service.forget_member(GUILD, LEE)
    assert forgotten.feature == "stories" and forgotten.rows == 2
    assert set(forgotten.posts) == {PostRef(5, 6, 7), PostRef(8, 9)}
    for story_id in (published.id, pending):
        story = await service.store.get(story_id)
        assert story is not None and story.status is StoryStatus.WITHDRAWN
        assert story.author_id == 0 and story.author_name == "" and story.text == StoryText("", "", "", "")
        assert story.post_message_id is None
    assert await service.store.by_author(GUILD, LEE) == []
    assert (await service.store.get(elsewhere.id)).author_id == LEE  # type: ignore[union-attr]
    assert (await service.store.get(kept)).author_id == SAM  # type: ignore[union-attr]

    everywhere = await service.forget_member(None, LEE)
    assert everywhere.rows == 1
    gone = await service.forget_guild(GUILD)
    assert gone.rows == 3 and await service.store.all_stories(GUILD) == []
    assert "Stories" in service.stored_data() and "{" not in service.stored_data()


async def kinds(db: Database) -> list[tuple[str, str]]:
    rows = await db.fetchall("SELECT kind, idempotency_key FROM jobs ORDER BY id")
    return [(row[0], row[1]) for row in rows]


async def test_each_transition_enqueues_its_effects_with_it(db: Database, clock: ManualClock) -> None:
    service = StoryService(StoryStore(db, JobStore(db, clock)), clock)
    story_id = await share(service)
    assert await kinds(db) == [("story.review", f"story:{story_id}:review")]
    story = await service.pending(GUILD, story_id)
    approved = await service.approve(story, MOD, moderator_name="Mo")
    with pytest.raises(Conflict):
        await service.approve(story, MOD, moderator_name="Mo")  # the loser enqueues nothing
    assert await kinds(db) == [
        ("story.review", f"story:{story_id}:review"),
        ("story.publish", f"story:{story_id}:publish"),
        ("mod_log", f"story:{story_id}:decision:mod_log"),
    ]
    line = await db.fetchval("SELECT payload FROM jobs WHERE kind = 'mod_log'")
    assert "approved story #1" in line and "Mo" in line
    assert await service.published(approved, 5, 6, None) is not None
    assert (await kinds(db))[-1] == ("story.dm", f"story:{story_id}:dm:published")
    assert "was published in #stories" in (messages.author_dm(await service.current(approved), "published", "G") or "")
    await service.withdraw(GUILD, LEE, approved.number)
    assert (await kinds(db))[-2:] == [
        ("story.take_down", f"story:{story_id}:take_down"),
        ("mod_log", f"story:{story_id}:withdrawn:mod_log"),
    ]
    take_down = await db.fetchval("SELECT payload FROM jobs WHERE kind = 'story.take_down'")
    assert '"channel_id": 5' in take_down and '"message_id": 6' in take_down
    assert messages.author_dm(await service.current(approved), "published", "G") is None  # withdrawn: no DM


async def test_a_declined_story_tells_its_author_and_a_withdrawn_pending_one_has_nothing_to_take_down(
    db: Database, clock: ManualClock
) -> None:
    service = StoryService(StoryStore(db, JobStore(db, clock)), clock)
    first, second = await share(service), await share(service)
    await service.decline(await service.pending(GUILD, first), MOD, "Please add what you measured.", "Mo")
    assert [k for k, _ in await kinds(db)][-2:] == ["story.dm", "mod_log"]
    story = await service.current(await service.story_in(GUILD, first))
    assert "Please add what you measured." in (messages.author_dm(story, "declined", "G") or "")
    await service.withdraw(GUILD, LEE, 2)
    assert [k for k, key in await kinds(db) if key.startswith(f"story:{second}:")] == ["story.review", "mod_log"]


async def test_real_spam_filter_flags_a_story_full_of_links(db: Database, clock: ManualClock) -> None:
    spam_service = pytest.importorskip("bot.spam.service")
    spam_store = pytest.importorskip("bot.storage.spam")
    screener = spam_service.SpamService(spam_store.SpamStore(db), clock, retention_days=30)
    service = StoryService(StoryStore(db), clock, screener=screener)
    fields = {"title": LINKY.title, "tried": LINKY.tried, "worked": LINKY.worked, "did_not_work": LINKY.did_not_work}
    flagged = await service.submit(GUILD, LEE, "Lee", fields, anonymous=False, lesson_slug=None)
    assert flagged.screening.flagged and flagged.screening.score > 0 and flagged.screening.reasons
    clean = await service.submit(GUILD, LEE, "Lee", GOOD, anonymous=False, lesson_slug=None)
    assert not clean.screening.flagged


async def test_a_busy_database_gives_the_form_back_with_the_text(
    service: StoryService, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def busy(*args: object, **kwargs: object) -> None:
        raise TryAgainLater("the course's storage is busy or full just now.")

    monkeypatch.setattr(service.store, "add", busy)
    with pytest.raises(Rejected, match="could not save your story") as raised:
        await share(service)
    draft = service.draft(raised.value.draft_id, LEE)
    assert dict(draft.values) == GOOD
    monkeypatch.undo()
    story = await service.submit(
        GUILD, LEE, "Lee", dict(draft.values), anonymous=False, lesson_slug=None, draft_id=draft.id
    )
    assert story.title == GOOD["title"] and (await service.story_in(GUILD, story.id)).status is StoryStatus.PENDING
