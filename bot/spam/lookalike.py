"""Lookalikes of protected names: discord, steam, nitro, paypal, google, the course's sites, ...

A host is a lookalike when one of its labels, reduced to a *skeleton* (accents dropped, Unicode
confusables and leetspeak folded, so `dіsс0rd`, `dïscord`, `xn--...` and `dlscord` all read
`dlscord`), equals a protected name's skeleton or is within a small edit distance of it, or when
a protected name sits inside the label next to scam words (`discord-nitro-gift`). Hosts mixing
Latin with Cyrillic or Greek letters are reported too. The real domains of a name never count.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

# Real registered domains of the shipped protected names.
REAL_DOMAINS: dict[str, frozenset[str]] = {
    "discord": frozenset(
        [
            "discord.com",
            "discord.gg",
            "discordapp.com",
            "discordapp.net",
            "discord.media",
            "discord.gift",
            "discord.new",
            "discord.dev",
            "discord.co",
            "discordstatus.com",
            "discord.store",
            "discord.design",
            "discordmerch.com",
            "discord.tools",
            "discord.gifts",
        ]
    ),
    "steam": frozenset(
        [
            "steampowered.com",
            "steamcommunity.com",
            "steamstatic.com",
            "steamgames.com",
            "steam.tv",
            "steamdeck.com",
            "steamchina.com",
            "steamcontent.com",
            "steamusercontent.com",
            "steamserver.net",
            "valvesoftware.com",
        ]
    ),
    "paypal": frozenset(["paypal.com", "paypal.me", "paypalobjects.com", "paypal-community.com"]),
    "google": frozenset(
        [
            "google.com",
            "goo.gl",
            "googleapis.com",
            "googleusercontent.com",
            "gstatic.com",
            "withgoogle.com",
            "googleblog.com",
            "blog.google",
            "googlevideo.com",
            "thinkwithgoogle.com",
            "googletagmanager.com",
            "google-analytics.com",
            "googleadservices.com",
            "googlesyndication.com",
            "goo.gle",
        ]
    ),
    "futurelearn": frozenset(["futurelearn.com", "futurelearn.org"]),
    "southampton": frozenset(["southampton.ac.uk", "soton.ac.uk"]),
}
_MORE_REAL = {
    "github": "github.com github.io githubusercontent.com githubassets.com github.dev github.blog githubstatus.com "
    "githubapp.com ghcr.io",
    "microsoft": "microsoft.com live.com microsoftonline.com office.com office365.com outlook.com azure.com "
    "windows.com bing.com xbox.com msn.com sharepoint.com skype.com microsoftstore.com visualstudio.com "
    "windowsupdate.com msft.net microsoft365.com aka.ms",
    "apple": "apple.com icloud.com apple.co me.com mzstatic.com itunes.com apple-dns.net cdn-apple.com",
    "icloud": "icloud.com apple.com",
    "roblox": "roblox.com rbxcdn.com rbx.com robloxlabs.com",
    "epicgames": "epicgames.com unrealengine.com fortnite.com epicgames.dev",
    "fortnite": "fortnite.com epicgames.com",
    "twitch": "twitch.tv twitchcdn.net twitchapps.com twitchsvc.net ttvnw.net jtvnw.net",
    "riotgames": "riotgames.com leagueoflegends.com playvalorant.com riotcdn.net",
    "valorant": "playvalorant.com riotgames.com",
    "minecraft": "minecraft.net mojang.com minecraft.com",
    "xbox": "xbox.com xboxlive.com microsoft.com",
    "playstation": "playstation.com playstation.net sonyentertainmentnetwork.com sony.com",
    "nintendo": "nintendo.com nintendo.net nintendo.co.jp nintendo.co.uk nintendo.de nintendo.eu",
    "blizzard": "blizzard.com battle.net blizzard.net",
    "battlenet": "battle.net blizzard.com",
    "ubisoft": "ubisoft.com ubi.com",
    "epic": "epicgames.com",
    "binance": "binance.com binance.us binance.org binance.info bnbchain.org",
    "coinbase": "coinbase.com base.org",
    "metamask": "metamask.io consensys.io consensys.net",
    "trustwallet": "trustwallet.com",
    "phantom": "phantom.app phantom.com",
    "opensea": "opensea.io",
    "kraken": "kraken.com",
    "ledger": "ledger.com",
    "blockchain": "blockchain.com",
    "uniswap": "uniswap.org",
    "youtube": "youtube.com youtu.be ytimg.com youtube-nocookie.com googlevideo.com",
    "instagram": "instagram.com cdninstagram.com",
    "facebook": "facebook.com fb.com fbcdn.net facebook.net meta.com",
    "tiktok": "tiktok.com tiktokcdn.com",
    "telegram": "telegram.org t.me telegram.me",
    "netflix": "netflix.com nflxext.com",
    "amazon": "amazon.com amazon.co.uk amazon.de amazonaws.com media-amazon.com",
    "spotify": "spotify.com scdn.co",
    "csgo": "counter-strike.net steampowered.com",
}
for _name, _domains in _MORE_REAL.items():
    REAL_DOMAINS[_name] = frozenset(_domains.split())
REAL_DOMAINS["discordapp"] = REAL_DOMAINS["discord"]
REAL_DOMAINS["nitro"] = REAL_DOMAINS["discord"]
REAL_DOMAINS["hypesquad"] = REAL_DOMAINS["discord"]
REAL_DOMAINS["steamcommunity"] = REAL_DOMAINS["steam"]
REAL_DOMAINS["steampowered"] = REAL_DOMAINS["steam"]
# Every official domain of every brand the filter knows (the host model never scores these).
OFFICIAL_DOMAINS: frozenset[str] = frozenset(d for domains in REAL_DOMAINS.values() for d in domains)

# Names whose exact label is real under any ordinary (not private) suffix: google.de, paypal.co.uk.
ANY_COUNTRY = frozenset({"google", "paypal", "microsoft", "apple", "nintendo", "playstation", "amazon", "binance"})


# Names that are also ordinary words: matched as a whole label or hyphen part only, never inside
# a longer word (pineapple-shop is not apple).
WORDLIKE = frozenset({"apple", "steam", "ledger", "phantom", "kraken", "epic", "nitro"})

# Words that turn "brand inside a domain" into an impersonation: discord-gift, steamcommunity-trade.
SCAM_TOKENS = (
    "gift",
    "nitro",
    "free",
    "drop",
    "claim",
    "promo",
    "trade",
    "offer",
    "skin",
    "login",
    "verify",
    "auth",
    "support",
    "giveaway",
    "bonus",
    "reward",
    "event",
    "airdrop",
    "wallet",
    "nft",
    "crypto",
    "app",
    "com",
    "community",
    "store",
    "shop",
    "secure",
    "account",
    "help",
    "staff",
    "apply",
    "invite",
    "boost",
    "premium",
    "market",
    "prize",
    "win",
    "get",
    "give",
    "club",
    "net",
    "official",
    "org",
    "renew",
    "academy",
    "moderat",
    "hype",
    "partner",
    "form",
    "exam",
    "join",
    "case",
    "skins",
    "inventory",
    "key",
    "code",
    "generat",
    "roll",
    "bet",
    "mint",
    "seed",
    "recover",
    "restore",
    "sync",
    "unlock",
    "validat",
    "connect",
    "dapp",
    "appeal",
    "ticket",
    "airdrop",
    "drops",
)

# Leetspeak and look-alike ASCII folded onto one letter; applied after Unicode confusables.
_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("ii", "u"))
_SINGLE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "!": "l",
        "|": "l",
        "3": "e",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "8": "b",
        "9": "g",
        "q": "g",
        "_": "-",
    }
)


@cache
def _confusable_table() -> dict[int, str]:
    """Non-ASCII characters that look like one ASCII letter or digit (Unicode confusables data)."""
    text = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    data = json.loads(text)
    table: dict[int, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[ord(char)] = target.lower()
                break
    return table


# Cyrillic and Greek lowercase letters that read as a Latin letter in a URL bar (some are missing
# from the confusables data in their lowercase or small-capital forms).
_SCRIPT_LOOKS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ӏ": "l", "һ": "h",
        "ԛ": "q", "ԝ": "w", "п": "n", "г": "r", "и": "u", "ь": "b",
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
        "χ": "x", "ω": "w", "η": "n", "ς": "s", "γ": "y", "μ": "u", "ɡ": "g", "ı": "i", "ȷ": "j",
    }
)  # fmt: skip


@lru_cache(maxsize=65_536)
def skeleton(label: str) -> str:
    """Fold a label to the letters it looks like: accents off, confusables and leetspeak folded."""
    label = label.lower()
    if not label.isascii():
        label = label.translate(_SCRIPT_LOOKS).translate(_confusable_table())
        decomposed = unicodedata.normalize("NFKD", label)
        label = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
        label = label.translate(_confusable_table())
    for pair, single in _MULTI:
        label = label.replace(pair, single)
    return label.translate(_SINGLE)


def scripts_of(label: str) -> frozenset[str]:
    """Scripts of the letters in a label (LATIN, CYRILLIC, GREEK, ...)."""
    out = set()
    for ch in label:
        if ch.isalpha():
            if ch.isascii():
                out.add("LATIN")
            else:
                name = unicodedata.name(ch, "")
                out.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return frozenset(out)


def is_mixed_script(label: str) -> bool:
    """True when a label mixes Latin letters with Cyrillic, Greek or another cased script."""
    if label.isascii():
        return False
    scripts = scripts_of(label)
    return "LATIN" in scripts and len(scripts) > 1


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
