"""Kinds recognised by their wording beside any link: self-promotion on video and social sites,
list sellers in other languages, SEO link and traffic sellers, token pumps, fake verification.
New wording of each kind (not the course set's rows), and the legitimate posts that share words."""

from __future__ import annotations

import pytest

from bot.spam.engine import SpamEngine
from bot.spam.hostmodel import facts


@pytest.fixture(scope="module")
def engine() -> SpamEngine:
    return SpamEngine()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "sub to my channel, I upload editing tutorials twice a week https://www.youtube.com/@cutmaster_lab",
            "self-promotion",
        ),
        (
            "please follow my twitch, streaming strategy games tonight https://www.twitch.tv/lunarplays",
            "self-promotion",
        ),
        ("Vendemos listas de correos de clínicas en Chile y Perú https://clinicas-contactos.net", "selling lists"),
        ("Wir liefern Firmenadressen aus der Schweiz als Excel https://ch-firmen.store", "selling lists"),
        ("directory of 12k realtors with direct lines https://agentpool.biz", "selling lists"),
        ("Permanent dofollow placements on tech magazines https://placement-hub.link", "selling links"),
        ("cheap geo-targeted visitors for your shop, starts today https://clickstream-visits.top", "selling traffic"),
        ("get in before it launches on the big exchanges https://lunarcoin.finance", "easy money"),
        ("Complete the security check to keep your roles https://guild-guard.xyz/check", "verification pretext"),
    ],
)
def test_kind_is_named_and_flagged(engine: SpamEngine, text: str, kind: str) -> None:
    verdict = engine.assess(text)
    assert verdict.flagged, verdict.reason_texts
    assert any(kind in detail for detail in verdict.reason_texts), verdict.reason_texts


@pytest.mark.parametrize(
    "text",
    [
        "This talk on channel strategy is worth the hour https://www.youtube.com/watch?v=Qa1Bc2De3Fg",
        "the list of companies in the reading is here https://www.futurelearn.com/courses/x/steps/3",
        "how do we measure organic traffic for the report? https://support.google.com/analytics/answer/1",
        "Our team site for the group brief https://team-lumen-brief.vercel.app",
    ],
)
def test_learner_posts_with_the_same_words_are_left_alone(engine: SpamEngine, text: str) -> None:
    assert not engine.assess(text).flagged, engine.assess(text).reason_texts


def test_an_everyday_word_near_a_brand_is_not_a_misspelling() -> None:
    assert not any("misspelling" in fact for fact in facts("team-pixel.pages.dev", "pages.dev")[1])
    assert any("misspelling" in fact for fact in facts("steaam-trade.pages.dev", "pages.dev")[1])


def test_the_message_model_knows_a_link_to_an_allow_listed_site_from_any_other_site() -> None:
    from bot.spam.links import extract
    from bot.spam.lists import shipped_lists
    from bot.spam.textmodel import tokens

    lists = shipped_lists()
    known = tokens(extract("notes on this https://developers.google.com/search/docs"), allowed=lists.allowed)
    other = tokens(extract("notes on this https://quiet-meadow-notes.example/docs"), allowed=lists.allowed)
    assert "L:known" in known and "L:site" not in known
    assert "L:site" in other and "L:known" not in other
