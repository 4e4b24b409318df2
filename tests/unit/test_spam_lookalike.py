"""Lookalikes of protected names, and the real domains that never count."""

from __future__ import annotations

import pytest

from bot.spam.config import DEFAULT_PROTECTED_NAMES
from bot.spam.domains import domain_info
from bot.spam.lookalike import ProtectedNames, find_lookalike, is_mixed_script, skeleton

PROTECTED = ProtectedNames.build(DEFAULT_PROTECTED_NAMES)


def look(host: str, protected: ProtectedNames = PROTECTED):
    info = domain_info(host)
    return find_lookalike(info.host, info.registered_domain, info.label, info.suffix, info.private_suffix, protected)


@pytest.mark.parametrize(
    ("host", "name", "how"),
    [
        ("steamcommunlty.com", "steamcommunity", "spelling"),  # small edit distance
        ("dlscord.gift", "discord", "spelling"),  # l for i
        ("disc0rd.com", "discord", "digit in place of a letter"),  # leetspeak
        ("stearncommunity.ru", "steamcommunity", "spelling"),  # rn for m
        ("dïscord.com", "discord", "accents"),
        ("dіscord.com", "discord", "mixed scripts"),  # Cyrillic і
        ("xn--dscord-pvf.com", "discord", "mixed scripts"),  # the same, as punycode
        ("раураӏ.com", "paypal", "all-Cyrillic spelling"),  # all Cyrillic
        ("paypa1.com", "paypal", "digit in place of a letter"),
        ("goog1e.com", "google", "digit in place of a letter"),
        ("steam.xyz", "steam", "same name on another domain"),
        ("futurelaern.com", "futurelearn", "spelling"),
    ],
)
def test_lookalikes(host: str, name: str, how: str) -> None:
    found = look(host)
    assert found is not None
    assert (found.name, found.how, found.code) == (name, how, "lookalike")


@pytest.mark.parametrize(
    "host", ["discord-nitro-gift.ru", "steamcommunity-trade.xyz", "free-nitro.vercel.app", "dicsordgifts.one"]
)
def test_protected_name_inside_a_scam_domain(host: str) -> None:
    found = look(host)
    assert found is not None
    assert found.code == "brand_in_host"


def test_protected_name_as_subdomain_of_another_domain() -> None:
    found = look("discord.com-verify.ru")
    assert found is not None and found.name == "discord"


@pytest.mark.parametrize(
    "host",
    [
        "discord.com",
        "discord.gg",
        "discordapp.com",
        "steamcommunity.com",
        "store.steampowered.com",
        "paypal.com",
        "google.com",
        "google.co.uk",
        "google.de",
        "docs.google.com",
        "futurelearn.com",
    ],
)
def test_real_domains_never_count(host: str) -> None:
    assert look(host) is None


@pytest.mark.parametrize(
    "host",
    [
        "stream.com",
        "team.com",
        "steak.com",
        "gonitro.com",
        "nitropack.io",
        "discordant.com",
        "googleblog.com",
        "jane.github.io",
        "disboard.org",
        "youtube.com",
        "wikipedia.org",
        "coursera.org",
    ],
)
def test_ordinary_domains_are_not_lookalikes(host: str) -> None:
    assert look(host) is None


def test_server_added_name_with_its_real_domain() -> None:
    protected = ProtectedNames.build((*DEFAULT_PROTECTED_NAMES, "marketingcamp.org"))
    assert look("marketingcamp.org", protected) is None
    found = look("marketlngcamp.org", protected)
    assert found is not None and found.name == "marketingcamp"
    assert look("marketlngcamp.org") is None  # not protected by default


def test_skeleton_and_scripts() -> None:
    assert skeleton("DÏSC0RD") == skeleton("discord")
    assert skeleton("dіscord") == skeleton("discord")
    assert is_mixed_script("dіscord")
    assert not is_mixed_script("discord")
    assert not is_mixed_script("пример")
