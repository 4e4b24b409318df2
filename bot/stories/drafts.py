"""Drafts: what a user typed into a story, reason or edit form that was sent back to them, kept so that one
"Edit and send again" button can reopen the form with the text. A draft belongs to one attempt: once it is
sent, or a newer attempt replaced it, or it is older than DRAFT_MINUTES, its button says so and does nothing.

The service also counts how often each learner opens the share form (ShareLimit).

Held in memory by the service (the buttons are not persistent either): a restart forgets them, and the
buttons then say they expired.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.clock import Clock
from bot.core.errors import Conflict, TryAgainLater, UserError
from bot.core.text import plural
from bot.stories.rules import StoryValidationError

DRAFT_MINUTES = 15  # an ephemeral message's buttons can be used for 15 minutes
MAX_DRAFTS = 1000  # a bound on memory, far above what a server types in 15 minutes


class DraftKind(StrEnum):
    SHARE = "share"  # a learner's story
    EDIT = "edit"  # a moderator's edit before approving
    DECLINE = "decline"  # a moderator's reason for declining


class DraftState(StrEnum):
    OPEN = "open"
    SENT = "sent"
    REPLACED = "replaced"


@dataclass(frozen=True)
class Draft:
    id: int
    kind: DraftKind
    user_id: int
    values: Mapping[str, str | None]
    created_at: datetime
    lesson_slug: str | None = None
    anonymous: bool = False
    story_id: int | None = None
    story_number: int | None = None
    state: DraftState = DraftState.OPEN
    sent_number: int | None = field(default=None, compare=False)


class Drafts:
    """The open drafts of one service."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._drafts: dict[int, Draft] = {}
        self._ids = itertools.count(1)

    def add(
        self,
        kind: DraftKind,
        user_id: int,
        values: Mapping[str, str | None],
        *,
        lesson_slug: str | None = None,
        anonymous: bool = False,
        story_id: int | None = None,
        story_number: int | None = None,
    ) -> Draft:
        self._expire()
        draft = Draft(
            next(self._ids),
            kind,
            user_id,
            dict(values),
            self._clock.now(),
            lesson_slug=lesson_slug,
            anonymous=anonymous,
            story_id=story_id,
            story_number=story_number,
        )
        self._drafts[draft.id] = draft
        return draft

    def _expire(self) -> None:
        oldest = self._clock.now() - timedelta(minutes=DRAFT_MINUTES)
        for key in [key for key, draft in self._drafts.items() if draft.created_at < oldest]:
            del self._drafts[key]
        while len(self._drafts) >= MAX_DRAFTS:
            del self._drafts[next(iter(self._drafts))]

    def usable(self, draft_id: int, user_id: int) -> Draft:
        """The draft behind a retry button, or a Conflict that says why the button does nothing now."""
        self._expire()
        draft = self._drafts.get(draft_id)
        if draft is None:
            raise Conflict("This button has expired. Start again with the command; nothing was sent.")
        if draft.user_id != user_id:
            raise Conflict("This button belongs to someone else's form.")
        if draft.state is DraftState.SENT:
            what = f"story #{draft.sent_number}" if draft.sent_number else "it"
            where = " `/story mine` shows it." if draft.kind is DraftKind.SHARE else ""
            raise Conflict(f"You already sent this form ({what}); this button does nothing now.{where}")
        if draft.state is DraftState.REPLACED:
            raise Conflict("This button belongs to an earlier try: use the newest “Edit and send again” button.")
        return draft

    def claim(self, draft_id: int | None, user_id: int) -> Draft | None:
        """Take a draft for one submission (so a second copy of its form cannot send again)."""
        if draft_id is None:
            return None
        draft = self.usable(draft_id, user_id)
        self._drafts[draft.id] = replace(draft, state=DraftState.SENT)
        return draft

    def sent(self, draft: Draft | None, number: int | None = None) -> None:
        if draft is not None and draft.id in self._drafts:
            self._drafts[draft.id] = replace(self._drafts[draft.id], state=DraftState.SENT, sent_number=number)

    def replaced(self, draft: Draft | None) -> None:
        if draft is not None and draft.id in self._drafts:
            self._drafts[draft.id] = replace(self._drafts[draft.id], state=DraftState.REPLACED)

    def release(self, draft: Draft | None) -> None:
        """The submission failed on our side: the draft's button works again."""
        if draft is not None and draft.id in self._drafts:
            self._drafts[draft.id] = replace(self._drafts[draft.id], state=DraftState.OPEN)


SHARES_PER_HOUR = 5  # per learner: enough for anyone with stories, too few to flood the review queue
SHARE_WINDOW = timedelta(hours=1)


class ShareLimit:
    """How often one learner may open the share form: SHARES_PER_HOUR in any hour (per server)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._opened: dict[tuple[int, int], list[datetime]] = {}

    def take(self, guild_id: int, user_id: int) -> None:
        """Count one share; TryAgainLater (saying when) once the learner has used up the hour."""
        now = self._clock.now()
        key = (guild_id, user_id)
        recent = [moment for moment in self._opened.get(key, []) if moment > now - SHARE_WINDOW]
        if len(recent) >= SHARES_PER_HOUR:
            self._opened[key] = recent
            minutes = max(1, math.ceil((recent[0] + SHARE_WINDOW - now).total_seconds() / 60))
            raise TryAgainLater(f"Slow down a little: you can share another story in {plural(minutes, 'minute')}.")
        self._opened[key] = [*recent, now]
        if len(self._opened) > MAX_DRAFTS:
            self._opened = {k: v for k, v in self._opened.items() if v and v[-1] > now - SHARE_WINDOW}


class Rejected(UserError):
    """The form broke a rule, or could not be stored just now: the message says what, and `draft_id` reopens it
    with the text kept."""

    def __init__(self, error: StoryValidationError | TryAgainLater, draft_id: int) -> None:
        if isinstance(error, TryAgainLater):
            text = (
                f"I could not save your story: {error}\n"
                "Nothing was lost: press the button to send it again in a moment."
            )
        else:
            text = f"{error}\nNothing was lost: press the button to fix it."
        super().__init__(text)
        self.draft_id = draft_id
