"""Splitting a lesson body into pages that fit comfortably in one Discord embed.

Pages break between paragraphs where they can, then between lines, sentences and words; a course team
can force a break with a line holding only `<!-- page -->`. A bold or heading line is never left alone
at the bottom of a page.
"""

from __future__ import annotations

import re

PAGE_CHARS = 1800
"""Characters of body per page: well under the 4,096 of an embed description, and easy to read on a phone."""

PAGE_BREAK = "<!-- page -->"

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_LABEL_LINE = re.compile(r"^(#{1,3} .+|\*\*[^*]+\*\*:?)$")


def split_pages(body: str, limit: int = PAGE_CHARS) -> list[str]:
    """The body as a list of pages, each at most `limit` characters (at least one page)."""
    text = body.replace("\r\n", "\n").strip()
    pages: list[str] = []
    for section in _split_on_marker(text):
        pages.extend(_pack(_blocks(section), limit))
    return pages or [""]


def _split_on_marker(text: str) -> list[str]:
    sections = [part.strip() for part in re.split(rf"^[ \t]*{re.escape(PAGE_BREAK)}[ \t]*$", text, flags=re.M)]
    return [part for part in sections if part]


def _blocks(text: str) -> list[str]:
    """Paragraphs (separated by blank lines); a ``` fence with blank lines inside stays one block."""
    blocks: list[str] = []
    in_fence = False
    for raw in re.split(r"\n[ \t]*\n", text):
        part = raw.strip("\n")
        if not part.strip():
            continue
        if in_fence:
            blocks[-1] += "\n\n" + part
        else:
            blocks.append(part)
        if part.count("```") % 2 == 1:
            in_fence = not in_fence
    return blocks


def _pack(blocks: list[str], limit: int) -> list[str]:
    pieces: list[str] = []
    for block in blocks:
        pieces.extend(_fit(block, limit) if len(block) > limit else [block])
    pages: list[list[str]] = [[]]
    size = 0
    for piece in pieces:
        added = len(piece) + (2 if pages[-1] else 0)
        if pages[-1] and size + added > limit:
            carry: list[str] = []
            # Do not leave a label ("**Try this**") as the last line of a page.
            while len(pages[-1]) > 1 and _LABEL_LINE.match(pages[-1][-1].strip()):
                carry.insert(0, pages[-1].pop())
            pages.append(carry)
            size = sum(len(p) for p in carry) + 2 * max(0, len(carry) - 1)
            added = len(piece) + (2 if carry else 0)
            if size + added > limit:  # the carried label cannot travel with this piece
                pages[-2].extend(carry)
                pages[-1] = []
                size, added = 0, len(piece)
        pages[-1].append(piece)
        size += added
    return ["\n\n".join(page) for page in pages if page]


def _fit(block: str, limit: int) -> list[str]:
    """Cut one over-long block at the best boundary available: line, sentence, word, character."""
    for pattern in (r"\n", _SENTENCE_END, r"\s+"):
        parts = [p for p in re.split(pattern, block) if p]
        if len(parts) > 1:
            joiner = "\n" if pattern == r"\n" else " "
            return _greedy(parts, joiner, limit)
    return [block[i : i + limit] for i in range(0, len(block), limit)]


def _greedy(parts: list[str], joiner: str, limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for part in parts:
        if len(part) > limit:
            if current:
                out.append(current)
                current = ""
            out.extend(_fit(part, limit))
            continue
        candidate = f"{current}{joiner}{part}" if current else part
        if len(candidate) > limit:
            out.append(current)
            current = part
        else:
            current = candidate
    if current:
        out.append(current)
    return out
