"""Polls on Discord: cards and charts to embeds and files, native poll objects, and the wording of replies."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime, timedelta

import discord

from bot import render
from bot.core.cards import Card
from bot.core.text import plural, quote_inline
from bot.polls.model import Chart, Claim, PollRecord, ScheduleRecord
from bot.polls.options import PollSpec
from bot.polls.results import stamp
from bot.polls.rules import Occurrence

QUESTION_ECHO = 90


def native_poll(spec: PollSpec) -> discord.Poll:
    poll = discord.Poll(
        question=spec.question, duration=timedelta(hours=spec.duration_hours), multiple=spec.multiselect
    )
    for answer in spec.answers:
        emoji: str | discord.PartialEmoji | None = answer.emoji
        if answer.emoji is not None and answer.emoji.startswith("<"):
            emoji = discord.PartialEmoji.from_str(answer.emoji)
        poll.add_answer(text=answer.text, emoji=emoji)
    return poll


async def with_chart(card: Card, chart: Chart) -> tuple[discord.Embed, discord.File]:
    """The card's embed and its chart as an attachment (drawn off the event loop)."""
    png = await asyncio.to_thread(chart.render)
    return render.embed(card), discord.File(io.BytesIO(png), filename=chart.name)


def question(text: str) -> str:
    return f"“{quote_inline(text, QUESTION_ECHO)}”"


# -- replies -----------------------------------------------------------------------------------


def _kind(record: PollRecord) -> str:
    return "Anonymous poll" if record.anonymous else "Poll"


def poll_posted(record: PollRecord, channel: str) -> str:
    return (
        f"{_kind(record)} #{record.id} is up in {channel}: {record.jump_url()}\n"
        f"It closes {stamp(record.ends_at, 'R')}; I'll post the results with a chart there."
    )


def end_prompt(record: PollRecord) -> str:
    return (
        f"End {_kind(record).lower()} #{record.id} ({question(record.question)}) now? Voting stops "
        f"(it would close {stamp(record.ends_at, 'R')}) and I post the results in <#{record.channel_id}>."
    )


def ending(record: PollRecord) -> str:
    return f"Closing {_kind(record).lower()} #{record.id}…"


def poll_ended(record: PollRecord, closed: PollRecord | None, *, given_up: bool = False) -> str:
    kind = _kind(record)
    if closed is None:
        return f"{kind} #{record.id} was already closed."
    if closed.results_message_id is None:
        later = "" if given_up else " yet; I'll keep trying"
        return (
            f"{kind} #{record.id} is closed and its counts are stored, but I could not post the results in "
            f"<#{record.channel_id}>{later}. `/poll results poll:{record.id}` shows them."
        )
    return f"{kind} #{record.id} is closed; the results are posted in <#{record.channel_id}>."


def scheduled(schedule: ScheduleRecord, channel: str) -> str:
    first = schedule.next_run_at
    kind = "Anonymous weekly poll" if schedule.anonymous else "Weekly poll"
    hidden = (
        " Each week's counts stay hidden until it closes." if schedule.anonymous and schedule.hidden_results else ""
    )
    return (
        f"{kind} #{schedule.id} scheduled in {channel}: {schedule.slot.describe()}, "
        f"open for {plural(schedule.duration_hours, 'hour')}.\n"
        f"First one: {stamp(first, 'F')} ({stamp(first, 'R')}). Line up other questions with `/poll queue add`."
        + hidden
    )


def paused(schedule: ScheduleRecord) -> str:
    return f"Weekly poll #{schedule.id} is paused; no poll goes out until you `/poll resume` it."


def resumed(schedule: ScheduleRecord) -> str:
    upcoming = schedule.next_run_at
    return f"Weekly poll #{schedule.id} is back on. Next: {stamp(upcoming, 'F')} ({stamp(upcoming, 'R')})."


def unschedule_prompt(schedule: ScheduleRecord) -> str:
    return (
        f"Stop weekly poll #{schedule.id} ({question(schedule.question)}, {schedule.slot.describe()}) for good? "
        "Its past polls stay in `/poll list` and `/poll export`."
    )


def unscheduled(schedule: ScheduleRecord) -> str:
    return (
        f"Weekly poll #{schedule.id} ({question(schedule.question)}) is stopped. Its past polls "
        "stay in `/poll list` and `/poll export`."
    )


def queued(schedule: ScheduleRecord, position: int, when: datetime | None) -> str:
    going = "" if when is None else f" It goes out on {stamp(when, 'D')}."
    return f"Queued for weekly poll #{schedule.id} as question {position} in line.{going}"


# -- the timer, in #mod-log and the poll channel -------------------------------------------------


def week_heading(claim: Claim, late: bool) -> str:
    content = f"🗓️ Weekly poll · {claim.week:%A %d %B}"
    if late:
        content += f" (posted late: I was offline at {stamp(claim.due, 't')})"
    return content


def week_skipped(schedule: ScheduleRecord, occurrence: Occurrence) -> str:
    return (
        f"⏭️ Skipped weekly poll #{schedule.id} ({question(schedule.question)}) for "
        f"{occurrence.day:%A %d %B %Y}: I was offline at {stamp(occurrence.due, 'f')} and the poll "
        f"would already have closed ({plural(schedule.duration_hours, 'hour')})."
    )


def week_late(schedule: ScheduleRecord, claim: Claim, record: PollRecord) -> str:
    return (
        f"⏰ Weekly poll #{schedule.id} for {claim.week:%A %d %B} was posted late in <#{record.channel_id}> "
        f"(due {stamp(claim.due, 'f')}); it closes {stamp(record.ends_at, 'R')}."
    )
