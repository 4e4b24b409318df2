"""Text helpers for lessons: slugs, plain text for the search index, and safe FTS5 queries."""

from __future__ import annotations

import re
import unicodedata

from bot.lessons.model import SLUG_MAX

HIGHLIGHT_OPEN = "\x02"
HIGHLIGHT_CLOSE = "\x03"
"""Markers FTS5 puts around matched words; `format_excerpt` turns them into bold once the text is escaped."""

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)

_WORD = re.compile(r"\w+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(\*\*|__|~~|\|\||`+|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_LINE_PREFIX = re.compile(r"^\s*(#{1,6}\s+|>+\s?|[-*•+]\s+|\d+[.)]\s+)", re.M)
_MD_SPECIAL = re.compile(r"([\\*_`~|>])")


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def normalize_name(text: str) -> str:
    """Lower case, accents removed, runs of spaces and punctuation made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(stripped))


def slugify(title: str) -> str:
    """A slug from a title: ascii, lowercase, hyphens, cut at a word boundary to fit `SLUG_MAX`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0] if "-" in slug[:SLUG_MAX] else slug[:SLUG_MAX]
    return slug or "lesson"


def markdown_to_plain(markdown: str) -> str:
    """The words of a Markdown body without markup, on one line (what search indexes and excerpts show)."""
    text = _LINK.sub(r"\1", markdown)
    text = _LINE_PREFIX.sub("", text)
    text = _MARKUP.sub("", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out = ""
    for line in filter(None, lines):
        out += line if not out else (" " if out[-1] in ".!?:;,…" else " · ") + line
    return out


def search_terms(text: str, limit: int = 16) -> list[str]:
    """The meaningful words of `text`, each quoted as an FTS5 phrase (so nothing typed is read as syntax)."""
    found = list(dict.fromkeys(words(text)))
    meaningful = [w for w in found if w not in STOPWORDS] or found
    return [f'"{word}"' for word in meaningful[:limit]]


def any_of(phrases: list[str]) -> str:
    return " OR ".join(phrases)


def trigrams(text: str) -> list[str]:
    """The distinct three-letter pieces of each word of `text` (words shorter than three are skipped)."""
    out: dict[str, None] = {}
    for word in normalize_name(text).split():
        for i in range(len(word) - 2):
            out[word[i : i + 3]] = None
    return list(out)


def trigram_phrases(text: str, limit: int = 32) -> list[str]:
    """The trigrams of `text` as FTS5 phrases, for a `trigram` table (names sharing some are typo matches)."""
    return [f'"{gram}"' for gram in trigrams(text)[:limit]]


def prefix_query(text: str) -> str | None:
    """An FTS5 query for names with words starting with each word typed so far (for one or two letters)."""
    found = words(text)
    return " ".join(f'"{word}"*' for word in found) if found else None


def escape_markdown(text: str) -> str:
    """Backslash-escape the characters Discord reads as Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def format_excerpt(snippet: str) -> str:
    """Escape Markdown in an FTS5 snippet, then show its highlight markers as bold."""
    escaped = escape_markdown(snippet)
    return escaped.replace(HIGHLIGHT_OPEN, "**").replace(HIGHLIGHT_CLOSE, "**").replace("****", "")
