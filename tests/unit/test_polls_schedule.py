"""Weekly next-run computation across DST gaps and overlaps, time parsing, missed-week planning."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.polls.rules import (
    ScheduleInputError,
    WeeklySlot,
    is_late,
    next_run,
    parse_time_of_day,
    plan_due,
    remaining_hours,
)

BERLIN = "Europe/Berlin"  # 2026: spring forward Sun 29 Mar 02:00→03:00, fall back Sun 25 Oct 03:00→02:00


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("zone", ["UTC", BERLIN, "America/New_York", "Australia/Sydney", "Asia/Kolkata"])
def test_every_weekday_every_zone_runs_weekly_at_local_time(weekday: int, zone: str) -> None:
    slot = WeeklySlot(weekday, time(18, 30), zone)
    after = utc(2026, 1, 1)
    seen: list[date] = []
    for _ in range(60):  # more than a year: crosses both DST changes everywhere
        day, instant = next_run(slot, after)
        local = instant.astimezone(ZoneInfo(zone))
        assert instant > after
        assert local.date() == day
        assert (local.weekday(), local.hour, local.minute) == (weekday, 18, 30)
        if seen:
            assert day - seen[-1] == timedelta(days=7)
        seen.append(day)
        after = instant
    assert instant - utc(2026, 1, 1) > timedelta(days=364)


def test_first_run_is_the_coming_weekday_or_today_if_still_ahead() -> None:
    slot = WeeklySlot(3, time(9, 0), "UTC")  # 2026-01-01 is a Thursday
    assert next_run(slot, utc(2026, 1, 1, 8, 59)) == (date(2026, 1, 1), utc(2026, 1, 1, 9))
    assert next_run(slot, utc(2026, 1, 1, 9, 0)) == (date(2026, 1, 8), utc(2026, 1, 8, 9))
    assert next_run(WeeklySlot(2, time(9), "UTC"), utc(2026, 1, 1)) == (date(2026, 1, 7), utc(2026, 1, 7, 9))


def test_utc_instant_moves_with_dst_but_local_time_stays() -> None:
    slot = WeeklySlot(6, time(12, 0), BERLIN)  # Sundays at noon
    _, before = next_run(slot, utc(2026, 3, 22))
    _, after = next_run(slot, before)
    assert before == utc(2026, 3, 22, 11)  # CET, UTC+1
    assert after == utc(2026, 3, 29, 10)  # CEST, UTC+2 (the change happened that very morning)


def test_time_in_spring_gap_runs_after_the_gap() -> None:
    slot = WeeklySlot(6, time(2, 30), BERLIN)  # 02:30 does not exist on 29 March
    day, instant = next_run(slot, utc(2026, 3, 23))
    assert day == date(2026, 3, 29)
    assert instant == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert instant.astimezone(ZoneInfo(BERLIN)).time() == time(3, 30)
    _, following = next_run(slot, instant)
    assert following == utc(2026, 4, 5, 0, 30)  # back to 02:30 CEST


def test_time_in_autumn_overlap_runs_once_at_the_first_occurrence() -> None:
    slot = WeeklySlot(6, time(2, 30), BERLIN)  # 02:30 happens twice on 25 October
    day, first = next_run(slot, utc(2026, 10, 19))
    assert day == date(2026, 10, 25)
    assert first == utc(2026, 10, 25, 0, 30)  # 02:30 CEST, the first one
    day2, second = next_run(slot, first)  # not the repeated 02:30 CET an hour later
    assert day2 == date(2026, 11, 1)
    assert second == utc(2026, 11, 1, 1, 30)


def test_new_york_gap_and_overlap() -> None:
    gap = WeeklySlot(6, time(2, 0), "America/New_York")  # 8 March: 02:00 jumps to 03:00
    assert next_run(gap, utc(2026, 3, 2))[1] == utc(2026, 3, 8, 7)  # 03:00 EDT
    overlap = WeeklySlot(6, time(1, 30), "America/New_York")  # 1 November: 01:00-02:00 happens twice
    assert next_run(overlap, utc(2026, 10, 26))[1] == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, the first
    assert next_run(overlap, utc(2026, 11, 1, 5, 30))[1] == utc(2026, 11, 8, 6, 30)  # 01:30 EST next week


def test_zone_far_from_utc_uses_the_local_date() -> None:
    slot = WeeklySlot(0, time(8, 0), "Pacific/Kiritimati")  # UTC+14: Monday 08:00 is Sunday 18:00 UTC
    day, instant = next_run(slot, utc(2026, 1, 4, 17))
    assert day == date(2026, 1, 5)
    assert instant == utc(2026, 1, 4, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:30", time(18, 30)),
        ("9:05", time(9, 5)),
        ("18", time(18)),
        ("18.30", time(18, 30)),
        ("18h30", time(18, 30)),
        ("6pm", time(18)),
        ("6:30 PM", time(18, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("7 a.m.", time(7)),
        ("00:00", time(0)),
        ("23:59", time(23, 59)),
    ],
)
def test_time_of_day_formats(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["24:00", "25:99", "13pm", "0am", "noonish", "", "18:3", "-1"])
def test_bad_times_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ScheduleInputError, match="Use 24-hour `HH:MM`"):
        parse_time_of_day(text)


def test_plan_on_time_posts_the_due_week() -> None:
    slot = WeeklySlot(0, time(9), "UTC")
    plan = plan_due(slot, utc(2026, 1, 5, 9), utc(2026, 1, 5, 9), 24)
    assert plan.post is not None and plan.post.day == date(2026, 1, 5)
    assert plan.skipped == ()
    assert (plan.next_day, plan.next_due) == (date(2026, 1, 12), utc(2026, 1, 12, 9))


def test_plan_late_but_within_duration_posts_late() -> None:
    slot = WeeklySlot(0, time(9), "UTC")
    now = utc(2026, 1, 5, 20)
    plan = plan_due(slot, utc(2026, 1, 5, 9), now, 24)
    assert plan.post is not None and plan.post.due == utc(2026, 1, 5, 9)
    assert is_late(plan.post.due, now)
    assert remaining_hours(plan.post.due, 24, now) == 13
    assert not is_late(plan.post.due, plan.post.due + timedelta(minutes=1))


def test_plan_after_duration_skips() -> None:
    slot = WeeklySlot(0, time(9), "UTC")
    plan = plan_due(slot, utc(2026, 1, 5, 9), utc(2026, 1, 6, 9), 24)  # closed exactly now
    assert plan.post is None
    assert [o.day for o in plan.skipped] == [date(2026, 1, 5)]


def test_plan_after_weeks_down_skips_all_but_a_still_open_latest() -> None:
    slot = WeeklySlot(0, time(9), "UTC")
    plan = plan_due(slot, utc(2026, 1, 5, 9), utc(2026, 1, 19, 10), 24)
    assert [o.day for o in plan.skipped] == [date(2026, 1, 5), date(2026, 1, 12)]
    assert plan.post is not None and plan.post.day == date(2026, 1, 19)
    assert plan.next_due == utc(2026, 1, 26, 9)


def test_remaining_hours_is_whole_and_at_least_one() -> None:
    due = utc(2026, 1, 5, 9)
    assert remaining_hours(due, 24, due + timedelta(hours=23, minutes=59)) == 1
    assert remaining_hours(due, 24, due + timedelta(minutes=30)) == 24
    assert remaining_hours(due, 24, due + timedelta(hours=6)) == 18
