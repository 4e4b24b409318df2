"""The host model in the server: an unlisted scam-looking host in a neutral post becomes one incident;
a learner's portfolio on a free host does not."""

from __future__ import annotations

from bot.spam import lists
from tests.sim import spam_world
from tests.sim.spam_world import SpamWorld, fields

ages = spam_world.ages  # fixtures
spam = spam_world.spam

SCAM_HOST = "rblx-premium-unlock.click"  # not on any shipped list


def test_the_scam_host_is_on_no_list() -> None:
    shipped = lists.shipped_lists()
    assert shipped.phishing.match(SCAM_HOST, "/") is None and shipped.suspicious.match(SCAM_HOST, "/") is None


async def test_a_neutral_post_with_a_scam_looking_unlisted_host_is_one_incident(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    posted = await spam.course.learner2.send(general, f"have a look at this https://{SCAM_HOST}/p/8841")
    post = spam.only_post()
    why = fields(post)["Why"]
    assert "host looks like a scam domain" in why
    assert "lure word" in why and "new TLD" in why
    assert posted.id in {m.id for m in general.history()}  # flagged for review, not deleted
    incident = await spam.incident(1)
    assert "scam_host" in incident.reason_codes


async def test_a_learners_portfolio_on_vercel_app_is_left_alone(spam: SpamWorld) -> None:
    general = spam.course.channel("general")
    await spam.course.learner.send(general, "my portfolio for the brand module is up: https://someone.vercel.app")
    await spam.course.learner.send(
        general, "rebuilt the case studies page, feedback welcome https://someone.vercel.app/case-studies"
    )
    assert spam.posts() == []
