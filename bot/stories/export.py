"""Stories as CSV or JSON for moderators: every story with its status and dates, anonymous ones without
their author."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from bot.stories.model import Story

ExportFormat = Literal["csv", "json"]

COLUMNS: tuple[str, ...] = (
    "number",
    "status",
    "title",
    "tried",
    "worked",
    "did_not_work",
    "lesson",
    "anonymous",
    "author_id",
    "author_name",
    "submitted_at",
    "decided_at",
    "decided_by",
    "decline_reason",
    "edited_by_moderator",
    "flagged_by_spam_filter",
    "spam_reasons",
    "withdrawn_at",
)
# Spreadsheet programs run cells starting with these as formulas; such CSV cells get a leading quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_record(story: Story) -> dict[str, Any]:
    """One story as a flat record; the author is left out of anonymous stories."""
    return {
        "number": story.number,
        "status": story.status.value,
        "title": story.text.title,
        "tried": story.text.tried,
        "worked": story.text.worked,
        "did_not_work": story.text.did_not_work,
        "lesson": story.lesson_slug,
        "anonymous": story.anonymous,
        "author_id": None if story.anonymous else str(story.author_id),
        "author_name": None if story.anonymous else story.author_name,
        "submitted_at": _iso(story.submitted_at),
        "decided_at": _iso(story.decided_at),
        "decided_by": str(story.decided_by) if story.decided_by is not None else None,
        "decline_reason": story.decline_reason,
        "edited_by_moderator": story.edited,
        "flagged_by_spam_filter": story.screening.flagged,
        "spam_reasons": list(story.screening.reasons),
        "withdrawn_at": _iso(story.withdrawn_at),
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(stories: Iterable[Story]) -> bytes:
    """UTF-8 CSV (with a byte order mark, so spreadsheet programs read accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for story in stories:
        record = export_record(story)
        writer.writerow([_csv_cell(record[column]) for column in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(stories: Iterable[Story]) -> bytes:
    """A JSON array of records, exactly as stored."""
    records = [export_record(story) for story in stories]
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


def render_export(stories: Sequence[Story], fmt: ExportFormat) -> bytes:
    """The stories in the chosen format."""
    return to_csv(stories) if fmt == "csv" else to_json(stories)
