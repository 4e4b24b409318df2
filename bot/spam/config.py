"""SpamConfig: the per-server settings of the spam engine (thresholds, weights, windows, lists).

Everything a server can change lives here as plain values, so the Discord side can build one
`SpamEngine` per server from its stored settings and `coursebot spam scan --config FILE` can read the
same settings from a JSON or TOML file.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

# Weight of each reason code. A message is flagged when the sum reaches `flag_threshold`.
# Codes are stable: the Discord side stores them and /spam stats counts them.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "phishing_list": 3.0,  # host on the shipped Discord phishing list
        "suspicious_list": 0.8,  # host on the shipped "suspicious" list
        "blocked_domain": 3.0,  # host on the server's own block list
        "lookalike": 2.0,  # lookalike of a protected name (discord, steam, ...)
        "brand_in_host": 1.0,  # protected name inside another domain with scam words (discord-gift.ru)
        "mixed_script": 0.8,  # host mixing scripts (Latin with Cyrillic or Greek letters)
        "masked_mismatch": 1.5,  # masked link whose text names another domain than its target
        "seo_anchor": 0.6,  # keyword-phrase masked link hidden in a long post
        "shortener": 0.6,  # URL shortener hides the target
        "ip_logger": 1.5,  # IP-grabbing link service
        "invite": 1.0,  # Discord invite to another server
        "spam_wording": 1.0,  # scale of the wording score (each pattern carries its own weight)
        "many_links": 0.4,  # 3+ different untrusted sites (doubled at 5+)
        "repeated_link": 0.6,  # the same untrusted link three times or more
        "mass_mention": 1.0,  # @everyone / @here / many mentions together with a link
        "new_member": 0.5,  # untrusted link within days of joining or among the first messages
        "new_account": 0.3,  # untrusted link from an account only days old
        "cross_post": 0.5,  # same text or link in 2 channels within the flood window
        "flood": 1.5,  # same text or link in `flood_channels` channels within the window
        "disguised_link": 0.5,  # link written to dodge filters (hxxp, [.], zero-width, full-width, %xx)
        "bare_link": 0.6,  # the message is little more than an untrusted link
        "referral_link": 0.6,  # referral / affiliate link
        "solicitation_link": 0.7,  # fundraising, paid-to-click or shop listing site
        "profile_link": 0.4,  # link to a social-media profile or page
        "ip_host": 0.5,  # raw IP address instead of a domain name
        "exact_anchor": 1.0,  # masked link whose text repeats its own domain or slug words (SEO)
        "commercial_anchor": 1.0,  # masked link whose text sells lists, data, links or traffic
        "scam_host": 1.0,  # the host model finds the name scam-like (scaled up to 1.5x by its certainty)
        "spam_text": 1.0,  # the message model finds the words around the link spam-like (half when unsure)
    }
)

# Names whose lookalikes count. An entry with a dot ("mycourse.org") protects its first label and
# marks that domain as real; plain names use the real domains shipped in `lookalike.REAL_DOMAINS`.
DEFAULT_PROTECTED_NAMES: tuple[str, ...] = (
    "discord",
    "discordapp",
    "steam",
    "steamcommunity",
    "steampowered",
    "nitro",
    "hypesquad",
    "paypal",
    "google",
    "futurelearn",
    "github",
    "microsoft",
    "apple",
    "icloud",
    "roblox",
    "epicgames",
    "twitch",
    "riotgames",
    "minecraft",
    "xbox",
    "playstation",
    "nintendo",
    "blizzard",
    "binance",
    "coinbase",
    "metamask",
    "trustwallet",
    "opensea",
    "kraken",
)


def _normalise_domain(value: str) -> str:
    value = value.strip().lower().rstrip(".")
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0]
    return value.removeprefix("www.")


def _frozen_domains(values: Iterable[str]) -> frozenset[str]:
    return frozenset(d for d in (_normalise_domain(v) for v in values) if d)


@dataclass(frozen=True)
class SpamConfig:
    """Settings of one server's spam engine.

    Scores are sums of reason weights. `action` is `flag` at `flag_threshold`, and `delete` when
    `delete_enabled` and the score reaches `delete_threshold`, or always (with `delete_phishing`) for
    a host on the phishing list. Domains are compared as lowercase hosts without `www.`; an entry
    covers the domain and its subdomains (`github.com` covers `gist.github.com`).
    """

    flag_threshold: float = 1.0
    delete_threshold: float = 3.0
    delete_enabled: bool = False
    delete_phishing: bool = True
    new_member_days: float = 3.0
    new_account_days: float = 7.0
    first_messages: int = 3
    flood_window_seconds: float = 120.0
    flood_channels: int = 3
    flood_max_keys: int = 20_000
    mass_mentions: int = 5
    protected_names: tuple[str, ...] = DEFAULT_PROTECTED_NAMES
    allowed_domains: frozenset[str] = frozenset()
    blocked_domains: frozenset[str] = frozenset()
    allowed_invites: frozenset[str] = frozenset()
    use_default_allow_list: bool = True
    exempt_user_ids: frozenset[int] = frozenset()
    exempt_channel_ids: frozenset[int] = frozenset()
    exempt_role_ids: frozenset[int] = frozenset()
    timeout_minutes: int = 60
    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)

    def __post_init__(self) -> None:
        # Accept any iterable for the set fields and normalise domains, so callers may pass lists.
        object.__setattr__(self, "allowed_domains", _frozen_domains(self.allowed_domains))
        object.__setattr__(self, "blocked_domains", _frozen_domains(self.blocked_domains))
        object.__setattr__(self, "allowed_invites", frozenset(c.strip() for c in self.allowed_invites if c.strip()))
        object.__setattr__(self, "protected_names", tuple(n.strip().lower() for n in self.protected_names if n.strip()))
        for name in ("exempt_user_ids", "exempt_channel_ids", "exempt_role_ids"):
            object.__setattr__(self, name, frozenset(int(v) for v in getattr(self, name)))
        merged = dict(DEFAULT_WEIGHTS)
        merged.update({k: float(v) for k, v in self.weights.items()})
        object.__setattr__(self, "weights", MappingProxyType(merged))
        if self.flag_threshold <= 0 or self.delete_threshold <= 0:
            raise ValueError("thresholds must be positive")
        if self.flood_channels < 2:
            raise ValueError("flood_channels must be at least 2")

    def weight(self, code: str) -> float:
        """Weight of a reason code (0 for an unknown code)."""
        return self.weights.get(code, 0.0)

    def with_changes(self, **changes: Any) -> SpamConfig:
        """A copy with some fields changed; `weights` given here are merged over the current ones."""
        if "weights" in changes:
            merged = dict(self.weights)
            merged.update(changes["weights"])
            changes["weights"] = merged
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SpamConfig:
        """Build from plain values (JSON/TOML); unknown keys raise ValueError naming them."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown spam setting(s): {', '.join(unknown)}")
        values = dict(data)
        if "protected_names" in values:
            values["protected_names"] = tuple(values["protected_names"])
        return cls(**values)

    @classmethod
    def from_file(cls, path: str | Path) -> SpamConfig:
        """Load from a `.toml` file or a JSON file (any other suffix). A TOML file may put the
        settings at top level or in a `[spam]` table."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        data: Any
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(text)
            if isinstance(data.get("spam"), dict):
                data = data["spam"]
        else:
            data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a spam config file must hold an object of settings")
        return cls.from_mapping(data)

    def to_mapping(self) -> dict[str, Any]:
        """Plain JSON-ready values (sets as sorted lists), the inverse of `from_mapping`."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, frozenset):
                value = sorted(value)
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            out[f.name] = value
        return out
