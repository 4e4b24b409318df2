"""The signals: each turns facts about a message's links and context into named, weighted reasons.

Reason codes are stable (see `config.DEFAULT_WEIGHTS`); `detail` is the sentence a moderator reads.
Allow lists win: a trusted link (server allow list or the shipped list of learning and marketing
sites) raises no signal by its domain. Links to learners' project hosts (`*.github.io`,
`*.vercel.app`, ...) are neutral: scam signals apply, self-promotion signals do not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from bot.spam.config import SpamConfig
from bot.spam.domains import registered_domain
from bot.spam.hostmodel import BRANDS, HostModel, shipped_host_model
from bot.spam.links import Extraction, Link
from bot.spam.lists import ShippedLists, in_domain_set
from bot.spam.lookalike import OFFICIAL_DOMAINS, ProtectedNames, find_lookalike, is_mixed_script


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind a verdict: a stable `code`, its `weight` in the score, and the `detail`
    a moderator reads, e.g. "lookalike of steam: steamcommunlty.com"."""

    code: str
    weight: float
    detail: str


@dataclass(frozen=True, slots=True)
class LinkFacts:
    """A link with what the lists say about it."""

    link: Link
    trusted: bool  # server allow list or shipped allow list (and not blocked by the server)
    project: bool  # a learner's site on a project host (github.io, vercel.app, ...)
    blocked: bool  # server block list


def _show(link: Link) -> str:
    return link.host.removeprefix("www.")


# --- per-link signals -------------------------------------------------------------------------

_REFERRAL_RE = re.compile(
    r"[?&#](?:ref|r|aff|affid|aff_id|affiliate|affiliateid|referral|referrer|refer|rrid|rb|invite|"
    r"invitecode|promo|partner|friend|sponsor|tag)=|/(?:ref|refer|referral|r|invite|dolacz|join|share/url)/",
    re.IGNORECASE,
)
_PROFILE_PATH_RE = re.compile(
    r"^/(?:(?:pages|people|groups)/[^/?#]+(?:/\d+)?|(?:@|user/|c/|channel/|u/)?[^/?#]+|profile\.php)/?(?:[?#]|$)"
)


@dataclass(frozen=True, slots=True)
class HostFacts:
    """What the lists say about one host, computed once per host and engine."""

    trusted: bool
    project: bool
    blocked: bool
    reasons: tuple[Reason, ...]  # reasons that depend on the host alone
    profile_site: bool
    solicitation: bool
    phishing_paths: bool  # the phishing lists hold host/path entries for this host


