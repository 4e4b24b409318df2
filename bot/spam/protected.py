"""The protected names' real domains, the words that make a brand inside a domain an impersonation,
and the names that are also ordinary words."""

from __future__ import annotations

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

# Everyday words within two letters of a protected brand: learners name sites with them.
NEAR_BRAND_WORDS = frozenset(
    [
        "team",
        "teams",
        "stream",
        "streams",
        "dream",
        "steak",
        "seam",
        "stem",
        "apply",
        "ample",
        "switch",
        "stitch",
        "witch",
        "twitter",
        "ledge",
        "leader",
        "legend",
        "kraft",
        "amazing",
        "goggle",
        "nitrogen",
        "disco",
        "record",
        "accord",
        "blocks",
        "chain",
        "spot",
        "telegraph",
    ]
)
