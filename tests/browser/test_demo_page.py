"""The offline demo in a real browser: what a newcomer sees, and that one tab keeps working throughout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.page import (
    assert_completed,
    channel_name,
    pick_viewer,
    slash,
    timeline_text,
    wait_for_channel,
)

SHOTS = Path("/tmp/coursebot-screenshots")


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def open_page(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.locator("#channel-composer-input").wait_for(timeout=30_000)
    assert_completed(page)
    return page


def test_a_lesson_a_refusal_and_the_viewer_picker_in_one_tab(browser: Any, demo_factory: Any) -> None:
    demo = demo_factory(menu=False)
    page = open_page(browser, demo.url)
    address = page.url
    assert channel_name(page) == "general"
    assert "/stories queue" in timeline_text(page)  # the hint to try a refusal

    slash(page, "lesson show", topic="seo")
    page.get_by_text("Mark as done").last.wait_for()
    assert "Search engine optimisation" in timeline_text(page)
    shot(page, "lesson")

    # a learner running a moderator command: a polite reply, and the page counts it as a completed action
    status = slash(page, "stories queue")
    assert status == "Action completed"
    page.get_by_text("Only moderators can do that").last.wait_for()
    assert page.locator("#inspector-count").is_hidden()

    # the page's own viewer picker lists every member the README names, and the same tab goes on working
    options = page.locator("#viewer-picker option").all_inner_texts()
    assert options == ["Lee Learner", "Sam Student", "Mo Moderator", "Hana Host", "Ada Admin"]
    pick_viewer(page, "Mo Moderator")
    slash(page, "lesson list")
    assert page.url == address

    assert demo.interrupt() == 0
    assert "Demo stopped." in demo.output
    assert "Traceback" not in demo.output


def share_story(page: Any, title: str) -> None:
    slash(page, "story share")
    modal = page.locator("#modal-root")
    modal.locator("input[name=title]").fill(title)
    modal.locator("textarea[name=tried]").fill("A weekly newsletter for the bakery's regular customers.")
    modal.locator("textarea[name=worked]").fill("Subject lines that named one product.")
    modal.locator("textarea[name=did_not_work]").fill("Sending on Monday mornings: few opens.")
    modal.get_by_text("Publish anonymously").click()
    modal.locator("button[type=submit]").click()
    assert_completed(page)


def vote(page: Any, answer: str) -> None:
    page.locator(".poll-answer", has_text=answer).last.click()
    page.locator(".poll-submit").last.click()
    assert_completed(page)


def show_last_image(page: Any, name: str) -> Path:
    """The newest image as it appears inline: the whole page, and the image alone at its shown size."""
    image = page.locator("#channel-message-list img").last
    image.wait_for(timeout=30_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    image.evaluate("img => img.scrollIntoView({block: 'end'})")
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.screenshot(path=str(SHOTS / f"{name}-inline.png"))
    return shot(page, name)


def test_menu_switches_move_the_open_tab_and_timed_features_fire(browser: Any, demo_factory: Any) -> None:
    demo = demo_factory(menu=True)
    page = open_page(browser, demo.url)
    address = page.url

    share_story(page, "Newsletter for a bakery")
    # a learner can't read #mod-queue: the demo shows it to the moderator, in the same tab
    demo.type_line("c mod-queue", "Showing #mod-queue as moderator")
    wait_for_channel(page, "mod-queue")
    assert page.locator("#viewer-picker option:checked").inner_text().strip() == "Mo Moderator"
    page.get_by_text("Newsletter for a bakery").last.wait_for()
    page.get_by_role("button", name="Approve").last.scroll_into_view_if_needed()
    shot(page, "review-queue")
    page.get_by_role("button", name="Approve").last.click()
    assert_completed(page)

    demo.type_line("c polls", "Showing #polls as moderator")
    wait_for_channel(page, "polls")
    demo.type_line("v host", "Showing #polls as host")
    page.wait_for_function(
        "() => document.querySelector('#viewer-picker option:checked')?.textContent.trim() === 'Hana Host'"
    )
    slash(page, "poll create", question="Which channel brought you here?", options="🔍 Search; 📧 Email; 📱 Social")
    pick_viewer(page, "Lee Learner")
    vote(page, "Email")
    pick_viewer(page, "Sam Student")
    vote(page, "Search")
    demo.type_line("n", "Jumped to the next scheduled event")
    page.get_by_text("Results of").last.wait_for(timeout=30_000)
    show_last_image(page, "poll-results")

    pick_viewer(page, "Hana Host")
    slash(
        page,
        "poll schedule",
        question="What did you try this week?",
        options="SEO; Email; Ads",
        weekday="Monday",
        time="18:00",
    )
    for week in range(2):
        demo.type_line("n", "Jumped to the next scheduled event")  # the week's poll is posted
        page.get_by_text("What did you try this week?").last.wait_for()
        pick_viewer(page, "Lee Learner")
        vote(page, "Email" if week else "SEO")
        pick_viewer(page, "Hana Host")
        demo.type_line("n", "Jumped to the next scheduled event")  # and closes
    slash(page, "poll trend", schedule="1")
    show_last_image(page, "trend")

    assert page.url == address  # one tab, one address, all along
    demo.type_line("q", "Demo stopped.")
    assert demo.process.wait(timeout=30) == 0
    assert "Traceback" not in demo.output
