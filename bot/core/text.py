"""Text helpers written once: truncation, plurals, safe rendering of user text, jump URLs, input rules.

`neutralise()` is the one way user-written text reaches Discord: Markdown shown literally (so no masked
link, heading or spoiler survives), mentions and @everyone/@here broken. Reading the raw text (spam
screening) is done on the original, never on the rendered form.
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.errors import UserError

ELLIPSIS = "…"
ZERO_WIDTH_SPACE = "\u200b"

# Every character Discord's Markdown reads inline; escaping brackets and parentheses is what makes a
# masked link `[text](url)` or `[text](<url>)` inert whatever nests inside it.
_INLINE = re.compile(r"([\\*_~`|\[\]()<>])")
# Characters that mean something only at the start of a line: headings, subtext, quotes, lists.
_LINE_START = re.compile(r"^([ \t]*)(#|-|\+|>|\d+(?=[.)]))", re.MULTILINE)
_MASS_PING = re.compile(r"@(everyone|here)", re.IGNORECASE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut (never inside an escape)."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    cut = limit - len(ELLIPSIS)
    backslashes = 0
    while cut - backslashes - 1 >= 0 and text[cut - backslashes - 1] == "\\":
        backslashes += 1
    if backslashes % 2:
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 message`, `3 messages`, `2 replies` (with `many`)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def escape_markdown(text: str) -> str:
    """Backslash-escape every Markdown character, so the text shows exactly as typed."""
    escaped = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def without_pings(text: str) -> str:
    """`@everyone` / `@here` broken with a zero-width space (user and role mentions are inert once escaped)."""
    return _MASS_PING.sub(lambda m: "@" + ZERO_WIDTH_SPACE + m.group(1), text)


def neutralise(text: str, limit: int | None = None) -> str:
    """User text made safe to show in a message or embed: literal Markdown, no live masked link, no ping.

    With `limit`, the result is cut to that many characters (after escaping, so escapes are never split).
    """
    safe = without_pings(escape_markdown(text))
    return truncate(safe, limit) if limit is not None else safe


def quote_inline(text: str, limit: int) -> str:
    """User text echoed back inside a sentence: one line, neutralised, cut to `limit`."""
    return neutralise(" ".join(text.split()), limit)


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def person(name: str, user_id: int) -> str:
    """How logs and reviews name a member, the one way: display name and id."""
    return f"{neutralise(name, 64)} (`{user_id}`)"


def visible_length(text: str) -> int:
    """Characters a reader sees: after NFKC, without format (zero-width, RTL marks, soft hyphen), control
    and whitespace characters."""
    normal = unicodedata.normalize("NFKC", text)
    return sum(1 for ch in normal if unicodedata.category(ch) not in {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn"})


def clean_input(text: str, what: str = "your text") -> str:
    """Typed text made ready to store: stripped; a lone surrogate (text no device can show) is refused."""
    if _SURROGATE.search(text):
        raise UserError(
            f"{what[:1].upper()}{what[1:]} contains a character I can't read (a broken emoji?). "
            "Remove it and try again."
        )
    return text.strip()


def require_visible(text: str, minimum: int, what: str) -> str:
    """`text` when it has at least `minimum` visible characters, else a UserError naming `what`."""
    if visible_length(text) < minimum:
        raise UserError(f"{what[:1].upper()}{what[1:]} needs at least {plural(minimum, 'visible character')}.")
    return text
