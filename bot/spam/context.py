"""Message-level signals: disguised links, many or repeated links, mass mentions, newcomers and new
accounts, and messages that are little more than a link."""

from __future__ import annotations

import math
import re
from itertools import islice

from bot.spam.config import SpamConfig
from bot.spam.links import Extraction
from bot.spam.reasons import LinkFacts, Reason, show_host

# --- message-level signals --------------------------------------------------------------------

_DISGUISE_STRONG = frozenset({"invisible characters", "full-width characters", "percent-encoding", "user-info"})


def disguise_reason(extraction: Extraction, facts: list[LinkFacts], config: SpamConfig) -> Reason | None:
    names: set[str] = set()
    for fact in facts:
        if not fact.trusted:
            names.update(fact.link.disguises)
    if not names:
        return None
    weight = config.weight("disguised_link")
    if names & _DISGUISE_STRONG:
        weight *= 1.6
    return Reason("disguised_link", round(weight, 2), "link disguised with " + ", ".join(sorted(names)))


# A whitespace-separated token holding two letters in a row (a word, not "a", "2" or "->"): matched
# from the token's start only, so each token counts once, in one C scan instead of split + search.
_WORDY_TOKEN_RE = re.compile(r"(?<!\S)\S*?[^\W\d_]{2}")


def context_reasons(
    facts: list[LinkFacts],
    extraction: Extraction,
    config: SpamConfig,
    *,
    member_age_days: float | None,
    account_age_days: float | None,
    author_message_count: int | None,
    mention_count: int,
    mentions_everyone: bool,
) -> list[Reason]:
    """Signals about the message as a whole: many links, mass mentions, new members, bare links."""
    w = config.weight
    reasons: list[Reason] = []
    untrusted = [f for f in facts if not f.trusted]
    promo = [f for f in untrusted if not f.project]
    text = extraction.text

    if len(untrusted) >= 3:
        domains = {f.link.registered_domain for f in untrusted}
        if len(domains) >= 5:
            reasons.append(Reason("many_links", 2 * w("many_links"), f"{len(domains)} different sites linked"))
        elif len(domains) >= 3:
            reasons.append(Reason("many_links", w("many_links"), f"{len(domains)} different sites linked"))
        urls: dict[str, int] = {}
        for f in untrusted:
            key = f.link.host + f.link.path
            urls[key] = urls.get(key, 0) + 1
        repeats = max(urls.values())
        if repeats >= 3:
            reasons.append(Reason("repeated_link", w("repeated_link"), f"the same link {repeats} times"))

    # one-character tests (a C memchr) first: most texts hold no "@" at all
    everyone = mentions_everyone or ("@" in text and ("@everyone" in text or "@here" in text))
    mentions = max(mention_count, text.count("<@") if "@" in text else 0)
    if everyone or mentions >= config.mass_mentions:
        what = "@everyone/@here" if everyone else f"{mentions} mentions"
        reasons.append(Reason("mass_mention", w("mass_mention"), f"{what} together with a link"))

    if promo:
        newcomer = []
        if member_age_days is not None and member_age_days < config.new_member_days:
            newcomer.append(f"joined {_days(member_age_days)} ago")
        if author_message_count is not None and author_message_count < config.first_messages:
            newcomer.append(f"message {author_message_count + 1} from this member")
        if newcomer:
            reasons.append(Reason("new_member", w("new_member"), "link from a newcomer: " + ", ".join(newcomer)))
        if account_age_days is not None and account_age_days < config.new_account_days:
            reasons.append(Reason("new_account", w("new_account"), f"account created {_days(account_age_days)} ago"))
        if _few_words(text, facts):
            reasons.append(
                Reason("bare_link", w("bare_link"), f"message is little more than a link to {show_host(promo[0].link)}")
            )
    return reasons


def _few_words(text: str, facts: list[LinkFacts]) -> bool:
    """True when the text outside the links holds fewer than three words."""
    if len(text) > 400:
        return False
    rest, last = [], 0
    for f in facts:
        rest.append(text[last : f.link.start])
        last = max(last, f.link.end)
    rest.append(text[last:])
    return sum(1 for _ in islice(_WORDY_TOKEN_RE.finditer(" ".join(rest)), 3)) < 3


def _days(days: float) -> str:
    if not math.isfinite(days):
        return "an unknown time"
    days = min(max(0.0, days), 99_999.0)
    if days < 1:
        hours = max(0, round(days * 24))
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{days:.0f} day{'s' if round(days) != 1 else ''}"
