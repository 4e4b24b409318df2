"""The engine as a whole: the kinds of spam it must catch, the learner links it must leave alone,
and that it never raises on any text."""

from __future__ import annotations

import dataclasses
import string
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.spam.config import SpamConfig
from bot.spam.engine import MessageContext, SpamEngine, Verdict, assess_text
from bot.spam.flood import FloodCopy, FloodTracker

SEED = Path("/work/shared/seeds/002_8d3fb6c48f56ab95.txt")
SEED_PHRASE = "germany phone number list"


def seed_text() -> str:
    if SEED.exists():
        return SEED.read_text(encoding="utf-8")
    return (
        "Network Administration: Ensuring reliable and secure connectivity germany phone number list "
        "managing internet access, and optimizing network performance. " * 6
    )


# --- the kinds of spam ---------------------------------------------------------------------------


def test_seo_link_drop_in_a_sensible_post_is_flagged() -> None:
    text = seed_text().replace(SEED_PHRASE, f"[{SEED_PHRASE}](https://latestdatabase.com/germany-phone-number-list/)")
    verdict = assess_text(text)
    assert verdict.action == "flag"
    assert "spam_wording" in verdict.codes
    assert {"seo_anchor", "exact_anchor", "commercial_anchor"} & set(verdict.codes)  # the anchor is the slug
    assert any("phone number list" in t for t in verdict.reason_texts)


def test_the_same_post_without_the_link_is_clean() -> None:
    assert assess_text(seed_text()).action == "none"


def test_discussing_spam_without_a_link_is_not_spam() -> None:
    for text in (
        "Is it legal under GDPR to buy a germany phone number list for cold calling?",
        "Someone DM'd me about free nitro and a steam gift, obviously a scam. Report those!",
        "Why do spammers sell email lists and followers? Asking for the module 3 discussion.",
    ):
        verdict = assess_text(text)
        assert verdict.action == "none", (text, verdict.reasons)


def test_masked_nitro_link() -> None:
    verdict = assess_text("Discord is giving away [Free Nitro for 3 months](https://dlscord-nitro.click/claim) 🎁")
    assert verdict.action in ("flag", "delete")
    assert "spam_wording" in verdict.codes
    assert {"lookalike", "brand_in_host"} & set(verdict.codes)


def test_lookalike_steam_link() -> None:
    verdict = assess_text("bro can you vote for my team? https://steamcommunnity.work/vote/1234")
    assert verdict.action == "flag"
    assert any(t.startswith("lookalike of steamcommunity") for t in verdict.reason_texts)


def test_crypto_airdrop() -> None:
    verdict = assess_text("🚀 $PEPE airdrop is live! Connect your wallet to claim: https://pepe-claim.app/")
    assert verdict.action == "flag"


def test_self_promotion_from_a_newcomer() -> None:
    engine = SpamEngine()
    ctx = MessageContext(
        "Check out my agency, we offer SEO services at great prices https://rank-fast.example.biz",
        member_age_days=0.2,
        author_message_count=0,
    )
    assert engine.check(ctx).action == "flag"


def test_edit_does_not_count_as_a_second_copy() -> None:
    engine = SpamEngine()
    ctx = MessageContext("deals at https://deals.example.shop/x today", author_id=1, channel_id=1, message_id=9)
    engine.check(ctx)
    engine.check(ctx)
    assert len(engine.flood_copies(engine.check(ctx).flood_key)) == 1


def test_three_channel_flood_of_a_link_free_text() -> None:
    engine = SpamEngine()
    now = datetime(2026, 3, 1, tzinfo=UTC)
    text = "Who wants to earn money with me? DM me now, limited spots"
    verdicts = [
        engine.check(MessageContext(text, author_id=4, channel_id=c, timestamp=now + timedelta(seconds=c)))
        for c in (1, 2, 3)
    ]
    assert [v.action for v in verdicts] == ["none", "none", "flag"]
    assert verdicts[2].codes == ["flood"]


def test_flood_window_expires() -> None:
    engine = SpamEngine(SpamConfig(flood_window_seconds=60))
    now = datetime(2026, 3, 1, tzinfo=UTC)
    text = "deals at https://deals.example.shop/x"
    for i, channel in enumerate((1, 2, 3)):
        verdict = engine.check(
            MessageContext(text, author_id=4, channel_id=channel, timestamp=now + timedelta(minutes=2 * i))
        )
    assert "flood" not in verdict.codes and "cross_post" not in verdict.codes


