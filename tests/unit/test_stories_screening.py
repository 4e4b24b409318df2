"""A story passes through the spam filter: flagged stories carry the reasons to review."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.stories import screening
from bot.stories.model import Screening, StoryText

CLEAN = StoryText("Giveaway", "We ran a giveaway for our bakery's followers.", "Comments tripled.", "Few sales.")
LINKY = StoryText(
    "Great results",
    "We bought a germany phone number list, cheap: https://cheap-lists.example.shop/buy",
    "More at http://bit.ly/a1 and http://bit.ly/b2 and http://bit.ly/c3",
    "Nothing, buy now at https://cheap-lists.example.shop",
)


@dataclass(frozen=True)
class Reason:
    code: str
    detail: str


@dataclass(frozen=True)
class Verdict:
    action: str
    score: float
    reasons: tuple[object, ...]


def test_verdict_is_read_with_reason_details_or_text() -> None:
    flagged = screening.screening_from_verdict(Verdict("delete", 2.5, (Reason("x", "three shop links"), "plain")))
    assert flagged == Screening(True, 2.5, ("three shop links", "plain"))
    assert screening.screening_from_verdict(Verdict("none", 0.0, ())) == Screening()


async def test_real_spam_filter_flags_a_story_full_of_links() -> None:
    pytest.importorskip("bot.spam.engine")
    assert await screening.screen_story(CLEAN) == Screening()
    flagged = await screening.screen_story(LINKY)
    assert flagged.flagged and flagged.score > 0 and flagged.reasons


async def test_without_spam_filter_nothing_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening, "_assessor", lambda: None)
    assert await screening.screen_story(LINKY) == Screening()


async def test_failing_spam_filter_flags_for_a_human_look(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> object:
        raise RuntimeError("lists missing")

    monkeypatch.setattr(screening, "_assessor", lambda: broken)
    result = await screening.screen_story(CLEAN)
    assert result.flagged and result.reasons == ("the spam filter could not check this story",)


async def test_async_spam_filter_is_awaited(monkeypatch: pytest.MonkeyPatch) -> None:
    async def assess(text: str) -> Verdict:
        return Verdict("flag", 1.0, ("link",))

    monkeypatch.setattr(screening, "_assessor", lambda: assess)
    assert await screening.screen_story(CLEAN) == Screening(True, 1.0, ("link",))
