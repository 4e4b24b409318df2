"""The cheap pre-check `maybe_has_link` and the constants link finding shares: invisible characters,
dot look-alikes, the suffixes written with spaces (`x . com`), scan limits."""

from __future__ import annotations

import re

MAX_SCAN_CHARS = 8_000  # Discord messages are at most 4,000 characters; longer input is cut
MAX_LINKS = 50

# Invisible characters that change nothing on screen (zero-width, joiners, direction marks, BOM,
# soft hyphen, Hangul fillers, variation selectors, tag characters).
_INVISIBLE_CLASS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f"
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE_CLASS}]+")
_DOTS = ".\u3002\uff0e\uff61\ufe52\u2024"  # full stop, ideographic, full-width, half-width, small, one-dot leader

# Common top-level domains accepted after a spaced dot ("example . com", "example dot com").
# English words that are also TLDs (me, in, it, to, live, shop, ...) are left out on purpose.
SPACED_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "xyz",
        "io",
        "gg",
        "ru",
        "ly",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "pw",
        "su",
        "icu",
        "cn",
        "de",
        "uk",
        "co",
    ]
)
# Bare words that end in a TLD but are usually file names: not links without a scheme or www.
FILE_LIKE_TLDS = frozenset(
    [
        "py",
        "sh",
        "md",
        "rs",
        "pl",
        "so",
        "ps",
        "zip",
        "mov",
        "java",
        "rb",
        "pm",
        "cs",
        "ts",
        "js",
    ]
)

_TLD_ALT = "|".join(sorted(SPACED_TLDS))

_WIDE_DOTS_RE = re.compile(f"[{_DOTS[1:]}]")  # ideographic / full-width dots: prepare() first
_WIDE_LETTERS_RE = re.compile("[\uff01-\uff5e]")
_BRACKET_DOT_MARKS = ("[.", "(.", "{.", "[ .", "( .", "dot]", "dot)", "dot}", "DOT]", "DOT)")

# Pre-check patterns. Each starts with a literal ".", so the regex engine jumps from dot to dot with
# a fast scan and only then looks around it. On the text as written: "[." "(." "{." "[ ." "( ."
# (look-behinds), or a letter or digit (`[^\W_]` is exactly `str.isalnum`), the dot, and two letters
# of one case ("x.co", not the "Great.This" of a missing space).
_CASED_DOT_RE = re.compile(r"\.(?:(?<=[\[({]\.)|(?<=[\[(] \.)|(?<=[^\W_]\.)(?:[a-z]{2}|[A-Z]{2}|[^\W\d_a-zA-Z]{2}))")
# On the lowered text: "www." or a dot then a common suffix ("x . com").
_LOWER_DOT_RE = re.compile(rf"\.(?:(?<=www\.)|\s*(?:{_TLD_ALT})(?![\w-]))")
_WORD_DOT_WORD_RE = re.compile(rf"[^\W_]\s+dot\s+(?:{_TLD_ALT})(?![\w-])")
# Any character the non-ASCII tricks need (wide dots and letters, invisibles): one scan to rule out.
_UNICODE_TRICK_RE = re.compile(f"[{_DOTS[1:]}\uff01-\uff5e{_INVISIBLE_CLASS}]")


def maybe_has_link(text: str) -> bool:
    """Fast pre-check: False means the text cannot hold a link (clean messages stop here).

    A link needs a dot between a name and a suffix, written somehow: `x.y`, `x . com`, `x[.]y`,
    `x dot com`, `x%2ey`, or full-width / ideographic dots and invisible characters (which send the
    text to the full check). Text without any of these is skipped with a few C-speed scans:
    one-character `in` tests (a memchr) gate the rarer multi-character ones, and the dot tests are
    two dot-anchored regexes (see `_CASED_DOT_RE`).
    """
    if not text.isascii() and _UNICODE_TRICK_RE.search(text):
        if _WIDE_DOTS_RE.search(text):
            return True
        if "." in text and _WIDE_LETTERS_RE.search(text):
            return True
        if _INVISIBLE_RE.search(text):
            text = _INVISIBLE_RE.sub("", text)
    if "." in text:
        if _CASED_DOT_RE.search(text) is not None or (":" in text and "://" in text):
            return True
        low = text.lower()
        if _LOWER_DOT_RE.search(low) is not None:
            return True
    else:
        low = text.lower()
    if "%" in text and "%2e" in low:
        return True
    return "dot" in low and _spelled_dot(low)


def _spelled_dot(low: str) -> bool:
    """`example dot com`, `example[dot]com`, `example(dot)com`."""
    return "dot]" in low or "dot)" in low or "dot}" in low or _WORD_DOT_WORD_RE.search(low) is not None
