"""What poll use cases show, as cards and plain text: results, recent polls, schedules, the queue, the trend."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.core import limits
from bot.core.cards import Card, Field, Tone
from bot.core.text import neutralise, plural, quote_inline, truncate
from bot.polls import rules
from bot.polls.charts import render_question_trend, render_results
from bot.polls.model import Chart, PollRecord, QueueItem, ScheduleRecord
from bot.polls.results import chart_bars, question_weeks, share_base, shown_label, stamp, summary_lines

SCHEDULES_SHOWN = 10
"""Schedules listed in one embed: ten fields of up to ~500 characters stay within Discord's 6,000."""
QUEUE_SHOWN = 12
"""Queued questions listed in one message: twelve lines of up to ~130 characters stay within 2,000."""
QUESTION_ECHO = 90


def closed_text(record: PollRecord) -> str:
    kind = "anonymous poll" if record.anonymous else "poll"
    return f"📊 The {kind} is closed. Results of “{quote_inline(record.question, QUESTION_ECHO)}”"


def _kind(record: PollRecord) -> str:
    return "Anonymous poll" if record.anonymous else "Poll"


def results_marker(record: PollRecord) -> str:
    """How the final results post of a poll starts its footer: how a retry recognises an earlier post."""
    return f"{_kind(record)} #{record.id} · final results"


def results(record: PollRecord) -> tuple[Card, Chart]:
    """The results card (final once closed, so far while open) and its chart."""
    final = not record.is_open
    state = "Final results" if final else "Results so far"
    subtitle = f"{state} · {plural(record.voter_count, 'voter')}"
    if record.counts_source == "seen":
        subtitle += " · votes the bot saw (the poll message was deleted)"
    if record.anonymous:
        subtitle += " · anonymous"
    footer = f"{_kind(record)} #{record.id} · {state.lower()} · {plural(record.voter_count, 'voter')}"
    if record.multiselect:
        footer += " · several answers allowed: shares are of voters"
    if record.counts_source == "seen":
        footer += " · the poll message was deleted, so these are the votes the bot saw"
    name = f"poll-{record.id}.png"
    when = record.ended_at or record.ends_at
    card = Card(
        title=neutralise(record.question),
        description="\n".join(summary_lines(record)),
        fields=(
            Field("Voters", f"{record.voter_count:,}", inline=True),
            Field("Closed" if final else "Closes", stamp(when, "R"), inline=True),
        ),
        footer=footer,
        tone=Tone.INFO,
        url=record.jump_url(),
        image=name,
    )
    draw = partial(render_results, record.question, chart_bars(record), subtitle=subtitle, total=share_base(record))
    return card, Chart(name, draw)


def anonymous_post(record: PollRecord) -> Card:
    """The post of an anonymous poll: question, answers, and counts unless they are hidden until the close."""
    how = "Pick several answers in the menu below" if record.multiselect else "Vote with the buttons below"
    if not record.is_open:
        state = f"Closed · {plural(record.voter_count, 'voter')}. The results are posted below."
        description = "\n".join(summary_lines(record))
    elif record.hidden_results:
        state = f"{plural(record.voter_count, 'voter')} so far · results are hidden until the poll closes"
        description = "\n".join(f"• {shown_label(a)}" for a in record.answers)
    else:
        state = f"{plural(record.voter_count, 'voter')} so far"
        description = "\n".join(summary_lines(record))
    return Card(
        title=f"🕶️ {neutralise(record.question)}",
        description=description,
        fields=(Field("Anonymous", "No one, moderators included, can see who voted what."),),
        footer=f"Anonymous poll #{record.id} · {state}" + (f" · {how}" if record.is_open else ""),
        tone=Tone.INFO if record.is_open else Tone.NEUTRAL,
        timestamp=record.ends_at if record.is_open else record.ended_at,
    )


def recent(polls: Sequence[PollRecord]) -> Card:
    fields = []
    for record in polls:
        if record.is_open:
            state = f"Open, closes {stamp(record.ends_at, 'R')} · {record.voter_count:,} voted so far"
            if record.counts_hidden:
                state += " · counts hidden until it closes"
        else:
            top = max(record.answers, key=lambda a: a.count, default=None)
            leader = f" · top: {shown_label(top)} ({top.count:,})" if top and top.count else ""
            state = f"Closed · {plural(record.voter_count, 'voter')}{leader}"
        url = record.jump_url()
        link = f" · [go to the poll]({url})" if url else ""
        mark = "🕶️ " if record.anonymous else ""
        fields.append(Field(f"#{record.id} {mark}{neutralise(record.question)}", state + link))
    footer = "/poll results shows the counts and chart of any poll"
    if any(record.anonymous for record in polls):
        footer += " · 🕶️ anonymous: nobody can see who voted what"
    return Card(title="Recent polls", fields=tuple(fields), footer=footer)


def schedules(found: Sequence[ScheduleRecord]) -> Card:
    fields = []
    for schedule in found[:SCHEDULES_SHOWN]:
        if schedule.paused:
            state = "⏸️ paused (`/poll resume` to restart)"
        else:
            due = schedule.next_run_at
            state = f"next: {stamp(due, 'F')} ({stamp(due, 'R')})"
        fields.append(
            Field(
                f"#{schedule.id} {neutralise(schedule.question)}",
                f"{'🕶️ anonymous · ' if schedule.anonymous else ''}"
                f"{schedule.slot.describe()} in <#{schedule.channel_id}> · open for "
                f"{plural(schedule.duration_hours, 'hour')} · {plural(schedule.queued, 'queued question')}\n"
                f"{state}",
            )
        )
    footer = None
    if len(found) > SCHEDULES_SHOWN:
        footer = (
            f"The first {SCHEDULES_SHOWN} of {plural(len(found), 'weekly poll')}; "
            "the schedule option of /poll pause and /poll unschedule finds the others."
        )
    return Card(title="Weekly polls", fields=tuple(fields), footer=footer)


def queue(schedule: ScheduleRecord, items: Sequence[QueueItem]) -> str:
    if not items:
        return (
            f"Nothing queued: weekly poll #{schedule.id} asks “{quote_inline(schedule.question, QUESTION_ECHO)}” "
            "each week."
        )
    lines = [
        f"{n}. {stamp(rules.nth_run(schedule.slot, schedule.next_run_at, n), 'D')}: "
        f"{quote_inline(item.question, QUESTION_ECHO)}"
        for n, item in enumerate(items[:QUEUE_SHOWN], start=1)
    ]
    if len(items) > QUEUE_SHOWN:
        lines.append(f"… and {len(items) - QUEUE_SHOWN:,} more queued.")
    return truncate(f"Coming up on weekly poll #{schedule.id}:\n" + "\n".join(lines), limits.MESSAGE_CONTENT)


def trend(schedule: ScheduleRecord, closed: Sequence[PollRecord]) -> tuple[Card, Chart]:
    """Voters week by week and the answer split, one line per question asked."""
    weeks = question_weeks(closed)
    voters = [week.voters for week in weeks]
    name = f"poll-trend-{schedule.id}.png"
    card = Card(
        title=f"Weekly poll #{schedule.id}: {neutralise(schedule.question)}",
        description=f"{plural(len(weeks), 'week')} · voters per week: "
        + ", ".join(f"{n:,}" for n in voters)
        + f" · average {sum(voters) / len(voters):.1f}",
        image=name,
    )
    title = f"Weekly poll #{schedule.id}: {schedule.question}"
    return card, Chart(name, partial(render_question_trend, title, weeks))