def test_other_authors_do_not_make_a_flood() -> None:
    engine = SpamEngine()
    text = "deals at https://deals.example.shop/x"
    for author, channel in ((1, 1), (2, 2), (3, 3)):
        verdict = engine.check(MessageContext(text, author_id=author, channel_id=channel))
    assert "flood" not in verdict.codes


# --- learners' links stay unflagged --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The course page is https://www.futurelearn.com/courses/digital-marketing-challenges-and-insights",
        "Here is my project, feedback welcome! https://jane-doe.github.io/portfolio/",
        "Check out my project: https://marketing-dashboard.vercel.app",
        "This video explains the funnel well https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "short link https://youtu.be/dQw4w9WgXcQ",
        "Docs: https://developers.google.com/analytics and https://moz.com/learn/seo",
        "Wikipedia has a good summary: https://en.wikipedia.org/wiki/Digital_marketing",
        "I wrote about email marketing on my blog https://annas-notes.netlify.app/email",
        "Our study group: https://docs.google.com/document/d/abc/edit",
    ],
)
def test_learner_links_are_not_flagged(text: str) -> None:
    engine = SpamEngine()
    ctx = MessageContext(text, member_age_days=0.1, author_message_count=0, account_age_days=400)
    verdict = engine.check(ctx)
    assert verdict.action == "none", verdict.reasons


def test_server_trusted_domain_wins() -> None:
    text = "https://tinyurl.com/abc123"
    assert assess_text(text).codes
    engine = SpamEngine(SpamConfig(allowed_domains={"tinyurl.com"}))
    assert engine.check(MessageContext(text)).action == "none"


def test_exempt_author_and_channel() -> None:
    engine = SpamEngine(SpamConfig(exempt_user_ids={5}, exempt_channel_ids={9}))
    scam = "free nitro https://dlscord-gift.com/x"
    assert engine.check(MessageContext(scam, author_id=5)).action == "none"
    assert engine.check(MessageContext(scam, channel_id=9)).action == "none"
    assert engine.check(MessageContext(scam, author_id=6, channel_id=8)).action == "delete"


# --- API ------------------------------------------------------------------------------------------


def test_verdict_api() -> None:
    verdict = assess_text("[https://discord.com/gift](https://dlscord.gift/x)")
    assert isinstance(verdict, Verdict)
    assert verdict.score == pytest.approx(sum(r.weight for r in verdict.reasons), abs=0.01)
    assert verdict.reason_texts == [r.detail for r in verdict.reasons]
    link = verdict.links[0]
    assert (link.url, link.host, link.registered_domain, link.masked_text) == (
        "https://dlscord.gift/x",
        "dlscord.gift",
        "dlscord.gift",
        "https://discord.com/gift",
    )
    assert verdict.flood_key is None  # assess_text is stateless
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.score = 0  # type: ignore[misc]


def test_thresholds_decide_the_action() -> None:
    text = "join us at discord.gg/coolserver"  # invite: 1.0
    assert SpamEngine(SpamConfig(flag_threshold=1.5)).check(MessageContext(text)).action == "none"
    engine = SpamEngine(SpamConfig(delete_enabled=True, delete_threshold=1.0))
    assert engine.check(MessageContext(text)).action == "delete"


def test_clean_message_has_no_flood_key_when_short() -> None:
    verdict = SpamEngine().check(MessageContext("thanks!", author_id=1, channel_id=1))
    assert verdict == Verdict(0.0, "none", (), ())


# --- robustness -----------------------------------------------------------------------------------

URLISH = st.sampled_from(
    [
        "http://",
        "https://",
        "hxxp://",
        "www.",
        ".",
        "[.]",
        "(dot)",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "`",
        "```",
        "%2e",
        "%",
        "@",
        "/",
        ":",
        "discord.gg/",
        "xn--",
        "\u200b",
        "．",
        "。",
        "-",
        "|",
        "\n",
        " ",
        "a",
        "com",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=600),
    st.lists(st.one_of(URLISH, st.text(alphabet=string.ascii_letters + ".-/", max_size=8)), max_size=200).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, age=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)))
