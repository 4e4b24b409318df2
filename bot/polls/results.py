"""Turning a poll's counts into text, chart bars and trend weeks (shared by results, trend and the service)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.text import escape_markdown
from bot.polls.charts import Bar, QuestionWeek, TrendWeek, percent
from bot.polls.model import AnswerRecord, PollRecord

BAR_WIDTH = 12


def stamp(moment: datetime, style: str = "f") -> str:
    """A Discord timestamp (`<t:…:R>`): each reader sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def share_base(poll: PollRecord) -> int:
    """What shares are of: the voters when each may pick several answers, else all votes."""
    return poll.voter_count if poll.multiselect else sum(answer.count for answer in poll.answers)


def shown_label(answer: AnswerRecord) -> str:
    """The answer for Discord text: its emoji, then its text with Markdown shown literally."""
    text = escape_markdown(answer.text)
    return f"{answer.emoji} {text}" if answer.emoji else text


def summary_lines(poll: PollRecord) -> list[str]:
    """One line per answer: a text bar, count and share; the leaders in bold."""
    total = share_base(poll)
    top = max((answer.count for answer in poll.answers), default=0)
    lines = []
    for answer in poll.answers:
        share = percent(answer.count, total)
        filled = round(BAR_WIDTH * min(share, 100) / 100)
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        label = f"**{shown_label(answer)}**" if top and answer.count == top else shown_label(answer)
        lines.append(f"`{bar}` {answer.count} ({share}%) · {label}")
    return lines


def chart_bars(poll: PollRecord) -> list[Bar]:
    """Chart labels carry the answer text only: chart fonts have no emoji."""
    return [Bar(answer.text, answer.count) for answer in poll.answers]


def trend_weeks(polls: Sequence[PollRecord]) -> list[TrendWeek]:
    """One entry per week that had a poll, oldest first, labelled with the week's date."""
    weeks = []
    for poll in _week_order(polls):
        day = poll.week or poll.created_at.date()
        weeks.append(TrendWeek(day.strftime("%b %d"), poll.voter_count, tuple(chart_bars(poll))))
    return weeks


def question_weeks(polls: Sequence[PollRecord]) -> list[QuestionWeek]:
    """As `trend_weeks`, with the question each week asked (queued questions differ from the schedule's), so
    the trend draws one line per question and never mixes the answers of different questions."""
    return [
        QuestionWeek(week.label, poll.question, week.voters, week.bars)
        for poll, week in zip(_week_order(polls), trend_weeks(polls), strict=True)
    ]


def _week_order(polls: Sequence[PollRecord]) -> list[PollRecord]:
    return sorted(polls, key=lambda p: (p.week or p.created_at.date(), p.id))
