"""Spam wording near a link: the shipped wording rules matched around each link, in masked texts and
in link slugs, capped per kind and in all (see `data/spam/spam-wording.txt`)."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.spam.config import SpamConfig
from bot.spam.lists import ShippedLists
from bot.spam.reasons import LinkFacts, Reason

# --- wording ----------------------------------------------------------------------------------

NEAR = 250  # characters either side of a link in which spam wording counts
KIND_CAP = 1.2  # most one kind of wording (e.g. "prize") adds
TOTAL_CAP = 2.0  # most all wording adds


def wording_reason(facts: list[LinkFacts], text: str, config: SpamConfig, lists: ShippedLists) -> Reason | None:
    """Spam wording near a link, in a masked link's text or in the link's own path."""
    if not facts:
        return None
    if len(text) <= 2 * NEAR:
        pieces = [text]
    else:
        spans: list[tuple[int, int]] = []
        for fact in facts:
            start, end = max(0, fact.link.start - NEAR), fact.link.end + NEAR
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], end))
            else:
                spans.append((start, end))
        pieces = [text[a:b] for a, b in spans]
    for fact in facts:
        if not fact.trusted and len(fact.link.path) >= 8:
            pieces.append(_slug_words(fact.link.path))
    window = "\n".join(pieces).lower()
    found: dict[str, list[tuple[float, str]]] = {}
    for rule, phrase in lists.wording_matches(window):
        found.setdefault(rule.kind, []).append((rule.weight, " ".join(phrase.split())[:60]))
    if not found:
        return None
    per_kind = {kind: min(KIND_CAP, sum([w for w, _ in hits])) for kind, hits in found.items()}
    if all(f.trusted or f.project for f in facts):
        # the kind of site a learner shares: wording alone rarely makes it spam, except "my channel,
        # subscribe" beside a link to a channel, video or social page: that is what self-promotion links to
        promo_site = any(f.link.registered_domain in PROMOTION_SITES for f in facts)
        for kind in per_kind:
            if promo_site and kind == "self-promotion":
                per_kind[kind] = min(KIND_CAP, 2 * per_kind[kind])
            else:
                per_kind[kind] *= 0.5
    total = min(TOTAL_CAP, sum(per_kind.values()))
    shown = sorted(found.items(), key=lambda kv: -per_kind[kv[0]])[:3]
    detail = "spam wording near a link: " + ", ".join(f'"{max(hits)[1]}" ({kind})' for kind, hits in shown)
    return Reason("spam_wording", round(total * config.weight("spam_wording"), 2), detail)


# Where self-promotion sends people: channels, videos, streams, social pages and chat groups.
PROMOTION_SITES = frozenset(
    [
        "youtube.com",
        "youtu.be",
        "twitch.tv",
        "tiktok.com",
        "instagram.com",
        "soundcloud.com",
        "facebook.com",
        "vimeo.com",
        "t.me",
        "x.com",
        "twitter.com",
        "kick.com",
        "spotify.com",
    ]
)


@lru_cache(maxsize=8192)
def _slug_words(path: str) -> str:
    path = path.split("?", 1)[0]
    if len(path) < 8:
        return ""
    return re.sub(r"[-_/+.]+", " ", path)
