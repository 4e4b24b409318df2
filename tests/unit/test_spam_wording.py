"""The shipped spam-wording rules: the fast anchored matching finds exactly what a plain regex
search finds, and every match contains one of its rule's trigger fragments."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pytest

from bot.spam.lists import branch_anchors, parse_wording, shipped_lists, split_branches

PHRASES = [
    "germany phone number list",
    "buy verified b2b email lists today",
    "ceo email database",
    "generate free leads on autopilot",
    "buy 1000 instagram followers cheap",
    "best smm panel",
    "free discord nitro for everyone",
    "steam gift card giveaway",
    "free robux here",
    "claim your reward now",
    "i'm leaving this server, take my skins",
    "accidentally sent you 50$",
    "the $pepe airdrop is live, connect your wallet",
    "crypto trading signals from an expert",
    "earn $500 a day from home",
    "double your money, passive income",
    "make extra money and get paid to share",
    "you have won a £1000 cash prize, txt win to 80086",
    "urgent! important information for you",
    "lucky winner of the weekly draw",
    "150p/wk, std txt rates, call 08712345678",
    "150 p per msg",
    "t&cs apply, po box 1234",
    "t & c apply",
    "reply stop to unsubscribe, 2stop, opt-out",
    "new ringtones, customer care, text credits",
    "£250 or 3gbp or 5 pounds, age16, 18+",
    "free entry, limited time, act now",
    "100% free discount, cheapest deal, no purchase",
    "click here or go to www now",
    "check out my channel and subscribe to me",
    "follow me, add me, join my server",
    "please like and share my video, vote for me",
    "dm me, we offer seo services, download now",
    "hack any facebook account, free download torrent",
    "verify your account or your account will be suspended, discord staff",
    # ordinary text that must not crash or match by accident
    "our course starts monday; your homework is the seo audit",
    "",
]


def corpus_texts() -> list[str]:
    root = Path("/work/shared/corpora")
    texts: list[str] = []
    sms = root / "sms" / "SMSSpamCollection"
    if sms.exists():
        texts += [line.split("\t", 1)[-1] for line in sms.read_text(encoding="utf-8").splitlines()]
    for path in sorted((root / "youtube").glob("*.csv")) if (root / "youtube").exists() else []:
        with path.open(encoding="utf-8", newline="") as fh:
            texts += [html.unescape(row["CONTENT"]) for row in csv.DictReader(fh)]
    return texts


def test_anchored_matching_equals_plain_search() -> None:
    lists = shipped_lists()
    for text in [p.lower() for p in PHRASES + corpus_texts()]:
        plain = {i for i, rule in enumerate(lists.wording) if rule.pattern.search(text)}
        fast = {lists.wording.index(rule) for rule, _ in lists.wording_matches(text)}
        assert fast == plain, text


def test_every_phrase_hits_a_rule() -> None:
    lists = shipped_lists()
    for phrase in PHRASES[:-2]:
        assert lists.wording_matches(phrase.lower()), phrase


def test_matches_contain_a_trigger() -> None:
    lists = shipped_lists()
    for text in [p.lower() for p in PHRASES + corpus_texts()]:
        for rule in lists.wording:
            if rule.pattern.search(text):
                assert any(t in text for t in rule.triggers), (rule.kind, text)


@pytest.mark.parametrize(
    ("branch", "anchors"),
    [
        (r"\b(?:phone|mobile|cell(?:phone)?)\s+list", ("phone", "mobile", "cell")),
        (r"\bfree\s+nitro", ("free",)),
        (r"(?<!\d)(?:087|090)\d{7}", ("087", "090")),
        (r"(?:£|€)\s?\d", ("£", "€")),
        (r"\b(?:a|b)?x", None),
        (r"\b\d+p", None),
    ],
)
def test_branch_anchors(branch: str, anchors: tuple[str, ...] | None) -> None:
    assert branch_anchors(branch) == anchors


def test_split_branches_keeps_groups_and_classes() -> None:
    assert split_branches(r"a(?:b|c)|[|]d|e\|f") == ["a(?:b|c)", "[|]d", r"e\|f"]


def test_parse_wording_file_format() -> None:
    rules = parse_wording(["# comment", "", "0.5\tdemo\tfoo,bar\t\\bfoo\\b|\\bbar\\b"])
    assert len(rules) == 1
    rule = rules[0]
    assert (rule.kind, rule.weight, rule.triggers) == ("demo", 0.5, ("foo", "bar"))
    assert [anchors for anchors, _ in rule.branches] == [("foo",), ("bar",)]
