"""The shared text helpers, above all the one renderer of user text: no live masked link, no ping."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import UserError
from bot.core.text import (
    clean_input,
    escape_markdown,
    neutralise,
    person,
    plural,
    quote_inline,
    require_visible,
    truncate,
    visible_length,
)

# A masked link as Discord reads it: an unescaped `[`, text, `](`, optional `<`, a scheme.
_LIVE_MASKED = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\((?:<)?\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_LIVE_MENTION = re.compile(r"(?<!\\)<(@[!&]?|#)\d+>|@(everyone|here)")
_LINKISH = st.sampled_from(["[", "]", "(", ")", "<", ">", "https://e.example/x", "\\", "@everyone", "<@123>", "#"])
_TEXTS = st.lists(st.one_of(_LINKISH, st.text(max_size=6)), max_size=30).map("".join)


def _unescaped(text: str) -> str:
    """What Discord shows: each backslash escape collapsed to the bare character, marked as literal."""
    return re.sub(r"\\(.)", "\x00", text)


@given(_TEXTS)
@settings(max_examples=400)
def test_no_rendering_of_any_text_has_a_live_masked_link_or_ping(text: str) -> None:
    shown = neutralise(text)
    assert not _LIVE_MASKED.search(_unescaped(shown))
    assert not _LIVE_MENTION.search(_unescaped(shown))


@given(_TEXTS, st.integers(min_value=1, max_value=60))
def test_a_cut_rendering_stays_inert_and_within_the_limit(text: str, limit: int) -> None:
    shown = neutralise(text, limit)
    assert len(shown) <= limit
    assert not _LIVE_MASKED.search(_unescaped(shown))
    assert not shown.endswith("\\") or shown.endswith("\\\\")


@pytest.mark.parametrize(
    "text",
    [
        "[1] Log in at [the course portal](https://portal.example/login)",
        "see [here](<https://portal.example>) now",
        "[[nested](https://a.example)](https://b.example)",
    ],
)
def test_masked_links_that_fooled_the_old_escaper_are_inert(text: str) -> None:
    assert not _LIVE_MASKED.search(_unescaped(neutralise(text)))


def test_headings_quotes_and_lists_show_literally() -> None:
    shown = neutralise("# Big\n> quoted\n- item\n-# small\n1. first")
    assert shown.splitlines() == ["\\# Big", "\\> quoted", "\\- item", "\\-# small", "\\1. first"]


def test_mass_pings_are_broken() -> None:
    assert "@everyone" not in neutralise("hi @everyone and @HERE")
    assert "@\u200beveryone" in neutralise("hi @everyone")


def test_escape_markdown_escapes_every_inline_marker() -> None:
    assert escape_markdown("*a* _b_ ~~c~~ `d` ||e||") == "\\*a\\* \\_b\\_ \\~\\~c\\~\\~ \\`d\\` \\|\\|e\\|\\|"


def test_truncate_cuts_with_an_ellipsis_and_never_splits_an_escape() -> None:
    assert truncate("abcdef", 10) == "abcdef"
    assert truncate("abcdefghij", 5) == "abcd…"
    assert truncate("ab\\*cd", 4) == "ab…"


def test_quote_inline_is_one_line_and_bounded() -> None:
    quoted = quote_inline("x" * 4000 + "\nsecond line", 80)
    assert len(quoted) <= 80 and "\n" not in quoted


def test_plural() -> None:
    assert plural(1, "message") == "1 message"
    assert plural(0, "message") == "0 messages"
    assert plural(2, "reply", "replies") == "2 replies"
    assert plural(1200, "vote") == "1,200 votes"


def test_visible_length_ignores_zero_width_rtl_and_soft_hyphen_padding() -> None:
    padded = "a\u200b\u200b\u200e\u00ad\u2060\ufeff b"
    assert visible_length(padded) == 2
    assert visible_length("ﬁ") == 2  # NFKC first


def test_require_visible_refuses_padding() -> None:
    with pytest.raises(UserError, match="at least 3 visible characters"):
        require_visible("a\u200b\u200b\u200b\u200b", 3, "the title")
    assert require_visible("abc", 3, "the title") == "abc"


def test_clean_input_refuses_a_lone_surrogate() -> None:
    with pytest.raises(UserError, match="character I can't read"):
        clean_input("hello \ud83d", "the title")
    assert clean_input("  fine 🎉 ") == "fine 🎉"


def test_person_names_people_one_way() -> None:
    assert person("Lee *admin*", 42) == "Lee \\*admin\\* (`42`)"
