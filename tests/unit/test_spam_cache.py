"""The engine's per-text cache: a text seen again gets the same verdict as on first sight, the
context (newcomer, mentions, floods) is still read per message, and the cache stays bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.spam.engine import MessageContext, SpamEngine

START = datetime(2026, 3, 1, tzinfo=UTC)
TEXTS = [
    "my portfolio is up: https://mina-dev.vercel.app, feedback welcome",
    "free nitro for everyone here https://disc0rd-gifts.shop/claim",
    "[buy verified email lists](https://leadsbazaar.example/lists) best prices",
    "the docs say so: https://docs.python.org/3/library/re.html",
]


def _ctx(text: str, i: int, *, newcomer: bool) -> MessageContext:
    return MessageContext(
        content=text,
        author_id=7,
        channel_id=i % 3,
        message_id=i + 1,
        timestamp=START + timedelta(seconds=i),
        member_age_days=0.2 if newcomer else 400.0,
        author_message_count=0 if newcomer else 500,
    )


def test_cached_verdicts_equal_fresh_ones_and_context_still_counts() -> None:
    cached, fresh = SpamEngine(), SpamEngine(content_cache=0)
    for i in range(24):
        ctx = _ctx(TEXTS[i % len(TEXTS)], i, newcomer=i % 2 == 0)
        assert cached.check(ctx) == fresh.check(ctx)
    old = cached.check(_ctx(TEXTS[1], 100, newcomer=False))
    new = cached.check(_ctx(TEXTS[1], 101, newcomer=True))
    assert "new_member" in new.codes and "new_member" not in old.codes


def test_cache_is_bounded() -> None:
    engine = SpamEngine(content_cache=5)
    for i in range(40):
        engine.assess(f"look at https://site{i}.example/page number {i}")
    assert len(engine._analyses) == 5


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(TEXTS) | st.text(max_size=80).map(lambda t: t + " https://x.example/" + t[:5]), max_size=8)
)
def test_same_verdicts_with_and_without_the_cache(texts: list[str]) -> None:
    cached, fresh = SpamEngine(content_cache=3), SpamEngine(content_cache=0)
    for i, text in enumerate(texts + texts):
        ctx = _ctx(text, i, newcomer=i % 3 == 0)
        assert cached.check(ctx) == fresh.check(ctx)