class LinkSignals:
    """Per-link signals for one engine (one server's config); host facts are cached."""

    MAX_CACHE = 50_000

    def __init__(
        self,
        config: SpamConfig,
        lists: ShippedLists,
        protected: ProtectedNames,
        host_model: HostModel | bool | None = True,
    ) -> None:
        self.config, self.lists, self.protected = config, lists, protected
        # True: the shipped model; None / False: no host model (rules only)
        self.host_model: HostModel | None = shipped_host_model() if host_model is True else (host_model or None)
        self._hosts: dict[str, HostFacts] = {}
        self._path_hosts = frozenset(h for h, _ in lists.phishing.paths) | frozenset(
            h for h, _ in lists.suspicious.paths
        )

    def facts(self, links: Iterable[Link]) -> list[LinkFacts]:
        out = []
        for link in links:
            host = self.host_facts(link)
            out.append(LinkFacts(link, host.trusted, host.project, host.blocked))
        return out

    def host_facts(self, link: Link) -> HostFacts:
        key = link.host
        found = self._hosts.get(key)
        if found is None:
            if len(self._hosts) >= self.MAX_CACHE:
                self._hosts.clear()
            found = self._hosts[key] = self._compute(link)
        return found

    def _compute(self, link: Link) -> HostFacts:
        config, lists = self.config, self.lists
        w = config.weight
        host, reg = link.host, link.registered_domain
        blocked = in_domain_set(host, config.blocked_domains, reg)
        trusted = not blocked and (
            in_domain_set(host, config.allowed_domains, reg)
            or (config.use_default_allow_list and in_domain_set(host, lists.allowed, reg))
        )
        project = link.suffix in lists.project_hosts or reg in lists.project_hosts
        reasons: list[Reason] = []
        if blocked:
            reasons.append(Reason("blocked_domain", w("blocked_domain"), f"domain on this server's block list: {reg}"))
        if not trusted:
            entry = lists.phishing.match(host, "", reg)
            if entry:
                reasons.append(Reason("phishing_list", w("phishing_list"), f"known phishing host: {entry}"))
            elif lists.suspicious.match(host, "", reg):
                reasons.append(
                    Reason("suspicious_list", w("suspicious_list"), f"host on the suspicious-domains list: {reg}")
                )
            found = find_lookalike(host, reg, _label(link), link.suffix, link.private_suffix, self.protected)
            if found is not None:
                if found.code == "lookalike":
                    detail = f"lookalike of {found.name}: {_show(link)} ({found.how})"
                else:
                    detail = f"{found.name} named inside another domain: {_show(link)}"
                reasons.append(Reason(found.code, w(found.code), detail))
            elif not host.isascii() and any(is_mixed_script(part) for part in host.split(".")):
                reasons.append(Reason("mixed_script", w("mixed_script"), f"host mixes alphabets: {_show(link)}"))
            if in_domain_set(host, lists.ip_loggers, reg):
                reasons.append(Reason("ip_logger", w("ip_logger"), f"IP-logging link: {_show(link)}"))
            elif in_domain_set(host, lists.shorteners, reg):
                reasons.append(Reason("shortener", w("shortener"), f"URL shortener hides the target: {_show(link)}"))
            if link.is_ip:
                reasons.append(Reason("ip_host", w("ip_host"), f"raw IP address instead of a domain: {host}"))
            elif not project_exact(link, lists) and not any(r.code in _DECIDED for r in reasons):
                model_reason = self._model_reason(link)
                if model_reason is not None:
                    reasons.append(model_reason)
        solicitation = not trusted and not project and in_domain_set(host, lists.solicitation, reg)
        profile_site = not trusted and not project and in_domain_set(host, lists.profile_sites, reg)
        return HostFacts(
            trusted, project, blocked, tuple(reasons), profile_site, solicitation, host in self._path_hosts
        )

    def host_probability(self, link: Link) -> float | None:
        """The host model's probability that the link's host is a scam domain (None: no model,
        an IP, or an official domain of a protected name)."""
        model = self.host_model
        if model is None or link.is_ip or not link.host:
            return None
        reg = link.registered_domain
        if reg in self.protected.real or reg in OFFICIAL_DOMAINS or link.host in OFFICIAL_DOMAINS:
            return None
        if not link.private_suffix and _label(link) in BRAND_NAMES:
            return None  # amazon.co.uk, nintendo.de: a brand's own name under a country suffix
        return model.probability(link.host, link.suffix)

    def _model_reason(self, link: Link) -> Reason | None:
        weight = self.config.weight("scam_host")
        model = self.host_model
        if not weight or model is None:
            return None
        p = self.host_probability(link)
        if p is None or p < model.threshold:
            return None
        # at the threshold the host alone reaches the flag threshold; surer hosts weigh more
        scale = 1.0 + min(0.5, (p - model.threshold) / max(1e-6, 1.0 - model.threshold) * 0.5)
        why = ", ".join(model.explain(link.host, link.suffix)[:4]) or "unusual name for a site"
        return Reason("scam_host", round(weight * scale, 2), f"host looks like a scam domain ({p:.2f}): {why}")

    def reasons(self, facts: list[LinkFacts]) -> list[Reason]:
        """Reasons coming from each link on its own (lists, lookalikes, shorteners, invites, ...)."""
        config, lists = self.config, self.lists
        reasons: list[Reason] = []
        seen: set[tuple[str, str]] = set()

        def add(reason: Reason) -> None:
            if (reason.code, reason.detail) not in seen:
                seen.add((reason.code, reason.detail))
                reasons.append(reason)

        for fact in facts:
            link = fact.link
            host = self.host_facts(link)
            if link.invite_code is not None and link.invite_code not in config.allowed_invites:
                add(
                    Reason(
                        "invite", config.weight("invite"), f"invite to another server: {_show(link)}/{link.invite_code}"
                    )
                )
            for reason in host.reasons:
                add(reason)
            if fact.trusted:
                continue
            if host.phishing_paths and not any(r.code == "phishing_list" for r in host.reasons):
                entry = lists.phishing.match(link.host, link.path, link.registered_domain)
                if entry:
                    add(Reason("phishing_list", config.weight("phishing_list"), f"known phishing host: {entry}"))
            if fact.project:
                continue
            if (
                ("=" in link.path or "/" in link.path)
                and link.registered_domain not in _FORUM_PATHS
                and _REFERRAL_RE.search(link.path)
            ):
                add(
                    Reason(
                        "referral_link", config.weight("referral_link"), f"referral or affiliate link: {_show(link)}"
                    )
                )
            if host.solicitation:
                add(
                    Reason(
                        "solicitation_link",
                        config.weight("solicitation_link"),
                        f"fundraising, shop or paid-to-click site: {link.registered_domain}",
                    )
                )
            elif host.profile_site and link.path.strip("/") and _PROFILE_PATH_RE.match(link.path.split("?", 1)[0]):
                add(
                    Reason(
                        "profile_link",
                        config.weight("profile_link"),
                        f"link to a social-media profile or page: {_show(link)}",
                    )
                )
        return reasons


BRAND_NAMES = frozenset(BRANDS)
_FORUM_PATHS = frozenset({"reddit.com", "redd.it"})  # /r/<subreddit> is a forum, not a referral
_DECIDED = frozenset({"phishing_list", "blocked_domain", "lookalike"})  # the host model adds nothing to these


def project_exact(link: Link, lists: ShippedLists) -> bool:
    """The link is the free host itself (vercel.app), not a site on it."""
    return link.registered_domain in lists.project_hosts


def _label(link: Link) -> str:
    reg = link.registered_domain
    if link.suffix and reg.endswith("." + link.suffix):
        return reg[: -len(link.suffix) - 1]
    return reg.split(".", 1)[0]


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
                        f"masked link shows {shown.group(1).lower()} but opens {_show(link)}",
                    )
                )
                continue
        if not fact.trusted and not fact.project:
            kind = anchor_kind(link.masked_text, link)
            if kind is not None:
                code, what = kind
                reasons.append(Reason(code, config.weight(code), f'{what}: "{link.masked_text[:60]}" -> {_show(link)}'))
                continue
        if long_post and not fact.trusted and not fact.project and _is_keyword_anchor(link.masked_text):
            reasons.append(
                Reason(
                    "seo_anchor",
                    config.weight("seo_anchor"),
                    f'keyword link hidden in a long post: "{link.masked_text[:60]}" -> {_show(link)}',
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
                Reason("bare_link", w("bare_link"), f"message is little more than a link to {_show(promo[0].link)}")
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
