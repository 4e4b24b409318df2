"""Masked-link signals: a link text naming another domain, exact-match and commercial keyword anchors,
and keyword anchors hidden in long posts (the seed's kind of list-seller spam)."""

from __future__ import annotations

import re

from bot.spam.config import SpamConfig
from bot.spam.domains import registered_domain
from bot.spam.links import Link
from bot.spam.reasons import LinkFacts, Reason, show_host

# --- masked links -----------------------------------------------------------------------------

_DOMAIN_IN_TEXT_RE = re.compile(r"(?:https?://)?((?:[^\W_][\w-]*\.)+[^\W\d_]{2,24})", re.IGNORECASE)
_GENERIC_ANCHORS = frozenset(
    [
        "here",
        "link",
        "this",
        "click",
        "website",
        "site",
        "page",
        "article",
        "post",
        "guide",
        "video",
        "docs",
        "documentation",
        "source",
        "tutorial",
        "blog",
        "read",
        "more",
        "view",
        "open",
        "the",
        "a",
        "an",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "this",
        "that",
        "these",
        "it",
        "on",
        "in",
        "of",
        "to",
        "for",
        "and",
        "with",
        "about",
        "from",
        "at",
        "by",
        "how",
        "what",
        "why",
    ]
)


def masked_reasons(facts: list[LinkFacts], text: str, config: SpamConfig) -> list[Reason]:
    """A masked link whose text names another domain; a keyword anchor hidden in a long post."""
    reasons = []
    long_post = len(text) >= 300
    for fact in facts:
        link = fact.link
        if link.masked_text is None:
            continue
        shown = _DOMAIN_IN_TEXT_RE.search(link.masked_text)
        if shown:
            shown_reg = registered_domain(shown.group(1).lower())
            if shown_reg and "." in shown_reg and shown_reg != link.registered_domain and not fact.trusted:
                reasons.append(
                    Reason(
                        "masked_mismatch",
                        config.weight("masked_mismatch"),
                        f"masked link shows {shown.group(1).lower()} but opens {show_host(link)}",
                    )
                )
                continue
        if not fact.trusted and not fact.project:
            kind = anchor_kind(link.masked_text, link)
            if kind is not None:
                code, what = kind
                reasons.append(
                    Reason(code, config.weight(code), f'{what}: "{link.masked_text[:60]}" -> {show_host(link)}')
                )
                continue
        if long_post and not fact.trusted and not fact.project and _is_keyword_anchor(link.masked_text):
            reasons.append(
                Reason(
                    "seo_anchor",
                    config.weight("seo_anchor"),
                    f'keyword link hidden in a long post: "{link.masked_text[:60]}" -> {show_host(link)}',
                )
            )
    return reasons


# Words of anchors that sell something: a keyword phrase written for search engines, not readers.
_COMMERCIAL = frozenset(
    [
        "buy",
        "cheap",
        "best",
        "top",
        "price",
        "prices",
        "discount",
        "deal",
        "deals",
        "sale",
        "order",
        "hire",
        "services",
        "service",
        "agency",
        "company",
        "list",
        "lists",
        "database",
        "databases",
        "data",
        "leads",
        "lead",
        "contacts",
        "contact",
        "emails",
        "email",
        "mailing",
        "directory",
        "records",
        "verified",
        "targeted",
        "accurate",
        "b2b",
        "bulk",
        "wholesale",
        "supplier",
        "suppliers",
        "provider",
        "backlinks",
        "backlink",
        "seo",
        "traffic",
        "followers",
        "likes",
        "reviews",
        "casino",
        "loans",
        "loan",
        "insurance",
        "replica",
        "essay",
        "writing",
        "rank",
        "ranking",
        "boost",
        "promotion",
        "marketing",
        "affordable",
        "professional",
        "online",
    ]
)
_SELLING = frozenset(
    [
        "list",
        "lists",
        "database",
        "databases",
        "leads",
        "contacts",
        "emails",
        "email",
        "mailing",
        "directory",
        "records",
        "data",
        "backlinks",
        "backlink",
        "traffic",
        "followers",
        "likes",
        "reviews",
    ]
)


def anchor_kind(anchor: str, link: Link) -> tuple[str, str] | None:
    """("exact_anchor" | "commercial_anchor", words) for a masked link whose text is a keyword
    phrase: the same words as the link's own domain or slug, or a phrase selling lists and data."""
    words = re.findall(r"[^\W\d_]+", anchor.lower())
    if not 2 <= len(words) <= 9:
        return None
    target = set(re.findall(r"[^\W\d_]{2,}", (link.host + " " + link.path).lower()))
    content = [w for w in words if w not in _GENERIC_ANCHORS]
    if len(content) >= 2 and sum(w in target for w in content) >= max(2, len(content) - 1):
        return "exact_anchor", "link text repeats the link's own keywords"
    commercial = [w for w in content if w in _COMMERCIAL]
    if any(w in _SELLING for w in content) and len(commercial) >= 2:
        return "commercial_anchor", "link text is a sales keyword phrase"
    return None


def _is_keyword_anchor(anchor: str) -> bool:
    words = re.findall(r"[^\W\d_]+", anchor.lower())
    if not 2 <= len(words) <= 7 or len(words) != len(anchor.split()):
        return False
    return not any(word in _GENERIC_ANCHORS for word in words)
