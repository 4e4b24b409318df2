"""The learned models: logistic regression, host and message features, and bit-for-bit retraining."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from bot.spam import hostmodel, lists, logreg, textmodel, train
from bot.spam.cli import default_corpora
from bot.spam.domains import domain_info
from bot.spam.engine import SpamEngine
from bot.spam.links import extract

CORPORA = default_corpora()
needs_corpora = pytest.mark.skipif(not (CORPORA / "top-sites").is_dir(), reason="shared corpora not present")


def host_p(host: str) -> float:
    model = hostmodel.shipped_host_model()
    assert model is not None
    info = domain_info(host)
    return model.probability(info.host, info.suffix)


# --- logistic regression ---------------------------------------------------------------------------


def test_logistic_regression_separates_a_feature_that_decides_the_label() -> None:
    rows = [[0, 2], [0, 3], [0, 2, 3], [1, 2], [1, 3], [1, 2, 3]]
    x = logreg.SparseRows(rows, 4)
    w, b = logreg.fit(x, [1, 1, 1, 0, 0, 0], epochs=200, rate=0.1)
    p = logreg.sigmoid(x.dot(w) + b)
    assert all(p[:3] > 0.8) and all(p[3:] < 0.2)
    assert w[0] > 0 > w[1]


def test_logistic_regression_is_deterministic() -> None:
    rows = [[i % 7, (i * 3) % 11 + 7] for i in range(60)]
    y = [int(i % 7 < 3) for i in range(60)]
    first = logreg.fit(logreg.SparseRows(rows, 18), y, epochs=50)
    second = logreg.fit(logreg.SparseRows(rows, 18), y, epochs=50)
    assert first[0].tobytes() == second[0].tobytes() and first[1] == second[1]


def test_threshold_at_rate_flags_at_most_that_share_of_negatives() -> None:
    negatives = [i / 1000 for i in range(1000)]
    threshold = logreg.threshold_at_rate(negatives, 0.005)
    assert sum(s >= threshold for s in negatives) <= 5
    assert sum(s >= threshold for s in negatives) >= 4


# --- host model -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "valorant-skin-claim.shop",
        "metamask-wallet-resync.web.app",
        "free-robux-bonus.click",
        "binance-reward-center.top",
        "twitch-drops-event.online",
        "opensea-mint-verify.site",
    ],
)
def test_unlisted_scam_looking_hosts_score_over_the_threshold(host: str) -> None:
    model = hostmodel.shipped_host_model()
    assert model is not None
    assert lists.shipped_lists().phishing.match(host, "/") is None
    assert host_p(host) >= model.threshold


@pytest.mark.parametrize(
    "host",
    ["maria-lopez.github.io", "seo-capstone.vercel.app", "weather-dash.pages.dev", "bbc.co.uk", "ikea.com"],
)
def test_learner_project_sites_and_ordinary_sites_score_under_it(host: str) -> None:
    model = hostmodel.shipped_host_model()
    assert model is not None
    assert host_p(host) < model.threshold


def test_host_facts_are_words_a_moderator_reads() -> None:
    _, human = hostmodel.facts("g00gle-ads-credit.xyz", "xyz")
    assert "brand 'google'" in human and "new TLD" in human
    _, human = hostmodel.facts("phantom-wallet.pages.dev", "pages.dev")
    assert "brand on free hosting (pages.dev)" in human and "lure word 'wallet'" in human


def test_official_domains_are_never_scored() -> None:
    engine = SpamEngine()
    for url in ("https://www.roblox.com/games", "https://store.steampowered.com/", "https://www.amazon.co.uk/x"):
        (link,) = extract(url).links
        assert engine.signals.host_probability(link) is None


def test_the_reason_says_why_with_the_probability() -> None:
    verdict = SpamEngine().assess("look at this https://kraken-airdrop-claim.top/start")
    (reason,) = [r for r in verdict.reasons if r.code in ("scam_host", "brand_in_host") and "scam domain" in r.detail]
    assert re.match(r"host looks like a scam domain \((0\.\d\d|1\.00)\): ", reason.detail)
    assert "brand 'kraken'" in reason.detail and "lure word" in reason.detail


def test_without_models_the_rules_still_decide() -> None:
    engine = SpamEngine(host_model=None, text_model=None)
    verdict = engine.assess("look at this https://kraken-airdrop-claim.top/start")
    assert "scam_host" not in verdict.codes and "spam_text" not in verdict.codes


# --- message model --------------------------------------------------------------------------------


def test_tokens_describe_links_and_words() -> None:
    toks = textmodel.tokens(
        extract("Subscribe to my channel https://www.youtube.com/@someone and [my page](https://ana.github.io/cv)"),
        lists.shipped_lists().project_hosts,
    )
    assert {"L:video", "L:project", "L:masked", "subscribe", "my channel"} <= set(toks)
    assert not any("youtube" in t for t in toks if not t.startswith("p:"))


def test_message_model_reads_selling_words_not_links() -> None:
    model = textmodel.shipped_text_model()
    assert model is not None
    projects = lists.shipped_lists().project_hosts

    def p(text: str) -> float:
        return model.probability(textmodel.tokens(extract(text), projects))

    selling = p("we sell verified contact lists of hotel managers, bulk discount, order today https://example.net")
    sharing = p("the lecture on funnels mentioned this case study https://example.net")
    assert selling > model.threshold > sharing


# --- training ---------------------------------------------------------------------------------------


@needs_corpora
def test_project_host_names_are_learner_style() -> None:
    names = train.project_host_names(["github.io", "vercel.app"])
    assert len(names) > 100 and all(n.endswith((".github.io", ".vercel.app")) for n in names)
    assert not any(brand in n for n in names for brand in ("discord", "steam", "paypal", "google"))


@needs_corpora
def test_small_training_is_deterministic() -> None:
    first = train.train_all(CORPORA, small=True)
    second = train.train_all(CORPORA, small=True)
    assert first == second
    meta = json.loads(first[hostmodel.META_FILE])
    assert meta["small"] is True and 0 < meta["host"]["threshold"] < 1


@needs_corpora
def test_train_rebuilds_the_shipped_weights_bit_for_bit(tmp_path: Path) -> None:
    from bot.spam.cli import cmd_train

    args = type("Args", (), {"corpora": CORPORA, "out": tmp_path, "small": False})()
    assert cmd_train(args) == 0
    for name in (hostmodel.WEIGHTS_FILE, textmodel.WEIGHTS_FILE, hostmodel.META_FILE):
        assert (tmp_path / name).read_bytes() == lists.read_shipped(name), name
    weights = np.load(tmp_path / hostmodel.WEIGHTS_FILE)
    assert weights.shape == (hostmodel.DIM + 1,) and weights.dtype == np.float32
    report = json.loads((tmp_path / hostmodel.META_FILE).read_text())["host"]["report"]
    assert report["benign_flagged"] <= 0.005


def test_the_calibrated_probability_rises_with_the_score() -> None:
    engine = SpamEngine()
    clean = engine.assess("the lecture notes are at https://www.futurelearn.com/courses/digital-marketing")
    scam = engine.assess("claim your reward now https://c0inbase-reward-claim.top/x")
    assert 0 <= clean.probability < 0.5 < scam.probability <= 1
    assert scam.flagged and not clean.flagged
