"""Cross-channel flood tracking: the same text or link from one author in several channels.

Memory is bounded: at most `max_keys` keys (when full, the least recently seen fifth is dropped at
once), at most `max_copies` copies a key, and copies older than the window are dropped when their key
is seen.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import islice
from typing import Any, NamedTuple


class FloodCopy(NamedTuple):
    """One copy of a repeated message: where it was posted and which message it was."""

    channel_id: int
    message_id: int
    author_id: int
    timestamp: float  # seconds since the epoch (UTC)


class FloodTracker:
    """Remembers recent copies per key within a sliding time window."""

    def __init__(self, window_seconds: float, max_keys: int = 20_000, max_copies: int = 50) -> None:
        self.window = float(window_seconds)
        self.max_keys = max(1, int(max_keys))
        self.max_copies = max(2, int(max_copies))
        # insertion order = least recently seen first (a key is re-inserted each time it is seen); one
        # copy is kept as the bare FloodCopy. Plain dicts (about twice as fast as OrderedDict here),
        # trimmed in bulk: when one passes `max_keys`, only its newest four fifths are kept.
        self._copies: dict[str, FloodCopy | deque[FloodCopy]] = {}
        self._message_ids: dict[int, None] = {}  # recent ids: an edit is not a copy
        self._keep = max(1, self.max_keys - self.max_keys // 5)

    def __len__(self) -> int:
        return len(self._copies)

    def record(self, key: str, copy: FloodCopy) -> Sequence[FloodCopy]:
        """Add a copy and return the copies of `key` within the window, this one included (a live
        view: read it before the next call). A message id seen before (an edit) is not added again."""
        store = self._copies
        held = store.pop(key, None)
        message_id = copy[1]  # copy.message_id, by index (hot path)
        edit = False
        if message_id:
            ids = self._message_ids
            if message_id in ids:
                edit = True
            else:
                ids[message_id] = None
                if len(ids) > self.max_keys:
                    _drop_oldest(ids, len(ids) - self._keep)
        if held is None:  # the usual case: a message seen once, kept as a bare tuple (cheap)
            store[key] = copy
            if len(store) > self.max_keys:
                _drop_oldest(store, len(store) - self._keep)
            return (copy,)
        if type(held) is FloodCopy:
            copies: deque[FloodCopy] = deque((held,), maxlen=self.max_copies)
        else:
            copies = held  # type: ignore[assignment]
        store[key] = copies  # re-inserted: now the most recently seen
        self._expire(copies, copy.timestamp)
        if not edit:
            copies.append(copy)
        return copies

    def copies(self, key: str) -> list[FloodCopy]:
        """The copies remembered for `key` (oldest first); empty when unknown or forgotten."""
        held = self._copies.get(key)
        if held is None:
            return []
        if type(held) is FloodCopy:
            return [held]
        return list(held)  # type: ignore[arg-type]

    def _expire(self, copies: deque[FloodCopy], now: float) -> None:
        limit = now - self.window
        while copies and copies[0].timestamp < limit:
            copies.popleft()


def _drop_oldest(held: dict[Any, Any], count: int) -> None:
    """Drop the `count` least recently inserted entries of a dict (one C-speed pass over its start)."""
    for key in list(islice(held, count)):
        del held[key]
