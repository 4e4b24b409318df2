"""The host model: how much a host name looks like a scam domain, from its characters alone.

Features of a host (all hashed with CRC-32 into `DIM` slots): character 3- and 4-grams of the
labels under the public suffix, the suffix and TLD, length / digit / hyphen / label-count buckets,
a free-hosting suffix (vercel.app, pages.dev, ...), brand and lure words anywhere in the name,
and the confusable / digit-swap distance of each label to a brand. A logistic regression over
them (trained by `coursebot spam train`, weights in `data/spam/host-model.npy`) gives the score;
`explain()` turns the strongest facts into words a moderator reads.
"""

from __future__ import annotations

import json
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
from rapidfuzz.distance import OSA

from bot.spam.lookalike import skeleton
from bot.spam.protected import NEAR_BRAND_WORDS

DIM = 1 << 17
WEIGHTS_FILE = "host-model.npy"
META_FILE = "models.json"

# Brands scams dress up as (the lookalike check protects a configurable subset; the model learns
# from all of them). Skeleton form (see lookalike.skeleton): "l" for i/1, "o" for 0, ...
BRANDS = (
    "discord",
    "nitro",
    "steam",
    "steamcommunity",
    "steampowered",
    "hypesquad",
    "paypal",
    "google",
    "microsoft",
    "apple",
    "icloud",
    "github",
    "roblox",
    "epicgames",
    "fortnite",
    "twitch",
    "valorant",
    "riotgames",
    "minecraft",
    "xbox",
    "playstation",
    "nintendo",
    "battlenet",
    "blizzard",
    "ubisoft",
    "csgo",
    "binance",
    "coinbase",
    "metamask",
    "trustwallet",
    "phantom",
    "opensea",
    "ledger",
    "kraken",
    "blockchain",
    "uniswap",
    "youtube",
    "instagram",
    "facebook",
    "tiktok",
    "telegram",
    "netflix",
    "amazon",
    "spotify",
    "futurelearn",
)
LURES = (
    "gift",
    "free",
    "claim",
    "drop",
    "airdrop",
    "promo",
    "verif",
    "captcha",
    "login",
    "signin",
    "secure",
    "account",
    "support",
    "appeal",
    "wallet",
    "sync",
    "connect",
    "dapp",
    "reward",
    "bonus",
    "giveaway",
    "event",
    "skin",
    "trade",
    "case",
    "prize",
    "offer",
    "premium",
    "boost",
    "auth",
    "recover",
    "unlock",
    "validat",
    "mint",
    "nft",
    "token",
    "crypto",
    "robux",
    "vbuck",
    "moderat",
    "staff",
    "apply",
    "partner",
    "check",
    "bot",
    "help",
    "update",
    "official",
    "security",
    "gen",
)
_BRAND_SK = tuple((b, skeleton(b)) for b in BRANDS)
_LURE_SK = tuple((w, skeleton(w)) for w in LURES)

# TLDs a moderator knows as cheap and much abused; named in reasons ("new TLD"), learned anyway.
ABUSED_TLDS = frozenset(
    [
        "xyz",
        "top",
        "club",
        "online",
        "site",
        "ru",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "icu",
        "shop",
        "store",
        "live",
        "fun",
        "pw",
        "su",
        "cc",
        "ws",
        "buzz",
        "link",
        "click",
        "gift",
        "gifts",
        "info",
        "biz",
        "monster",
        "rest",
        "cyou",
        "sbs",
        "cfd",
        "bond",
        "quest",
        "best",
        "life",
        "world",
        "today",
        "space",
        "website",
        "tech",
        "pro",
        "fit",
        "host",
        "press",
        "one",
        "vip",
        "win",
        "bet",
        "gg",
        "ink",
        "lol",
    ]
)

FREE_HOSTS = frozenset(
    [
        "github.io",
        "gitlab.io",
        "vercel.app",
        "netlify.app",
        "pages.dev",
        "web.app",
        "firebaseapp.com",
        "herokuapp.com",
        "glitch.me",
        "replit.app",
        "repl.co",
        "onrender.com",
        "fly.dev",
        "streamlit.app",
        "hf.space",
        "wixsite.com",
        "wordpress.com",
        "blogspot.com",
        "notion.site",
        "carrd.co",
        "webflow.io",
        "readthedocs.io",
        "surge.sh",
        "codepen.io",
        "neocities.org",
        "weebly.com",
        "000webhostapp.com",
        "workers.dev",
        "azurewebsites.net",
        "cloudfront.net",
        "appspot.com",
        "firebaseio.com",
        "r2.dev",
        "ngrok.io",
        "ngrok-free.app",
        "trycloudflare.com",
    ]
)


def _bucket(value: int, edges: tuple[int, ...]) -> int:
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges)


@dataclass(frozen=True, slots=True)
class HostView:
    """A host split for the model: Unicode host, the part under the suffix, the suffix."""

    host: str
    name: str  # labels under the public suffix, "login.discord-gift"
    suffix: str


def split_host(host: str, suffix: str) -> HostView:
    host = host.lower().rstrip(".").removeprefix("www.")
    if suffix and host.endswith("." + suffix):
        name = host[: -len(suffix) - 1]
    elif suffix == host:
        name = ""
    else:
        name, _, suffix = host.rpartition(".") if "." in host else (host, "", "")
    return HostView(host, name, suffix)


