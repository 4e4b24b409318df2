"""Clock, pager, cards and the card renderer."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core import limits
from bot.core.cards import Card, Field, Tone
from bot.core.clock import CallableClock, ManualClock, SystemClock
from bot.core.paging import paginate
from bot.render import embed


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(datetime(2026, 5, 1, tzinfo=UTC))
    assert clock.now() == datetime(2026, 5, 1, tzinfo=UTC)
    clock.advance(90)
    assert clock.now() == datetime(2026, 5, 1, 0, 1, 30, tzinfo=UTC)


def test_callable_clock_makes_naive_utc_aware() -> None:
    clock = CallableClock(lambda: datetime(2026, 1, 1, 12, 0))
    assert clock.now() == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert SystemClock().now().tzinfo is not None


def test_paginate_clamps_and_labels() -> None:
    page = paginate(list(range(23)), 5, 10)
    assert page.items == (20, 21, 22)
    assert page.label == "Page 3 of 3"
    assert page.has_previous and not page.has_next
    empty = paginate([], 0, 10)
    assert empty.items == () and empty.count == 1


def test_render_cuts_every_part_to_discords_limits() -> None:
    card = Card(
        title="t" * 400,
        description="d" * 5000,
        fields=tuple(Field(f"n{i}", "v" * 2000) for i in range(40)),
        footer="f" * 3000,
        tone=Tone.DANGER,
        image="chart.png",
    )
    result = embed(card)
    assert len(result.title or "") == limits.EMBED_TITLE
    assert len(result.description or "") <= limits.EMBED_DESCRIPTION
    assert (result.description or "").endswith("…")
    assert all(len(f.value or "") <= limits.EMBED_FIELD_VALUE for f in result.fields)
    assert len(result) <= limits.EMBED_TOTAL
    assert result.colour is not None and result.colour.value == Tone.DANGER.value
    assert result.image.url == "attachment://chart.png"
