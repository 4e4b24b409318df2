"""Lookalikes of protected names: discord, steam, nitro, paypal, google, the course's sites, ...

A host is a lookalike when one of its labels, reduced to a *skeleton* (accents dropped, Unicode
confusables and leetspeak folded, so `dіsс0rd`, `dïscord`, `xn--...` and `dlscord` all read
`dlscord`), equals a protected name's skeleton or is within a small edit distance of it, or when
a protected name sits inside the label next to scam words (`discord-nitro-gift`). Hosts mixing
Latin with Cyrillic or Greek letters are reported too. The real domains of a name never count.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bot.spam.confusables import is_mixed_script, scripts_of, skeleton
from bot.spam.protected import ANY_COUNTRY, OFFICIAL_DOMAINS, REAL_DOMAINS, SCAM_TOKENS, WORDLIKE

__all__ = [
    "OFFICIAL_DOMAINS",
    "REAL_DOMAINS",
    "Lookalike",
    "ProtectedNames",
    "find_lookalike",
    "is_mixed_script",
    "scripts_of",
    "skeleton",
]


@dataclass(frozen=True)
class Lookalike:
    """A match: the protected name, how it was matched, and whether it is an impersonation inside
    a longer name (`brand_in_host`) rather than a near-identical spelling (`lookalike`)."""

    name: str
    how: str  # "same name", "spelling", "confusable letters", "accents", "mixed scripts", ...
    code: str  # "lookalike" or "brand_in_host"


@dataclass(frozen=True)
class ProtectedNames:
    """Protected names with their skeletons and real domains, built from config entries."""

    names: tuple[str, ...]
    skeletons: tuple[str, ...]
    real: frozenset[str]

    @classmethod
    def build(cls, entries: tuple[str, ...]) -> ProtectedNames:
        return _build(entries)


@cache
def _build(entries: tuple[str, ...]) -> ProtectedNames:
    names: list[str] = []
    real: set[str] = set()
    for entry in entries:
        entry = entry.strip().lower().removeprefix("www.")
        if not entry:
            continue
        if "." in entry:  # "mycourse.org": protect "mycourse", and mycourse.org is real
            real.add(entry)
            entry = entry.split(".", 1)[0]
        if entry not in names:
            names.append(entry)
        real.update(REAL_DOMAINS.get(entry, ()))
    names.sort(key=len, reverse=True)  # steamcommunity before steam: the closest name is reported
    return ProtectedNames(tuple(names), tuple(skeleton(n) for n in names), frozenset(real))


def _how(raw: str, name: str) -> str:
    if raw == name:
        return "same name on another domain"
    if not raw.isascii():
        if is_mixed_script(raw):
            return "mixed scripts"
        scripts = scripts_of(raw)
        if scripts == {"CYRILLIC"}:
            return "all-Cyrillic spelling"
        if scripts == {"GREEK"}:
            return "all-Greek spelling"
        stripped = "".join(c for c in unicodedata.normalize("NFKD", raw) if not unicodedata.combining(c))
        if stripped.isascii():
            return "accents"
        return "confusable letters"
    if any(c.isdigit() for c in raw) and skeleton(raw) == skeleton(name):
        return "digit in place of a letter"
    return "spelling"


def _max_distance(name: str) -> int:
    if len(name) >= 12:
        return 2
    if len(name) >= 6:
        return 1
    return 0


def _scammy(rest: str, protected: ProtectedNames, own: str) -> bool:
    rest = rest.strip("-")
    if not rest or rest.replace("-", "").isdigit():
        return True  # "steam2024"
    for token in SCAM_TOKENS:
        if skeleton(token) in rest:
            return True
    return any(sk != own and len(sk) >= 4 and sk in rest for sk in protected.skeletons)


def find_lookalike(
    host: str, registered: str, label: str, suffix: str, private_suffix: bool, protected: ProtectedNames
) -> Lookalike | None:
    """The protected name `host` imitates, or None. Real domains of the names never match."""
    if registered in protected.real or host in protected.real:
        return None
    return _find(host, registered, label, suffix, private_suffix, protected)


@lru_cache(maxsize=32_768)
def _find(
    host: str, registered: str, label: str, suffix: str, private_suffix: bool, protected: ProtectedNames
) -> Lookalike | None:
    label_sk = skeleton(label)
    # 1. the registered label itself, whole or per hyphen-separated part
    parts = [label_sk] + [p for p in label_sk.split("-") if p and p != label_sk]
    raw_parts = [label] + [p for p in label.split("-") if p and p != label]
    for name, name_sk in zip(protected.names, protected.skeletons, strict=True):
        limit = _max_distance(name)
        for index, (part, raw) in enumerate(zip(parts, raw_parts, strict=False)):
            if part == name_sk:
                if index == 0 and raw == name and name in ANY_COUNTRY and suffix and not private_suffix:
                    return None  # google.de, paypal.co.uk
                if index > 0:
                    if raw != name and any(c.isdigit() for c in raw):
                        return Lookalike(name, "digit in place of a letter", "lookalike")
                    # the name as one part of a longer label: impersonation only with scam words
                    if _scammy(label_sk.replace(name_sk, "", 1), protected, name_sk):
                        return Lookalike(name, "name inside the domain", "brand_in_host")
                    continue
                return Lookalike(name, _how(raw, name), "lookalike")
            if (
                limit
                and len(part) >= 4
                and abs(len(part) - len(name_sk)) <= limit
                and OSA.distance(part, name_sk, score_cutoff=limit) <= limit
            ):
                return Lookalike(name, _how(raw, name), "lookalike")
        # 2. the name inside a longer label next to scam words: discordgift, free-nitro, dicsordgifts
        if len(name_sk) >= 5 and len(label_sk) > len(name_sk) and name not in WORDLIKE:
            if name_sk in label_sk:
                rest = label_sk.replace(name_sk, "", 1)
            elif len(name_sk) >= 6 and fuzz.partial_ratio(name_sk, label_sk, score_cutoff=85):
                found = fuzz.partial_ratio_alignment(name_sk, label_sk)
                rest = label_sk[: found.dest_start] + label_sk[found.dest_end :] if found else label_sk
            else:
                continue
            if _scammy(rest, protected, name_sk):
                return Lookalike(name, "name inside the domain", "brand_in_host")
    # 3. a protected name as a subdomain of an unrelated domain: discord.com-gift.ru, steam.verify.xyz
    subdomain = host[: -len(registered)].rstrip(".") if host.endswith(registered) else ""
    if subdomain:
        subs = subdomain.split(".")[-8:]
        for sub in subs:
            sub_sk = skeleton(sub)
            for name, name_sk in zip(protected.names, protected.skeletons, strict=True):
                if sub_sk == name_sk:
                    return Lookalike(name, "name as a subdomain", "lookalike")
        # 4. a name split across labels: pay.pal-login.com, disc.ord.gift-claim.ru
        joined = "".join(skeleton(part) for part in [*subs, label]).replace("-", "")
        for name, name_sk in zip(protected.names, protected.skeletons, strict=True):
            if len(name_sk) >= 5 and name_sk in joined:
                return Lookalike(name, "name split across subdomains", "lookalike")
    return None
