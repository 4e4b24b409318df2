"""One pager: a page of items with its position, for any listing that does not fit one message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    index: int  # 0-based
    count: int  # number of pages, at least 1

    @property
    def has_previous(self) -> bool:
        return self.index > 0

    @property
    def has_next(self) -> bool:
        return self.index + 1 < self.count

    @property
    def label(self) -> str:
        return f"Page {self.index + 1} of {self.count}"


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def clamp_page(index: int, total: int, per_page: int) -> int:
    return min(max(0, index), page_count(total, per_page) - 1)


def paginate(items: Sequence[T], index: int, per_page: int) -> Page[T]:
    """The `index`-th page of `items` (clamped into range)."""
    index = clamp_page(index, len(items), per_page)
    start = index * per_page
    return Page(tuple(items[start : start + per_page]), index, page_count(len(items), per_page))
