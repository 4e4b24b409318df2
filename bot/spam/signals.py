"""The signals: each turns facts about a message's links and context into named, weighted reasons.

Reason codes are stable (see `config.DEFAULT_WEIGHTS`); `detail` is the sentence a moderator reads.
Allow lists win: a trusted link (server allow list or the shipped list of learning and marketing
sites) raises no signal by its domain. Links to learners' project hosts (`*.github.io`,
`*.vercel.app`, ...) are neutral: scam signals apply, self-promotion signals do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.spam.config import SpamConfig
from bot.spam.hostmodel import BRANDS, HostModel, shipped_host_model
from bot.spam.links import Link
from bot.spam.lists import ShippedLists, in_domain_set
from bot.spam.lookalike import OFFICIAL_DOMAINS, ProtectedNames, find_lookalike, is_mixed_script
from bot.spam.reasons import LinkFacts, Reason, show_host

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
                    detail = f"lookalike of {found.name}: {show_host(link)} ({found.how})"
                else:
                    detail = f"{found.name} named inside another domain: {show_host(link)}"
                reasons.append(Reason(found.code, w(found.code), detail))
            elif not host.isascii() and any(is_mixed_script(part) for part in host.split(".")):
                reasons.append(Reason("mixed_script", w("mixed_script"), f"host mixes alphabets: {show_host(link)}"))
            if in_domain_set(host, lists.ip_loggers, reg):
                reasons.append(Reason("ip_logger", w("ip_logger"), f"IP-logging link: {show_host(link)}"))
            elif in_domain_set(host, lists.shorteners, reg):
                reasons.append(
                    Reason("shortener", w("shortener"), f"URL shortener hides the target: {show_host(link)}")
                )
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
                        "invite",
                        config.weight("invite"),
                        f"invite to another server: {show_host(link)}/{link.invite_code}",
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
                        "referral_link",
                        config.weight("referral_link"),
                        f"referral or affiliate link: {show_host(link)}",
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
                        f"link to a social-media profile or page: {show_host(link)}",
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
