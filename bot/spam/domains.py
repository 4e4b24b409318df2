"""Host names: IDNA / punycode decoding and the registered domain from the Public Suffix List.

The suffix list is tldextract's bundled snapshot with private suffixes on (`suffix_list_urls=()`,
never the network), so `someone.vercel.app` and `someone.github.io` are domains of their own
rather than parts of `vercel.app` / `github.io`.
"""

from __future__ import annotations

import contextlib
import ipaddress
from dataclasses import dataclass
from functools import cache, lru_cache

import idna
import tldextract


@cache
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), include_psl_private_domains=True, cache_dir=None)


@dataclass(frozen=True, slots=True)
class DomainInfo:
    """What the suffix list says about a host (all lowercase Unicode)."""

    host: str
    registered_domain: str  # "someone.vercel.app"; the host itself for IPs and unknown suffixes
    label: str  # the label under the suffix: "someone"
    suffix: str  # "vercel.app"; "" when the suffix is unknown
    private_suffix: bool
    is_ip: bool
    punycode: bool  # the host was written with xn-- labels (or needs them)


def decode_host(host: str) -> str:
    """Lowercase Unicode form of a host: xn-- labels decoded, trailing dot and port removed."""
    host = host.strip().rstrip(".").lower()
    if host.startswith("[") and "]" in host:  # IPv6 literal
        return host[1 : host.index("]")]
    if ":" in host and host.count(":") == 1:
        host = host.split(":", 1)[0]
    if "xn--" not in host:
        return host
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError):
                # not valid IDNA 2008 (mixed scripts, symbols): decode the punycode anyway
                with contextlib.suppress(UnicodeError, ValueError):
                    label = label[4:].encode("ascii").decode("punycode")
        labels.append(label)
    return ".".join(labels)


def _is_ip(host: str) -> bool:
    if not host or not (host[0].isdigit() or ":" in host):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65_536)
def domain_info(host: str) -> DomainInfo:
    """Registered domain and suffix facts for a host (any case, punycode or Unicode)."""
    punycode = "xn--" in host.lower() or not host.isascii()
    decoded = decode_host(host)
    if _is_ip(decoded):
        return DomainInfo(decoded, decoded, decoded, "", False, True, False)
    result = _extractor()(decoded)
    registered = f"{result.domain}.{result.suffix}" if result.domain and result.suffix else decoded
    return DomainInfo(
        host=decoded,
        registered_domain=registered,
        label=result.domain or decoded.split(".", 1)[0],
        suffix=result.suffix,
        private_suffix=bool(getattr(result, "is_private", False)),
        is_ip=False,
        punycode=punycode,
    )


def registered_domain(host: str) -> str:
    """The registered domain of a host: `www.bbc.co.uk` -> `bbc.co.uk`, `a.b.pages.dev` -> `b.pages.dev`."""
    return domain_info(host).registered_domain


def has_known_suffix(host: str) -> bool:
    """True when the host ends in a public suffix and has a label under it."""
    info = domain_info(host)
    return bool(info.suffix) and info.registered_domain != info.suffix and not info.is_ip
