"""Finding every link in a message, including disguised ones.

Found: scheme URLs, `<url>`, `www.` hosts, bare domains (`example.com`, only with a known public
suffix), masked Markdown links `[text](url)` and Discord invites. Undone first: `hxxp`,
`example[.]com` / `(dot)`, `example . com`, zero-width and other invisible characters, full-width
characters and ideographic dots, percent-encoded hosts and dots. Text inside code blocks and inline
code is ignored, as Discord does not make links there.

`maybe_has_link(text)` is the cheap pre-check: when it is False no link work is done at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from bot.spam.domains import DomainInfo, domain_info
from bot.spam.precheck import (
    _BRACKET_DOT_MARKS,
    _DOTS,
    _INVISIBLE_RE,
    _TLD_ALT,
    FILE_LIKE_TLDS,
    MAX_LINKS,
    MAX_SCAN_CHARS,
    SPACED_TLDS,
    maybe_has_link,
)

__all__ = ["EMPTY", "MAX_LINKS", "MAX_SCAN_CHARS", "Extraction", "Link", "extract", "find_links", "maybe_has_link"]


@dataclass(frozen=True, slots=True)
class Link:
    """One link found in a message.

    `url` is what a click opens (scheme added to bare domains), `host` the lowercase Unicode host,
    `registered_domain` the domain under the public suffix (`someone.vercel.app`), `masked_text`
    the visible text of a masked link `[text](url)` (None otherwise). `disguises` names the tricks
    undone to find it ("hxxp", "bracketed dot", "spaced dot", "invisible characters",
    "full-width characters", "percent-encoding", "user-info"), `invite_code` is set for Discord
    invites, and `start`/`end` locate it in the prepared text of the `Extraction`.
    """

    url: str
    host: str
    registered_domain: str
    masked_text: str | None = None
    path: str = ""
    kind: str = "url"  # "url", "masked", "www", "bare"
    disguises: tuple[str, ...] = ()
    invite_code: str | None = None
    suffix: str = ""
    private_suffix: bool = False
    is_ip: bool = False
    punycode: bool = False
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Extraction:
    """The links of a message and the prepared text they were found in."""

    text: str  # code removed, disguises undone: positions of links refer to this text
    links: tuple[Link, ...]
    disguises: frozenset[str]


EMPTY = Extraction("", (), frozenset())

_CODE_RE = re.compile(r"```.*?```|``[^`]+?``|`[^`]+`", re.DOTALL)
_HXXP_RE = re.compile(r"\bh(?:xx|\*\*)p(s?)(?:\[:\]|\[://\]|:)(?://|\[//\]|\\/\\/)?", re.IGNORECASE)
_BRACKET_DOT_RE = re.compile(r"\s?(?:\[\s*(?:\.|dot)\s*\]|\(\s*(?:\.|dot)\s*\)|\{\s*(?:\.|dot)\s*\})\s?", re.IGNORECASE)
_WORD_DOT_RE = re.compile(r"([^\W_])\s+dot\s+([a-z]{2,10})(?![\w-])", re.IGNORECASE)
_SPACED_DOT_RE = re.compile(r"([^\W_])(?:\s+\.\s*|\.\s+)([a-zA-Z]{2,4})(?![\w-])")
# "x. com" or "x .com": a dot with space after it or before it (look-behind), then a common suffix;
# the literal dot first lets the regex engine jump from dot to dot
_SPACED_GATE_RE = re.compile(rf"\.(?:\s+|(?<= \.))(?:{_TLD_ALT})(?![\w-])")
_SCHEME_SPACE_RE = re.compile(r"(://(?:[\w-]+\.)+)[ \t]+(?=[\w-]+(?:\.|/|\s|$))")
_PCT_DOT_RE = re.compile(r"(?<=[^\W_])%2e(?=[^\W_])", re.IGNORECASE)
_FULLWIDTH_RE = re.compile(f"[\uff01-\uff5e{_DOTS[1:]}]")
_DOT_TABLE = str.maketrans({d: "." for d in _DOTS[1:]})

_URL_CHARS = r"[^\s<>\"'`\[\]{}|\\^]"
_MASKED_RE = re.compile(
    r"\[(?P<mtext>[^\[\]\n]{1,300})\]\(\s*<?(?P<murl>(?i:https?)://[^\s<>()]+(?:\([^\s<>()]*\)[^\s<>()]*)*)>?"
    r"(?:\s+\"[^\"\n]{0,200}\")?\s*\)"
)
_IN_TOKEN_RE = re.compile(
    rf"(?P<url>(?:(?i:https?|ftp):|(?<![\w:/]))//{_URL_CHARS}+)"
    rf"|(?P<www>(?<![\w.@/-])(?i:www)\d{{0,3}}\.{_URL_CHARS}+)"
    r"|(?P<bare>(?<![\w.@/:%-])(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?P<tld>[^\W\d_]{2,24})(?![\w@-])"
    rf"(?:[/?#:]{_URL_CHARS}*)?)",
)
_TRAILING = ".,;:!?'\")]}*_~>|"

_INVITE_HOSTS = {
    "discord.gg": "",
    "discord.com": "/invite/",
    "discordapp.com": "/invite/",
    "ptb.discord.com": "/invite/",
    "canary.discord.com": "/invite/",
    "discord.me": "",
    "discord.io": "",
    "dsc.gg": "",
    "invite.gg": "",
    "discord.link": "",
}


def _strip_code(text: str) -> str:
    return _CODE_RE.sub(" ", text) if "`" in text else text


def prepare(text: str) -> tuple[str, set[str]]:
    """Text with code removed and disguises undone, and the names of the disguises found."""
    disguises: set[str] = set()
    text = _strip_code(text[:MAX_SCAN_CHARS])
    if not text.isascii():
        if _INVISIBLE_RE.search(text):
            text = _INVISIBLE_RE.sub("", text)
            disguises.add("invisible characters")
        if _FULLWIDTH_RE.search(text):
            if any("\uff01" <= ch <= "\uff5e" for ch in text):
                disguises.add("full-width characters")
            text = unicodedata.normalize("NFKC", text).translate(_DOT_TABLE)
        text = _strip_code(text)
    if "%" in text:
        new = _PCT_DOT_RE.sub(".", text)
        if new != text:
            disguises.add("percent-encoding")
            text = new
    lowered = text.lower()
    if "hxxp" in lowered or "h**p" in lowered:
        new = _HXXP_RE.sub(lambda m: f"http{m.group(1).lower()}://", text)
        if new != text:
            disguises.add("hxxp")
            text = new
    if ("[" in text or "(" in text or "{" in text) and any(mark in text for mark in _BRACKET_DOT_MARKS):
        new = _BRACKET_DOT_RE.sub(".", text)
        if new != text:
            disguises.add("bracketed dot")
            text = new
    if " dot " in lowered:
        new = _WORD_DOT_RE.sub(_join_word_dot, text)
        if new != text:
            disguises.add("spaced dot")
            text = new
    if "://" in text and (". " in text or ".\t" in text):
        for _ in range(3):
            new = _SCHEME_SPACE_RE.sub(_join_scheme_space, text)
            if new == text:
                break
            disguises.add("spaced dot")
            text = new
    if "." in text and _SPACED_GATE_RE.search(lowered):
        new = _SPACED_DOT_RE.sub(_join_spaced_dot, text)
        if new != text:
            disguises.add("spaced dot")
            text = new
    return text, disguises


def _tld_ok(tld: str) -> bool:
    return (tld.islower() or tld.isupper()) and tld.lower() in SPACED_TLDS


def _join_word_dot(m: re.Match[str]) -> str:
    return f"{m.group(1)}.{m.group(2)}" if _tld_ok(m.group(2)) else m.group(0)


def _join_spaced_dot(m: re.Match[str]) -> str:
    return f"{m.group(1)}.{m.group(2)}" if _tld_ok(m.group(2)) else m.group(0)


def _join_scheme_space(m: re.Match[str]) -> str:
    prefix = m.group(1)  # "://wap." : join only while the host is still incomplete
    host = prefix[3:-1]
    if "." in host and domain_info(host).suffix:
        return m.group(0)
    return prefix


def _trim(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _invite_code(host: str, path: str) -> str | None:
    prefix = _INVITE_HOSTS.get(host.removeprefix("www."))
    if prefix is None:
        return None
    if prefix:
        if not path.lower().startswith(prefix):
            return None
        path = path[len(prefix) :]
    code = path.strip("/").split("/", 1)[0]
    return code or None


@lru_cache(maxsize=32_768)
def _parse(raw: str, kind: str) -> tuple[str, DomainInfo, str, str | None, tuple[str, ...]] | None:
    """URL, host facts, path (+query), invite code and URL-level disguises of a raw link."""
    # protocol-relative "//host" opens with the page's scheme
    url = f"https:{raw}" if raw.startswith("//") else raw if "://" in raw else f"http://{raw}"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 -- raises ValueError for a port out of range (google.com:500000)
    except ValueError:
        return None
    if len(host) > 253 or not _labels_ok(host):
        return None  # not a host name any browser opens
    disguises: list[str] = []
    if "%" in host:
        host = unquote(host)
        disguises.append("percent-encoding")
    if "@" in parts.netloc:
        disguises.append("user-info")
    host = host.strip(".").lower()
    if not host:
        return None
    info = domain_info(host)
    if kind in ("bare", "www"):
        if not info.suffix or info.registered_domain == info.suffix:
            return None
    elif "." not in info.host and not info.is_ip:
        return None
    path = parts.path or ""
    if parts.query:
        path = f"{path}?{parts.query}"
    return url, info, path, _invite_code(info.host, parts.path or ""), tuple(disguises)


def _labels_ok(host: str) -> bool:
    """DNS-shaped: labels of 1 to 63 characters, not starting or ending with a hyphen."""
    if "%" in host:
        return True  # decoded and checked later
    return all(len(label) <= 63 and not label.startswith("-") and not label.endswith("-") for label in host.split("."))


def _make_link(
    raw: str, kind: str, masked: str | None, start: int, end: int, original: str, disguises: set[str]
) -> Link | None:
    parsed = _parse(raw, kind)
    if parsed is None:
        return None
    url, info, path, invite, url_disguises = parsed
    if disguises and raw not in original:
        url_disguises = tuple(dict.fromkeys((*url_disguises, *sorted(disguises))))
    return Link(
        url,
        info.host,
        info.registered_domain,
        masked,
        path,
        kind,
        url_disguises,
        invite,
        info.suffix,
        info.private_suffix,
        info.is_ip,
        info.punycode,
        start,
        end,
    )


def extract(text: str, *, prechecked: bool = False) -> Extraction:
    """All links of a message with the prepared text; `EMPTY` when the pre-check finds none.

    `prechecked=True` skips `maybe_has_link` when the caller has just run it."""
    if not text or (not prechecked and not maybe_has_link(text)):
        return EMPTY
    prepared, disguises = prepare(text)
    links: list[Link] = []
    original = text if not disguises else text.lower() + "\x00" + text
    masked_spans: list[tuple[int, int]] = []
    if "](" in prepared:
        for m in _MASKED_RE.finditer(prepared):
            masked_spans.append((m.start(), m.end()))
            link = _make_link(
                m.group("murl"), "masked", m.group("mtext").strip(), m.start(), m.end(), original, disguises
            )
            if link is not None:
                links.append(link)
    cursor = 0
    for word in [word for word in prepared.split() if "." in word]:  # a link holds a dot
        if len(links) >= MAX_LINKS:
            break
        offset = prepared.find(word, cursor)
        cursor = offset + len(word)
        for m in _IN_TOKEN_RE.finditer(word):
            if masked_spans and any(a <= offset + m.start() < b for a, b in masked_spans):
                continue
            kind = m.lastgroup or "bare"
            raw = _trim(m.group(kind))
            if kind == "bare":
                tld = m.group("tld")
                if tld.isascii() and not tld.islower() and (not tld.isupper() or tld.lower() not in SPACED_TLDS):
                    continue  # "it.Then", "SAT.LOVE": a missing space, not a domain
                if raw.endswith("." + tld) and tld.lower() in FILE_LIKE_TLDS:
                    continue  # "main.py": a file name
            link = _make_link(raw, kind, None, offset + m.start(), offset + m.end(), original, disguises)
            if link is not None:
                links.append(link)
                if len(links) >= MAX_LINKS:
                    break
    if len(links) > 1:
        links.sort(key=lambda link: link.start)
    if not links and not disguises:
        return EMPTY
    return Extraction(prepared, tuple(links), frozenset(disguises))


def find_links(text: str) -> tuple[Link, ...]:
    """Just the links of a message (see `extract`)."""
    return extract(text).links
