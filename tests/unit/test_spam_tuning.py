"""`/spam settings` options turned into stored changes, with their checks."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.spam.records import SpamSettings
from bot.spam.tuning import SettingsRequest, normalise_domain, plan_change

CURRENT = SpamSettings(1, exempt_role_ids=frozenset({5}), protected_names=("mycourse",))


def test_nothing_asked_changes_nothing() -> None:
    change = plan_change(CURRENT, SettingsRequest())
    assert change.changes == {} and change.notes == () and change.summary == ""


def test_values_and_toggles() -> None:
    change = plan_change(
        CURRENT,
        SettingsRequest(
            flag_threshold=2.0,
            delete_enabled=True,
            timeout_minutes=15,
            exempt_role=6,
            unexempt_role=5,
            exempt_channel=9,
            protect_name=" MyCourse.ORG ",
        ),
    )
    assert change.changes == {
        "flag_threshold": 2.0,
        "delete_enabled": True,
        "timeout_minutes": 15,
        "exempt_role_ids": frozenset({6}),
        "exempt_channel_ids": frozenset({9}),
        "protected_names": ("mycourse", "mycourse.org"),
    }
    assert change.summary == (
        "flag threshold, delete enabled, timeout minutes, exempt role ids, exempt channel ids, protected names"
    )


def test_same_values_are_not_changes() -> None:
    stored = SpamSettings(1, flag_threshold=2.0, exempt_channel_ids=frozenset({9}))
    change = plan_change(stored, SettingsRequest(flag_threshold=2.0, exempt_channel=9, unexempt_role=77))
    assert change.changes == {}


def test_threshold_order_is_checked_against_stored_and_default_values() -> None:
    with pytest.raises(UserError, match=r"flag threshold \(5\) must not be above the delete threshold \(3\)"):
        plan_change(CURRENT, SettingsRequest(flag_threshold=5.0))
    with pytest.raises(UserError, match=r"\(2\) must not be above the delete threshold \(1.5\)"):
        plan_change(SpamSettings(1, flag_threshold=2.0), SettingsRequest(delete_threshold=1.5))
    assert plan_change(CURRENT, SettingsRequest(flag_threshold=5.0, delete_threshold=6.0)).changes


def test_protected_names() -> None:
    with pytest.raises(UserError, match="letters, digits, dots and dashes"):
        plan_change(CURRENT, SettingsRequest(protect_name="my course!"))
    assert plan_change(CURRENT, SettingsRequest(protect_name="discord")).notes == ("`discord` is already protected.",)
    removed = plan_change(CURRENT, SettingsRequest(unprotect_name="MyCourse"))
    assert removed.changes == {"protected_names": ()}
    shipped = plan_change(CURRENT, SettingsRequest(unprotect_name="steam"))
    assert shipped.changes == {} and "ships with the bot and stays" in shipped.notes[0]


@pytest.mark.parametrize(
    ("typed", "domain"),
    [
        ("example.com", "example.com"),
        ("  https://www.Example.COM/path?x=1 ", "example.com"),
        ("http://user@shop.example.co.uk/", "shop.example.co.uk"),
        ("xn--dscord-wva.com", "dìscord.com"),
        ("someone.vercel.app", "someone.vercel.app"),
    ],
)
def test_domains_typed_by_moderators(typed: str, domain: str) -> None:
    assert normalise_domain(typed) == domain


@pytest.mark.parametrize("typed", ["not a domain", "localhost", "com", "https://", "vercel.app"])
def test_things_that_are_not_domains(typed: str) -> None:
    with pytest.raises(UserError, match="is not a domain I can use"):
        normalise_domain(typed)
