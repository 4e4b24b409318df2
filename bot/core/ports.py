"""The typed interfaces through which one feature uses another. Features never import each other:
bot/wiring.py hands each service the implementations it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class TextScreening:
    """The spam filter's view of a text: flagged or not, a score and the reasons a moderator reads."""

    flagged: bool = False
    score: float = 0.0
    reasons: tuple[str, ...] = ()


class TextScreener(Protocol):
    """Checks free text (a story) for spammy links. Implemented by the spam feature."""

    def screen_text(self, text: str) -> TextScreening: ...


@dataclass(frozen=True)
class LessonRef:
    slug: str
    title: str


class LessonCatalog(Protocol):
    """Finds lessons by slug or by what a user typed. Implemented by the lessons feature."""

    async def lesson_ref(self, slug: str) -> LessonRef | None: ...

    async def suggest_refs(self, query: str, limit: int) -> list[LessonRef]: ...
