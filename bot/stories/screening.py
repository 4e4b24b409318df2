"""Passing a story through the server's spam filter, when the filter is installed."""

from __future__ import annotations

import inspect
import logging
from typing import Any

from bot.stories.model import Screening, StoryText

log = logging.getLogger(__name__)


def _assessor() -> Any:
    try:
        from bot.spam.engine import assess_text
    except ImportError:
        return None
    return assess_text


def screening_from_verdict(verdict: Any) -> Screening:
    """Read a spam Verdict (`.action` none|flag|delete, `.score`, `.reasons`): anything but none is flagged.

    Reasons are shown to moderators: each one's `.detail` sentence when it has one, else its text.
    """
    action = str(getattr(verdict, "action", "none") or "none")
    reasons = tuple(str(getattr(reason, "detail", reason)) for reason in getattr(verdict, "reasons", ()) or ())
    return Screening(flagged=action != "none", score=float(getattr(verdict, "score", 0.0) or 0.0), reasons=reasons)


async def screen_story(text: StoryText) -> Screening:
    """The spam filter's view of the whole story; an unflagged Screening when there is no filter.

    A failing filter must not lose the story: the error is logged and the story goes to review flagged.
    """
    assess = _assessor()
    if assess is None:
        return Screening()
    try:
        verdict = assess(text.joined())
        if inspect.isawaitable(verdict):
            verdict = await verdict
    except Exception:
        log.exception("the spam filter failed on a story; sending it to review flagged")
        return Screening(flagged=True, reasons=("the spam filter could not check this story",))
    return screening_from_verdict(verdict)
