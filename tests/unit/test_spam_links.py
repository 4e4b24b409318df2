"""Link extraction: every link form and every disguise the filter must see through."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.spam.links import extract, find_links, maybe_has_link


def hosts(text: str) -> list[str]:
    return [link.host for link in find_links(text)]


def only(text: str):
    links = find_links(text)
    assert len(links) == 1, links
    return links[0]


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("see https://example.com/a?b=1.", "example.com"),
        ("plain http://example.org/x", "example.org"),
        ("go to www.example.net today", "www.example.net"),
        ("bare example.co.uk, nothing else", "example.co.uk"),
        ("suppressed <https://example.com/page>", "example.com"),
        ("in parens (https://example.com/a_(b))", "example.com"),
        ("spoiler ||https://example.com/x||", "example.com"),
    ],
)
def test_link_forms(text: str, host: str) -> None:
    assert hosts(text) == [host]


def test_trailing_punctuation_is_not_part_of_the_url() -> None:
    assert only("read https://example.com/page.").url == "https://example.com/page"
    assert only("(see https://example.com/a_(b))").url == "https://example.com/a_(b)"


def test_masked_link_keeps_text_and_target() -> None:
    link = only("[Free Nitro](https://dlscord.gift/abc)")
    assert link.masked_text == "Free Nitro"
    assert link.host == "dlscord.gift"
    assert link.kind == "masked"


def test_masked_link_with_url_text_is_one_link() -> None:
    link = only("[https://discord.com/gifts/x](https://discrod.gift/x)")
    assert link.host == "discrod.gift"
    assert link.masked_text == "https://discord.com/gifts/x"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("join discord.gg/abcDEF", "abcDEF"),
        ("https://discord.com/invite/xyz123", "xyz123"),
        ("https://discordapp.com/invite/q1", "q1"),
        ("dsc.gg/myserver", "myserver"),
    ],
)
def test_discord_invites(text: str, code: str) -> None:
    assert only(text).invite_code == code


def test_discord_link_that_is_not_an_invite() -> None:
    assert only("https://discord.com/channels/1/2").invite_code is None


def test_registered_domain_uses_private_suffixes() -> None:
    assert only("https://someone.vercel.app").registered_domain == "someone.vercel.app"
    assert only("https://a.b.github.io/x").registered_domain == "b.github.io"
    assert only("https://www.bbc.co.uk/news").registered_domain == "bbc.co.uk"


# --- disguises: one test each ------------------------------------------------------------------


def test_disguise_hxxp() -> None:
    link = only("hxxps://evil.example.com/login")
    assert link.host == "evil.example.com"
    assert "hxxp" in link.disguises


def test_disguise_bracketed_dot() -> None:
    link = only("steamcommunlty[.]com/trade")
    assert link.host == "steamcommunlty.com"
    assert "bracketed dot" in link.disguises
    assert only("evil(dot)ru/x").host == "evil.ru"


def test_disguise_spaced_dot() -> None:
    link = only("visit example . com now")
    assert link.host == "example.com"
    assert "spaced dot" in link.disguises
    assert only("www.youtube. com/watch?v=x").host == "www.youtube.com"
    assert only("Goto http://doit. mymoby. tv/ to collect").host == "doit.mymoby.tv"
    assert only("example dot com").host == "example.com"


def test_disguise_zero_width_characters() -> None:
    link = only("dis\u200bcord\u200d.gg/ab\u2060c")
    assert link.host == "discord.gg"
    assert link.invite_code == "abc"
    assert "invisible characters" in link.disguises


def test_disguise_full_width_characters() -> None:
    link = only("ｄｉｓｃｏｒｄ．ｇｇ／ａｂｃ")
    assert link.host == "discord.gg"
    assert "full-width characters" in link.disguises


def test_disguise_ideographic_dot() -> None:
    assert only("https://evil。example。com/x").host == "evil.example.com"


def test_disguise_percent_encoded_host() -> None:
    link = only("https://disc%6Frd-gift.com/x")
    assert link.host == "discord-gift.com"
    assert "percent-encoding" in link.disguises
    assert only("evil%2ecom").host == "evil.com"


def test_disguise_user_info_before_the_real_host() -> None:
    link = only("https://discord.com@evil.example.ru/login")
    assert link.host == "evil.example.ru"
    assert "user-info" in link.disguises


def test_punycode_host_is_decoded() -> None:
    link = only("https://xn--dscord-pvf.com/gift")
    assert link.host != "xn--dscord-pvf.com"
    assert not link.host.isascii()
    assert link.punycode


# --- not links ---------------------------------------------------------------------------------


def test_code_blocks_and_inline_code_are_ignored() -> None:
    text = "`https://inline.example.com` and ```\nhttps://block.example.com\n``` but https://real.example.com"
    assert hosts(text) == ["real.example.com"]


@pytest.mark.parametrize(
    "text",
    [
        "hello world. how are you?",
        "run main.py then README.md",
        "it was great.Then we left",
        "I SAW IT.LOVE IT",
        "mail me at john.smith@example.com",
        "e.g. this, i.e. that, at 10.30am",
        "http://localhost:8000/",
        "",
    ],
)
def test_not_links(text: str) -> None:
    assert find_links(text) == ()


def test_precheck_skips_text_without_link_material() -> None:
    assert not maybe_has_link("Are phone number lists legal under GDPR? I think not.")
    assert maybe_has_link("see example.com")
    assert maybe_has_link("ｅｘａｍｐｌｅ．ｃｏｍ")
    assert extract("just words, nothing else").links == ()


def test_link_count_is_bounded() -> None:
    text = " ".join(f"https://site{i}.example.com" for i in range(500))
    assert len(find_links(text)) == 50


# ASCII pieces that exercise every branch of the pre-check (dots, brackets, schemes, "dot", %2e).
_PIECES = st.sampled_from(
    [".", ". ", " . ", "[.]", "(.", "{.", "[ .", "( .", "dot", " DOT ", "dot]", "(dot)", "://", "www.", "WwW.",
     "%2e", "%2E", "com", "COM", "Com", "io", "gg", "uk", "py", "ab", "AB", "Th", "x", "1", " ", "\t", "-", "_"]
)  # fmt: skip


_ASCII_TEXTS = st.lists(st.one_of(_PIECES, st.text(string.ascii_letters + ". ", max_size=4)), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_ASCII_TEXTS)
def test_precheck_answers_alike_for_ascii_and_non_ascii_text(text: str) -> None:
    # " é" adds nothing link-like, but sends the text down the non-ASCII path of the pre-check
    assert maybe_has_link(text) == maybe_has_link(text + " é")
