"""Each signal on its own: the reason code, and a detail a moderator can act on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.spam.config import SpamConfig
from bot.spam.engine import MessageContext, SpamEngine, assess_text


def codes(text: str, **ctx) -> list[str]:
    engine = SpamEngine(ctx.pop("config", None))
    return engine.check(MessageContext(content=text, **ctx)).codes


def detail(text: str, code: str, **ctx) -> str:
    engine = SpamEngine(ctx.pop("config", None))
    verdict = engine.check(MessageContext(content=text, **ctx))
    return next(r.detail for r in verdict.reasons if r.code == code)


def test_phishing_list_host_is_deleted_even_with_deletion_off() -> None:
    verdict = assess_text("check this https://steamcommunlty.com/tradeoffer")
    assert "phishing_list" in verdict.codes
    assert verdict.action == "delete"
    assert "steamcommunlty.com" in verdict.reasons[0].detail


def test_phishing_list_path_entry_on_a_shortener() -> None:
    assert "phishing_list" in assess_text("https://bit.ly/3dhfn9i").codes
    assert "phishing_list" not in assess_text("https://bit.ly/somethingelse").codes


def test_suspicious_list() -> None:
    assert "suspicious_list" in codes("look https://0x1trade.com")


def test_server_block_list() -> None:
    config = SpamConfig(blocked_domains={"spammy-seo.biz"})
    verdict = SpamEngine(config).check(MessageContext("read https://blog.spammy-seo.biz/post"))
    assert verdict.codes[0] == "blocked_domain"
    assert verdict.action == "flag"
    deleting = SpamEngine(config.with_changes(delete_enabled=True))
    assert deleting.check(MessageContext("read https://spammy-seo.biz/post")).action == "delete"


def test_lookalike_signal() -> None:
    assert detail("my trade link https://steamcommunlty.com/id/x", "lookalike").startswith(
        "lookalike of steamcommunity: steamcommunlty.com"
    )


def test_brand_in_host_signal() -> None:
    assert "brand_in_host" in codes("https://discord-nitro-claim.xyz/")


def test_mixed_script_signal() -> None:
    assert "mixed_script" in codes("https://prіmer.com/page")  # Cyrillic і, not a protected name


def test_masked_link_mismatch() -> None:
    text = "your gift: [https://discord.com/gifts/abc](https://gifts-claim.example.ru/abc)"
    assert detail(text, "masked_mismatch") == "masked link shows discord.com but opens gifts-claim.example.ru"
    # same site in text and target: fine
    assert "masked_mismatch" not in codes("[example.org docs](https://www.example.org/docs)")


def test_seo_anchor_in_a_long_post() -> None:
    filler = "We compared several channels for reaching customers and measured what worked. " * 5
    text = filler + "See [cheap flights london](https://travel-deals.example.com/london) for details. " + filler
    assert "seo_anchor" in codes(text)
    assert "seo_anchor" not in codes(filler + "See [this article](https://travel.example.com/a). " + filler)


def test_shortener() -> None:
    assert detail("look https://tinyurl.com/abcd123 now", "shortener") == "URL shortener hides the target: tinyurl.com"


def test_ip_logger() -> None:
    assert "ip_logger" in codes("funny pic https://grabify.link/ABC123")


def test_invite_to_another_server() -> None:
    verdict = assess_text("join us at discord.gg/coolserver")
    assert "invite" in verdict.codes and verdict.action == "flag"
    config = SpamConfig(allowed_invites={"coolserver"})
    assert "invite" not in codes("join us at discord.gg/coolserver", config=config)


def test_spam_wording_near_a_link() -> None:
    text = "We sell fresh germany phone number list https://data-leads.example.com"
    assert "phone number list" in detail(text, "spam_wording")
    assert assess_text(text).action == "flag"


def test_spam_wording_in_the_link_path() -> None:
    assert "spam_wording" in codes("useful: https://data.example.com/germany-phone-number-list/")


def test_many_links() -> None:
    text = " ".join(f"https://site{i}.example{i}.com" for i in range(5))
    assert "many_links" in codes(text)


def test_repeated_link() -> None:
    assert "repeated_link" in codes("https://x.example.com/a https://x.example.com/a https://x.example.com/a")


def test_mass_mention_with_a_link() -> None:
    assert "mass_mention" in codes("@everyone look https://promo.example.com")
    assert "mass_mention" in codes("look https://promo.example.com", mention_count=8)
    assert "mass_mention" in codes("look https://promo.example.com", mentions_everyone=True)
    assert "mass_mention" not in codes("@everyone the lesson starts now")


def test_new_member_and_first_messages() -> None:
    assert "new_member" in codes("see https://blog.example.com/post", member_age_days=0.5)
    assert "new_member" in codes("see https://blog.example.com/post", author_message_count=0)
    assert "new_member" not in codes("see https://blog.example.com/post", member_age_days=40, author_message_count=90)
    # trusted links never count
    assert "new_member" not in codes("see https://www.youtube.com/watch?v=x", member_age_days=0.1)


def test_new_account() -> None:
    assert "new_account" in codes("see https://blog.example.com/post", account_age_days=1)


def test_cross_post_and_flood() -> None:
    engine = SpamEngine()
    start = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    text = "Great deals here https://deals.example.shop/x"
    verdicts = [
        engine.check(
            MessageContext(text, author_id=7, channel_id=c, message_id=100 + c, timestamp=start + timedelta(seconds=c))
        )
        for c in (1, 2, 3)
    ]
    assert "flood" not in verdicts[0].codes
    assert "cross_post" in verdicts[1].codes
    assert "flood" in verdicts[2].codes and verdicts[2].action == "flag"
    assert len({v.flood_key for v in verdicts}) == 1
    copies = engine.flood_copies(verdicts[2].flood_key)
    assert [(c.channel_id, c.message_id) for c in copies] == [(1, 101), (2, 102), (3, 103)]


def test_disguised_link() -> None:
    assert "disguised_link" in codes("hxxps://offers[.]example[.]ru/x")
    assert detail("dis\u200bcount.example.ru/x", "disguised_link") == "link disguised with invisible characters"


def test_bare_link() -> None:
    assert "bare_link" in codes("https://random-site.example.com/page")
    assert "bare_link" not in codes("I wrote up my notes on the RACE framework here https://notes.example.com/race")


def test_referral_link() -> None:
    assert "referral_link" in codes("sign up https://game.example.com/?ref=abc123")


def test_solicitation_link() -> None:
    assert "solicitation_link" in codes("please https://www.gofundme.com/helpme")


def test_profile_link() -> None:
    assert "profile_link" in codes("https://www.facebook.com/SomePage")


def test_ip_host() -> None:
    assert "ip_host" in codes("http://203.0.113.7/login")


@pytest.mark.parametrize("code", ["phishing_list", "lookalike", "flood", "spam_wording", "invite"])
def test_weights_come_from_the_config(code: str) -> None:
    assert SpamConfig().weight(code) > 0
    assert SpamConfig(weights={code: 0.25}).weight(code) == 0.25