@lru_cache(maxsize=16_384)
def facts(host: str, suffix: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(feature strings, human facts) of a host. Facts are phrases for reasons."""
    view = split_host(host[:253], suffix)
    name, suffix = view.name, view.suffix
    tld = suffix.rsplit(".", 1)[-1] if suffix else ""
    feats: list[str] = [f"s:{suffix}", f"t:{tld}"]
    human: list[str] = []
    free = suffix in FREE_HOSTS
    if free:
        feats.append("free")
    labels = [lab for lab in name.split(".") if lab]
    feats.append(f"nl:{_bucket(len(labels), (1, 2, 3))}")
    feats.append(f"len:{_bucket(len(name), (4, 6, 8, 10, 13, 16, 20, 26, 34))}")
    digits = sum(c.isdigit() for c in name)
    hyphens = name.count("-")
    feats.append(f"dg:{_bucket(digits, (0, 1, 2, 4))}")
    feats.append(f"hy:{_bucket(hyphens, (0, 1, 2, 3))}")
    ascii_name = name.isascii()
    if not ascii_name:
        feats.append("nonascii")
        scripts = {unicodedata.name(c, "?").split(" ", 1)[0] for c in name if c.isalpha()}
        feats.append("scripts:" + "+".join(sorted(scripts)))
        human.append("letters from another alphabet")
    sk_name = skeleton(name) if name else ""
    # character n-grams of the skeleton, per label with boundaries
    for lab in sk_name.split("."):
        padded = f"<{lab}>"
        for n in (3, 4):
            for i in range(len(padded) - n + 1):
                feats.append(f"g{padded[i : i + n]}")
    flat = sk_name.replace(".", "").replace("-", "")
    brands_found: list[str] = []
    for brand, bsk in _BRAND_SK:
        if bsk in flat:
            brands_found.append(brand)
    for brand in brands_found[:3]:
        feats.append(f"b:{brand}")
    if brands_found:
        feats.append("brand")
        if free:
            feats.append("brand+free")
    lures = [w for w, wsk in _LURE_SK if wsk in flat]
    for word in lures[:4]:
        feats.append(f"w:{word}")
    if lures:
        feats.append(f"nw:{min(3, len(lures))}")
        if brands_found:
            feats.append("brand+lure")
    # near-spellings of a brand: per label and hyphen part, distance of the skeletons
    near = ""
    swapped = False
    for part in {p for lab in sk_name.split(".") for p in [lab, *lab.split("-")] if len(p) >= 4}:
        if part in NEAR_BRAND_WORDS:
            continue  # an everyday word a letter away from a brand ("team", "switch"): not a misspelling
        for brand, bsk in _BRAND_SK:
            if len(bsk) < 5 or abs(len(part) - len(bsk)) > 2:
                continue
            dist = OSA.distance(part, bsk, score_cutoff=2)
            if dist <= 2 and part != brand:
                feats.append(f"near:{dist}")
                near = near or brand
                if dist == 0:
                    swapped = True
    raw_parts = name.replace(".", "-").split("-")
    has_swap = ascii_name and any(
        any(c.isdigit() for c in p) and any(c.isalpha() for c in p) and skeleton(p) != p for p in raw_parts
    )
    if has_swap:
        feats.append("digitswap")
    if brands_found:
        brand = brands_found[0]
        if has_swap and swapped:
            human.append("digit in place of a letter")
        human.append(f"brand '{brand}'")
    elif near:
        human.append(f"misspelling of '{near}'")
        if has_swap:
            human.append("digit in place of a letter")
    if lures:
        human.append(f"lure word '{lures[0]}'")
    if free and brands_found:
        human.append(f"brand on free hosting ({suffix})")
    if tld in ABUSED_TLDS:
        human.append("new TLD" if len(tld) > 2 or tld in {"gg", "cc", "ws", "pw", "su"} else "much-abused TLD")
    if hyphens >= 2:
        human.append("many hyphens")
    return tuple(feats), tuple(human)


def feature_indexes(feats: tuple[str, ...], _crc: Any = zlib.crc32) -> list[int]:
    """Hashed slots of feature strings (each slot once)."""
    return sorted({_crc(f.encode("utf-8", "surrogatepass")) % DIM for f in feats})


@dataclass(frozen=True, eq=False)
class HostModel:
    weights: Any  # numpy float32 array of DIM + 1 (bias last)
    threshold: float  # probability at which a host counts as a scam domain

    def probability(self, host: str, suffix: str) -> float:
        return _probability(self, host, suffix)

    def explain(self, host: str, suffix: str) -> tuple[str, ...]:
        return facts(host, suffix)[1]


@lru_cache(maxsize=16_384)
def _probability(model: HostModel, host: str, suffix: str) -> float:
    idx = feature_indexes(facts(host, suffix)[0])
    w = model.weights
    z = float(w[idx].sum(dtype=np.float64)) + float(w[DIM])
    z = max(-40.0, min(40.0, z))
    return 1.0 / (1.0 + float(np.exp(-z)))


def _meta() -> dict[str, Any]:
    from bot.spam.lists import read_shipped

    raw = read_shipped(META_FILE)
    if raw is None:
        return {}
    data: dict[str, Any] = json.loads(raw.decode("utf-8"))
    return data


@cache
def shipped_host_model() -> HostModel | None:
    """The shipped host model, or None when its weights are missing (the rules still work)."""
    import io

    from bot.spam.lists import read_shipped

    raw = read_shipped(WEIGHTS_FILE)
    meta = _meta().get("host")
    if raw is None or not meta:
        return None
    weights = np.load(io.BytesIO(raw), allow_pickle=False)
    if weights.shape != (DIM + 1,):
        return None
    return HostModel(weights, float(meta["threshold"]))
