"""What learners see after pressing "Mark as done", and replies to over-long or unreadable input."""

from __future__ import annotations

from typing import Any

from bot.app import CourseBot
from bot.demo.world import CourseWorld
from bot.storage.lessons import LessonStore

SUCCESS, SECONDARY = 3, 2  # Discord's button styles


def buttons(message: Any) -> dict[str, dict[str, Any]]:
    """custom_id -> the button's payload (label, style, disabled) for every button on a message."""
    out = {}
    for row in message.components:
        children = row["components"] if isinstance(row, dict) else [c.to_dict() for c in row.children]
        for button in children:
            out[button["custom_id"]] = button
    return out


async def test_mark_as_done_turns_into_a_green_done_with_a_way_back(
    course: CourseWorld, simcord_bot: CourseBot
) -> None:
    store = LessonStore(simcord_bot.db)
    posted = await course.learner.slash(course.channel("lessons"), "lesson show", topic="seo")
    before = buttons(posted.response)["lesson:done:seo"]
    assert (before["label"], before["style"]) == ("Mark as done", SECONDARY)

    done = await course.learner.click(posted.response, label="Mark as done")
    assert done.ephemeral
    shown = buttons(done.response)
    assert shown["lesson:state:seo"]["label"] == "Done ✓"
    assert shown["lesson:state:seo"]["style"] == SUCCESS and shown["lesson:state:seo"].get("disabled")
    assert shown["lesson:mark:seo:off"]["label"] == "Mark as not done"
    assert "lesson:done:seo" not in shown  # the reply no longer offers "Mark as done"

    undone = await course.learner.click(done.response, label="Mark as not done")
    assert undone.response.id == done.response.id  # the learner's reply changes in place
    assert undone.response.content.startswith("Marked **Search engine optimisation (SEO)** as not done.")
    assert "0 of 19 lessons done" in undone.response.content
    assert buttons(undone.response)["lesson:mark:seo:on"]["label"] == "Mark as done"
    assert "lesson:state:seo" not in buttons(undone.response)
    assert not await store.is_done(course.guild.id, course.learner.id, "seo")

    redone = await course.learner.click(undone.response, label="Mark as done")
    assert redone.response.id == done.response.id
    assert redone.response.content.startswith("✅ Marked **Search engine optimisation (SEO)** as done.")
    assert await store.is_done(course.guild.id, course.learner.id, "seo")
    # a private reading now shows the green "Done ✓"; the public post stays the same for everyone
    private = await course.learner.slash(course.channel("lessons"), "lesson show", topic="seo", private=True)
    mine = buttons(private.response)["lesson:done:seo"]
    assert (mine["label"], mine["style"]) == ("Done ✓", SUCCESS)
    assert buttons(course.channel("lessons").history()[-1])["lesson:done:seo"]["label"] == "Mark as done"


async def test_a_4000_character_module_still_gets_a_short_reply(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson list", module="W" * 4000)
    assert result.ephemeral
    text = result.response.content
    assert text.startswith("There is no module called “WWW") and "…”. Modules: **Start here**" in text
    assert len(text) < 600


async def test_a_long_unknown_topic_is_echoed_cut(course: CourseWorld) -> None:
    result = await course.learner.slash(course.channel("lessons"), "lesson search", query="zq" * 100)
    assert result.ephemeral
    assert result.response.content.startswith("No lesson matches “zqzq")
    assert "…”" in result.response.content and len(result.response.content) < 300


async def test_the_form_refuses_a_lone_surrogate_and_saves_nothing(course: CourseWorld, simcord_bot: CourseBot) -> None:
    shown = await course.moderator.slash(course.channel("general"), "lessons add")
    values = {
        "title": "Broken \ud83d title",
        "module": "Week 3: Core tactics",
        "body": "Body text.",
        "tags": "",
        "source": "",
    }
    refused = await course.moderator.submit_modal(shown, values)
    assert refused.ephemeral
    assert refused.response.content.startswith("The title contains a character I can't read")
    assert await LessonStore(simcord_bot.db).count() == 19
