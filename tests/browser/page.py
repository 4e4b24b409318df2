"""Driving the SimCord Preview page as a person would: the composer, the viewer picker, modals."""

from __future__ import annotations

import re
from typing import Any

PENDING = re.compile(r"…$")
FAILED = ("uncertain", "not completed", "failed", "unavailable")


def wait_settled(page: Any, timeout: float = 30_000) -> str:
    """Wait until the status bar no longer shows work in progress; return what it says."""
    page.wait_for_function(
        "() => { const s = document.getElementById('action-status').textContent.trim();"
        " return s && !s.endsWith('…'); }",
        timeout=timeout,
    )
    return str(page.locator("#action-status").inner_text()).strip()


def assert_completed(page: Any) -> str:
    """The last action shows as completed: no uncertain outcome, no warning or error in the inspector."""
    status = wait_settled(page)
    assert not any(word in status.lower() for word in FAILED), status
    assert page.locator("#inspector-count").is_hidden(), page.locator("#inspector-count").inner_text()
    return status


def slash(page: Any, command: str, **options: str) -> str:
    """Type `/command`, fill its options (picking the first suggestion where the bot offers some), send."""
    box = page.locator("#channel-composer-input")
    box.click()
    box.type("/" + command)
    page.locator(".command-popup [role=option]").first.wait_for()
    page.keyboard.press("Tab")
    for name, value in options.items():
        field = page.locator(f'.command-option-input[data-option="{name}"]')
        if not field.count():  # an optional option: reveal it first
            page.locator(".command-ghost").first.click()
            page.locator(".command-popup [role=option]", has_text=name).first.click()
        field.click()
        field.type(value)
        suggestions = page.locator("#command-suggestion-listbox [role=option]")
        try:
            suggestions.first.wait_for(timeout=1_500)
        except Exception:  # free text: nothing to pick
            continue
        suggestions.first.click()
    page.locator("#send-message").click()
    return assert_completed(page)


def pick_viewer(page: Any, label: str) -> None:
    page.locator("#viewer-picker").select_option(label=label)
    page.wait_for_function(
        "label => { const s = document.getElementById('viewer-picker');"
        " const o = s.options[s.selectedIndex]; return Boolean(o) && o.textContent.trim() === label; }",
        arg=label,
    )
    assert_completed(page)


def channel_name(page: Any) -> str:
    return str(page.locator("#channel-name").inner_text()).strip().lstrip("#").strip()


def wait_for_channel(page: Any, name: str, timeout: float = 15_000) -> None:
    """The tab shows `name` (the demo moved it in place; the page was not reloaded)."""
    page.wait_for_function(
        "name => document.getElementById('channel-name').textContent.replace('#', '').trim() === name",
        arg=name,
        timeout=timeout,
    )
    wait_settled(page)


def timeline_text(page: Any) -> str:
    return str(page.locator("#channel-message-list").inner_text())
