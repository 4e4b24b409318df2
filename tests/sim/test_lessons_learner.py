"""Learners read lessons: autocomplete, show, buttons (also after a restart), search, list, random, progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.lessons.model import Lesson
from bot.storage.lessons import LessonStore


def button_labels(message: Any) -> dict[str, str]:
    """custom_id -> label of every button on a message (ResponseMessage or discord.Message)."""
    rows = message.components
    out = {}
    for row in rows:
        children = row["components"] if isinstance(row, dict) else [c.to_dict() for c in row.children]
        for button in children:
            out[button["custom_id"]] = button.get("label", "")
    return out


async def test_autocomplete_forgives_typos_and_ranks_best_first(course: CourseWorld) -> None:
    channel = course.channel("lessons")
    choices = await course.learner.autocomplete(channel, "lesson show", "topic", "serch engin optimsation")
    assert choices[0]["value"] == "seo"
    assert choices[0]["name"] == "Search engine optimisation (SEO) · Week 3: Core tactics"
    choices = await course.learner.autocomplete(channel, "lesson show", "topic", "socal media")
    assert choices[0]["value"] == "social-media-marketing"
    choices = await course.learner.autocomplete(channel, "lesson show", "topic", "pay per clik")
    assert choices[0]["value"] == "sem-pay-per-click"


async def test_autocomplete_with_nothing_typed_lists_the_course_in_order(course: CourseWorld) -> None:
    choices = await course.learner.autocomplete(course.channel("lessons"), "lesson show", "topic", "")
    assert len(choices) == 19
    assert [c["value"] for c in choices[:3]] == [
        "welcome-getting-around",
        "share-your-story",
        "what-is-digital-marketing",
    ]


async def test_show_posts_the_lesson_publicly_with_its_buttons(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson show", topic="seo")
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Search engine optimisation (SEO)"
    assert embed.author.name == "Week 3: Core tactics"
    assert "**organic**" in (embed.description or "")
    assert embed.fields[0].name == "Related lessons"
    assert "`sem-pay-per-click`" in embed.fields[0].value
    assert embed.footer.text is not None and embed.footer.text.startswith("Lesson 12 of 19 · Source: public forum post")
    assert button_labels(result.response) == {
        "lesson:nav:seo:prev": "◀ Previous",
        "lesson:done:seo": "Mark as done",
        "lesson:nav:seo:next": "Next ▶",
    }


async def test_show_accepts_an_alias_or_a_misspelt_title(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson show", topic="PPC", private=True)
    assert result.ephemeral
    assert result.response.embeds[0].title == "Search engine marketing and pay-per-click (PPC)"
    result = await course.learner.slash(course.channel("general"), "lesson show", topic="contnet marketing")
    assert result.response.embeds[0].title == "Content marketing"


async def test_unknown_topic_gets_a_helpful_ephemeral_reply(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson show", topic="qqqq zzzz")
    assert result.ephemeral
    assert "I couldn't find a lesson about “qqqq zzzz”" in result.response.content
    assert "/lesson search" in result.response.content


async def test_next_and_previous_show_the_neighbours_only_to_the_clicker(course: CourseWorld) -> None:
    channel = course.channel("lessons")
    posted = await course.learner.slash(channel, "lesson show", topic="seo")
    nxt = await course.learner2.click(posted.response, custom_id="lesson:nav:seo:next")
    assert nxt.ephemeral
    assert nxt.response.embeds[0].title == "Search engine marketing and pay-per-click (PPC)"
    # the public post is unchanged for everyone else
    assert channel.history()[-1].embeds[0].title == "Search engine optimisation (SEO)"
    # on the private copy, the buttons flip the lesson in place
    again = await course.learner2.click(nxt.response, custom_id="lesson:nav:sem-pay-per-click:next")
    assert again.response.id == nxt.response.id
    assert again.response.embeds[0].title == "Organic or paid search? Choosing between SEO and PPC"
    back = await course.learner2.click(again.response, custom_id="lesson:nav:organic-vs-paid:prev")
    assert back.response.embeds[0].title == "Search engine marketing and pay-per-click (PPC)"


async def test_first_and_last_lessons_disable_the_way_out(course: CourseWorld) -> None:
    first = await course.learner.slash(course.channel("lessons"), "lesson show", topic="welcome-getting-around")
    last = await course.learner.slash(course.channel("general"), "lesson show", topic="marketing-depends-on-it")

    def disabled(message: Any) -> set[str]:
        return {b["custom_id"] for row in message.components for b in row["components"] if b.get("disabled")}

    assert disabled(first.response) == {"lesson:nav:welcome-getting-around:prev"}
    assert disabled(last.response) == {"lesson:nav:marketing-depends-on-it:next"}


async def test_mark_as_done_records_progress_once(course: CourseWorld, simcord_bot: CourseBot) -> None:
    posted = await course.learner.slash(course.channel("lessons"), "lesson show", topic="seo")
    done = await course.learner.click(posted.response, label="Mark as done")
    assert done.ephemeral
    assert "✅ Marked **Search engine optimisation (SEO)** as done." in done.response.content
    assert "1 of 19 lessons done" in done.response.content
    assert "Next up: **Welcome, and how to find your way around**" in done.response.content
    store = LessonStore(simcord_bot.db)
    assert await store.is_done(course.guild.id, course.learner.id, "seo")
    assert not await store.is_done(course.guild.id, course.learner2.id, "seo")
    twice = await course.learner.click(posted.response, label="Mark as done")
    assert "already marked" in twice.response.content
    assert (await store.progress(course.guild.id, course.learner.id)).done == 1
    # "Read next" opens the suggested lesson just for the learner
    nxt = await course.learner.click(done.response, label="Read next")
    assert nxt.ephemeral and nxt.response.embeds[0].title == "Welcome, and how to find your way around"


async def test_done_shows_on_private_reading_but_not_on_a_public_post(
    course: CourseWorld, simcord_bot: CourseBot
) -> None:
    await LessonStore(simcord_bot.db).mark_done(course.guild.id, course.learner.id, "seo")
    private = await course.learner.slash(course.channel("lessons"), "lesson show", topic="seo", private=True)
    assert private.ephemeral
    assert button_labels(private.response)["lesson:done:seo"] == "Done ✓"
    public = await course.learner.slash(course.channel("lessons"), "lesson show", topic="seo")
    assert not public.ephemeral
    assert button_labels(public.response)["lesson:done:seo"] == "Mark as done"


async def test_buttons_work_after_a_restart(
    course: CourseWorld, simcord_bot: CourseBot, bot_factory: Callable[[], CourseBot]
) -> None:
    env = course.env
    posted = await course.learner.slash(course.channel("lessons"), "lesson show", topic="seo")
    await env.restart_bot()  # same process: setup_hook again
    nxt = await course.learner.click(posted.response, label="Next ▶")
    assert nxt.response.embeds[0].title == "Search engine marketing and pay-per-click (PPC)"
    fresh = bot_factory()
    await env.restart_bot(fresh)  # a new process on the same database
    done = await course.learner.click(posted.response, label="Mark as done")
    assert "✅ Marked **Search engine optimisation (SEO)** as done." in done.response.content
    prev = await course.learner.click(posted.response, label="◀ Previous")
    assert prev.response.embeds[0].title == "From trust to purchase to recommendation"
    store = LessonStore(fresh.db)
    assert await store.count() == 19  # start-up did not import the files twice
    assert await store.is_done(course.guild.id, course.learner.id, "seo")


async def test_long_lessons_have_pages(course: CourseWorld) -> None:
    posted = await course.learner.slash(course.channel("lessons"), "lesson show", topic="what-it-does")
    embed = posted.response.embeds[0]
    assert "1. Infrastructure" in (embed.description or "")
    assert "Systems development" not in (embed.description or "")
    assert embed.footer.text is not None and embed.footer.text.startswith("Page 1 of 2 · Lesson 17 of 19")
    assert not embed.fields  # related lessons come on the last page
    page2 = await course.learner.click(posted.response, label="Page 2 ▶")
    assert page2.ephemeral
    embed2 = page2.response.embeds[0]
    assert "4. Systems development and integration" in (embed2.description or "")
    assert embed2.footer.text is not None and embed2.footer.text.startswith("Page 2 of 2")
    assert embed2.fields[0].name == "Related lessons"
    page1 = await course.learner.click(page2.response, label="◀ Page")
    assert page1.response.id == page2.response.id
    assert "1. Infrastructure" in (page1.response.embeds[0].description or "")


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("how do I get found on Google", "seo"),
        ("why do people trust friends more than ads", "trust-friends-over-ads"),
        ("what does an IT department do", "what-it-does"),
        ("paying for every click on search adverts", "sem-pay-per-click"),
        ("how can I share my own story", "share-your-story"),
        ("see campaign results in real time", "measuring-in-real-time"),
        ("combine customer data from shops and online", "single-customer-view"),
        ("blogs videos infographics", "content-marketing"),
    ],
)
async def test_search_ranks_the_right_lesson_first(course: CourseWorld, question: str, slug: str) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson search", query=question)
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.fields[0].value.split("\n")[0].endswith(f"`{slug}`"), [f.value for f in embed.fields]
    assert "**" in embed.fields[0].value.split("\n", 1)[1]  # a highlighted excerpt
    assert "lesson:open:" + slug in button_labels(result.response)


async def test_search_result_opens_the_lesson(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson search", query="pay per click")
    opened = await course.learner.click(result.response, label="Open 1")
    assert opened.ephemeral
    assert opened.response.embeds[0].title == "Search engine marketing and pay-per-click (PPC)"


async def test_search_without_a_match_suggests_lessons(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson search", query="contnet markting")
    assert result.ephemeral
    assert "No lesson matches “contnet markting”. Did you mean **Content marketing** (`content-marketing`)" in (
        result.response.content
    )
    nothing = await course.learner.slash(course.channel("lessons"), "lesson search", query="qqqq zzzz")
    assert "Try fewer or different words" in nothing.response.content


async def test_search_text_is_never_read_as_query_syntax(course: CourseWorld) -> None:
    result = await course.learner.slash(
        course.channel("lessons"), "lesson search", query='"search engine) optimisation" OR NEAR(* AND'
    )
    assert result.ephemeral
    assert result.response.embeds[0].fields[0].value.split("\n")[0].endswith("`seo`")


async def test_list_shows_the_outline_with_ticks_and_pages(course: CourseWorld, simcord_bot: CourseBot) -> None:
    store = LessonStore(simcord_bot.db)
    await store.mark_done(course.guild.id, course.learner.id, "share-your-story")
    result = await course.learner.slash(course.channel("lessons"), "lesson list")
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Course outline"
    assert "**Start here**" in (embed.description or "")
    assert "✅ 2. Share your story with /story share · `share-your-story`" in (embed.description or "")
    assert "▫️ 1. Welcome, and how to find your way around" in (embed.description or "")
    assert embed.footer.text == "Page 1 of 2 · 1 of 19 done · open one with /lesson show"
    page2 = await course.learner.click(result.response, label="▶")
    assert page2.response.id == result.response.id
    assert "19. How digital marketing depends on IT" in (page2.response.embeds[0].description or "")


async def test_list_one_module(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson list", module="week 3: core tactics")
    embed = result.response.embeds[0]
    assert embed.title == "Week 3: Core tactics"
    assert (embed.description or "").count("\n▫️") == 5
    choices = await course.learner.autocomplete(course.channel("lessons"), "lesson list", "module", "week")
    assert [c["value"] for c in choices][:2] == [
        "Week 1: The digital shift",
        "Week 2: Trust, purchase and recommendation",
    ]
    bad = await course.learner.slash(course.channel("lessons"), "lesson list", module="Week 9")
    assert bad.ephemeral and "There is no module called “Week 9”" in bad.response.content


async def test_list_one_module_pages_within_that_module(course: CourseWorld, simcord_bot: CourseBot) -> None:
    store = LessonStore(simcord_bot.db)
    module = "Week 3: Core tactics"
    for n in range(1, 7):  # 5 + 6 = 11 lessons: two pages of one module
        order = await store.next_order(module)
        await store.add(Lesson(f"extra-{n}", f"Extra tactic {n}", module, order, "Body.", "Course team"))
    result = await course.learner.slash(course.channel("lessons"), "lesson list", module="Week 3: Core tactics")
    embed = result.response.embeds[0]
    assert embed.title == module
    assert embed.footer.text == "Page 1 of 2 · 0 of 11 done · open one with /lesson show"
    page2 = await course.learner.click(result.response, label="▶")
    embed2 = page2.response.embeds[0]
    assert embed2.title == module
    assert embed2.footer.text is not None and embed2.footer.text.startswith("Page 2 of 2 · 0 of 11 done")
    assert "Extra tactic 6 · `extra-6`" in (embed2.description or "")
    assert "Week 1" not in (embed2.description or "")


async def test_progress_counts_what_was_marked(course: CourseWorld) -> None:
    channel = course.channel("lessons")
    for slug in ("welcome-getting-around", "share-your-story", "seo"):
        shown = await course.learner.slash(channel, "lesson show", topic=slug, private=True)
        await course.learner.click(shown.response, label="Mark as done")
    result = await course.learner.slash(channel, "progress")
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert "**3 of 19** lessons done (16%)" in (embed.description or "")
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Start here"].endswith("2/2 ✅")
    assert fields["Week 3: Core tactics"].endswith("1/5")
    assert "**What is digital marketing?**" in fields["Next up"]
    other = await course.learner2.slash(channel, "progress")
    assert "**0 of 19**" in (other.response.embeds[0].description or "")


async def test_random_prefers_lessons_not_yet_done(course: CourseWorld, simcord_bot: CourseBot) -> None:
    store = LessonStore(simcord_bot.db)
    for ref in await store.course():
        if ref.slug != "content-marketing":
            await store.mark_done(course.guild.id, course.learner.id, ref.slug)
    result = await course.learner.slash(course.channel("lessons"), "lesson random")
    assert not result.ephemeral
    assert result.response.embeds[0].title == "Content marketing"


async def test_cooldown_per_learner_per_channel(course: CourseWorld) -> None:
    lessons, general = course.channel("lessons"), course.channel("general")
    first = await course.learner.slash(lessons, "lesson show", topic="seo")
    assert not first.ephemeral
    refused = await course.learner.slash(lessons, "lesson random")
    assert refused.ephemeral
    assert "You can post another in 60 seconds" in refused.response.content
    assert "private: True" in refused.response.content
    # others, other channels and private reading are not held back
    assert not (await course.learner2.slash(lessons, "lesson show", topic="seo")).ephemeral
    assert not (await course.learner.slash(general, "lesson show", topic="seo")).ephemeral
    assert (await course.learner.slash(lessons, "lesson show", topic="seo", private=True)).response.embeds
    await course.env.advance_time(45)
    later = await course.learner.slash(lessons, "lesson show", topic="seo")
    assert later.ephemeral and "in 15 seconds" in later.response.content
    await course.env.advance_time(16)
    assert not (await course.learner.slash(lessons, "lesson show", topic="seo")).ephemeral