def test_engine_never_raises(text: str, age: float | None) -> None:
    engine = SpamEngine()
    verdict = engine.check(MessageContext(text, author_id=1, channel_id=2, member_age_days=age, account_age_days=age))
    assert verdict.action in ("none", "flag", "delete")
    assert verdict.score >= 0
    assert assess_text(text).action in ("none", "flag", "delete")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 4000,
        "." * 4000,
        "a." * 2000,
        "https://" * 500,
        "[a](" * 1000,
        ("https://x" + "." * 50) * 60,
        "www." * 1000,
        "`" * 4000,
        "\u200b." * 2000,
        "a" * 100_000,
    ],
)
def test_adversarial_inputs(text: str) -> None:
    assert assess_text(text).action in ("none", "flag", "delete")


def test_flood_tracker_memory_is_bounded() -> None:
    tracker = FloodTracker(window_seconds=60, max_keys=100, max_copies=5)
    for i in range(1000):
        tracker.record(f"k{i % 300}", FloodCopy(channel_id=i, message_id=i, author_id=1, timestamp=float(i)))
    assert len(tracker) <= 100
    assert all(len(tracker.copies(f"k{i}")) <= 5 for i in range(300))


def test_reconfigured_engine_keeps_the_floods_seen() -> None:
    engine = SpamEngine()
    text = "deals at https://deals.example.shop/x"
    for channel in (1, 2):
        engine.check(MessageContext(text, author_id=4, channel_id=channel))
    changed = engine.reconfigured(SpamConfig(flag_threshold=1.2))
    verdict = changed.check(MessageContext(text, author_id=4, channel_id=3))
    assert "flood" in verdict.codes
    assert changed.config.flag_threshold == 1.2


# --- models on, any input: bounded, explained, consistent ---------------------------------------------

HOST_LABELS = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=20)
HOSTS = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(HOST_LABELS, min_size=1, max_size=4),
    st.sampled_from(["com", "xyz", "vercel.app", "pages.dev", "ru", "gift", "co.uk", "top"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(host=HOSTS, words=st.text(max_size=80), scheme=st.sampled_from(["https://", "HTTPS://", "Http://", "//", ""]))
def test_any_host_in_any_sentence_gets_a_bounded_explained_verdict(host: str, words: str, scheme: str) -> None:
    verdict = SpamEngine().assess(f"{words} {scheme}{host}/x")
    assert 0 <= verdict.score < 100
    assert verdict.flagged == (verdict.score >= 1.0) or verdict.action == "delete"
    for reason in verdict.reasons:
        assert reason.detail and reason.weight > 0
        if reason.code == "scam_host":
            assert reason.detail.startswith("host looks like a scam domain (")


@settings(max_examples=100, deadline=None)
@given(host=HOSTS)
def test_the_model_score_of_a_host_does_not_depend_on_case_or_www(host: str) -> None:
    engine = SpamEngine()
    lower = engine.assess(f"see https://{host}/a").codes
    upper = engine.assess(f"see https://WWW.{host.upper()}/a").codes
    assert ("scam_host" in lower) == ("scam_host" in upper)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=1, max_value=2000))
def test_hosts_of_any_number_of_labels_are_handled(n: int) -> None:
    text = ("https://" + "a." * n + "com")[:4000]
    verdict = SpamEngine().assess(text)
    assert all(len(link.host) <= 253 for link in verdict.links)


def test_a_domain_the_server_trusted_leaves_its_posts_wording_unjudged_the_shipped_list_does_not() -> None:
    """Trust domain is a moderator's decision about that site's posts; a video site on the shipped allow list
    is not: self-promotion beside a video link is still read by the message model."""
    promo = "fresh upload, please subscribe to my channel and share it https://www.youtube.com/watch?v=a1b2c3"
    assert any(r.code == "spam_text" for r in SpamEngine().assess(promo).reasons)
    trusted = SpamEngine(SpamConfig(allowed_domains={"growth-kit.shop"}))
    drop = "toolkit, new version: https://growth-kit.shop/launch https://growth-kit.shop/pricing"
    assert not any(r.code == "spam_text" for r in trusted.assess(drop).reasons)
    mixed = drop + " https://growth-kit-deals.shop/buy"  # one link it was not told to trust
    assert any(r.code == "spam_text" for r in SpamEngine().assess(mixed).reasons) == any(
        r.code == "spam_text" for r in trusted.assess(mixed).reasons
    )
