"""The story records the feature works with: a validated draft, a stored story, a review decision, and the
outcomes the service hands to the adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.core.cards import Card
from bot.core.lifecycle import PostRef

ANONYMOUS_CREDIT = "a learner"


class StoryStatus(StrEnum):
    """Where a story is in its life: waiting for review, public, turned down, or taken back by its author."""

    PENDING = "pending"
    PUBLISHED = "published"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "pending": "waiting for review",
            "published": "published",
            "declined": "declined",
            "withdrawn": "withdrawn",
        }[self.value]


@dataclass(frozen=True)
class StoryText:
    """The four parts a learner writes, already cleaned and within limits."""

    title: str
    tried: str
    worked: str
    did_not_work: str

    def joined(self) -> str:
        """All the text, for the spam filter and for searching."""
        return "\n\n".join((self.title, self.tried, self.worked, self.did_not_work))


@dataclass(frozen=True)
class Screening:
    """What the spam filter thought of a story: flagged stories carry a warning to the reviewer."""

    flagged: bool = False
    score: float = 0.0
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewStory:
    """A story about to be stored."""

    guild_id: int
    author_id: int
    author_name: str
    text: StoryText
    anonymous: bool
    submitted_at: datetime
    lesson_slug: str | None = None
    screening: Screening = field(default_factory=Screening)


@dataclass(frozen=True)
class Story:
    """A stored story, as the store returns it."""

    id: int
    guild_id: int
    number: int
    author_id: int
    author_name: str
    text: StoryText
    anonymous: bool
    lesson_slug: str | None
    status: StoryStatus
    submitted_at: datetime
    screening: Screening = field(default_factory=Screening)
    decided_by: int | None = None
    decided_at: datetime | None = None
    decline_reason: str | None = None
    edited: bool = False
    withdrawn_at: datetime | None = None
    queue_channel_id: int | None = None
    queue_message_id: int | None = None
    post_channel_id: int | None = None
    post_message_id: int | None = None
    thread_id: int | None = None

    @property
    def title(self) -> str:
        return self.text.title

    @property
    def credit(self) -> str:
        """Who the story is credited to in public: the learner's name, or "a learner"."""
        return ANONYMOUS_CREDIT if self.anonymous else self.author_name

    @property
    def is_published(self) -> bool:
        return self.status is StoryStatus.PUBLISHED


@dataclass(frozen=True)
class Decision:
    """The result of one conditional state change: `done` is False when the story was no longer in the
    expected state (someone else got there first); `story` is the story as it is now."""

    done: bool
    story: Story


@dataclass(frozen=True)
class Shown:
    """A story to show: its cards, whether only the caller sees them, and the story whose review buttons
    go with them (a moderator opening a pending story)."""

    cards: list[Card]
    ephemeral: bool
    review_story_id: int | None = None


@dataclass(frozen=True)
class BrowsePage:
    card: Card
    index: int
    count: int


@dataclass(frozen=True)
class Withdrawal:
    story: Story
    was_published: bool
    post: PostRef | None  # the public post and thread to take down


@dataclass(frozen=True)
class Export:
    data: bytes
    filename: str
    summary: str
