"""CSV export of polls, answers and counts: one row per answer."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.polls.model import PollRecord

COLUMNS = (
    "poll_id",
    "schedule_id",
    "week",
    "question",
    "status",
    "created_at",
    "ends_at",
    "ended_at",
    "multiselect",
    "voters",
    "counts_from",
    "answer_id",
    "answer",
    "emoji",
    "votes",
    "anonymous",
)


def _cell(text: str) -> str:
    """Keep user text from being read as a spreadsheet formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def polls_csv(polls: Sequence[PollRecord]) -> str:
    """Final counts for ended polls (Discord's, or an anonymous poll's ballots); for open polls, the votes
    seen so far, except an open anonymous poll whose counts are hidden until it closes (left blank)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for poll in polls:
        for answer in poll.answers:
            writer.writerow(
                (
                    poll.id,
                    poll.schedule_id or "",
                    poll.week.isoformat() if poll.week else "",
                    _cell(poll.question),
                    "open" if poll.is_open else "ended",
                    poll.created_at.isoformat(timespec="seconds"),
                    poll.ends_at.isoformat(timespec="seconds"),
                    poll.ended_at.isoformat(timespec="seconds") if poll.ended_at else "",
                    "yes" if poll.multiselect else "no",
                    "" if poll.counts_hidden else poll.voter_count,
                    "hidden until it closes" if poll.counts_hidden else poll.counts_source or "seen so far",
                    answer.answer_id,
                    _cell(answer.text),
                    answer.emoji or "",
                    "" if poll.counts_hidden else answer.count,
                    "yes" if poll.anonymous else "no",
                )
            )
    return buffer.getvalue()
